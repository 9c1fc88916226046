"""GET /api/comments and GET /api/comments/count: the approved comments of articles, for anyone."""

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from parley import api, listing
from parley.models import SLUG_PATTERN, CommentCounts, CommentPage
from parley.observability import logger
from parley.storage.comments import CommentRepository

app = api.create_resolver()
repository = CommentRepository()

Slug = Annotated[str, Query(pattern=SLUG_PATTERN, description="The article's slug.")]


@app.get(
    "/api/comments",
    summary="List an article's approved comments",
    responses={
        200: {"description": "One page.", "content": {"application/json": {"model": CommentPage}}},
        **api.ERROR_RESPONSES,
    },
)
def list_comments(
    article_slug: Slug,
    limit: Annotated[int, Query(ge=1, le=100, description="Comments per page.")] = 20,
    cursor: Annotated[
        str | None, Query(max_length=1024, description="next_cursor of the previous page.")
    ] = None,
    order: Annotated[Literal["oldest", "newest"], Query()] = "oldest",
) -> CommentPage:
    return listing.list_comments(article_slug, limit, order, cursor, repository)


@app.get(
    "/api/comments/count",
    summary="Approved comment counts of up to 50 articles",
    responses={
        200: {"description": "The counts.", "content": {"application/json": {"model": CommentCounts}}},
        **api.ERROR_RESPONSES,
    },
)
def count_comments(
    article_slug: Annotated[
        list[Annotated[str, Query(pattern=SLUG_PATTERN)]],
        Query(min_length=1, max_length=50, description="Repeat for each article, up to 50."),
    ],
) -> CommentCounts:
    return listing.count_comments(article_slug, repository)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return api.resolve(app, event, context)
