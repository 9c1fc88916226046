"""GET /api/comments and GET /api/comments/count: the approved comments of articles, for anyone."""

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse, OpenAPIResponseHeader
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from parley import api, listing, permalinks
from parley.api_models import CommentCounts, CommentPage, CommentPlace, ReplyPage
from parley.models import COMMENT_ID_PATTERN, SLUG_PATTERN
from parley.observability import logger
from parley.read_cache import ReadCache
from parley.settings import get_settings
from parley.storage.comments import CommentRepository

app = api.create_resolver()
repository = CommentRepository()
cache = ReadCache(get_settings().list_cache_seconds)
CACHE_HEADERS: dict[str, OpenAPIResponseHeader] = {
    "ETag": {"description": "Send it back as If-None-Match to revalidate.", "schema": {"type": "string"}},
    "Cache-Control": {
        "description": "public, max-age=N: N is at most ListCacheSeconds.",
        "schema": {"type": "string"},
    },
}
NOT_MODIFIED: OpenAPIResponse = {
    "description": "The If-None-Match ETag is current: reuse what you have.",
    "headers": CACHE_HEADERS,
}

Slug = Annotated[str, Query(pattern=SLUG_PATTERN, description="The article's slug.")]
PageSize = Annotated[int, Query(ge=1, le=100, description="Comments per page.")]
Order = Annotated[Literal["oldest", "newest"], Query()]


@app.get(
    "/api/comments",
    summary="List an article's approved comments",
    responses={
        200: {
            "description": "One page.",
            "content": {"application/json": {"model": CommentPage}},
            "headers": CACHE_HEADERS,
        },
        304: NOT_MODIFIED,
        **api.ERROR_RESPONSES,
    },
)
def list_comments(
    article_slug: Slug,
    limit: PageSize = 20,
    cursor: Annotated[
        str | None, Query(max_length=1024, description="next_cursor of the previous page.")
    ] = None,
    order: Order = "oldest",
) -> Response[str]:
    return cache.answer(
        app.current_event,
        ("list", article_slug, limit, order, cursor),
        lambda: listing.list_comments(article_slug, limit, order, cursor, repository).model_dump_json(),
    )


@app.get(
    "/api/comments/replies",
    summary="The rest of a long thread",
    description="For a top-level comment that came with a `replies_cursor`: its next replies, in order, "
    "each with `parent_id` to place it.",
    responses={
        200: {"description": "One page of replies.", "content": {"application/json": {"model": ReplyPage}}},
        **api.ERROR_RESPONSES,
    },
)
def more_replies(
    comment_id: Annotated[str, Query(pattern=COMMENT_ID_PATTERN, description="The top-level comment's id.")],
    cursor: Annotated[
        str, Query(max_length=1024, description="Its replies_cursor, or the last next_cursor.")
    ],
) -> ReplyPage:
    return listing.more_replies(comment_id, cursor, repository)


@app.get(
    "/api/comments/<comment_id>/page",
    summary="The page that holds a comment (for a permalink)",
    description="Which page of `GET /api/comments`, with the same `limit` and `order`, holds the "
    "comment's thread (a reply is listed under its top-level comment), and the cursor that answers it.",
    responses={
        200: {
            "description": "Its place.",
            "content": {"application/json": {"model": CommentPlace}},
            "headers": CACHE_HEADERS,
        },
        304: NOT_MODIFIED,
        404: api.error_document("No published comment has this id."),
        **api.ERROR_RESPONSES,
    },
)
def comment_page(
    comment_id: Annotated[str, Path(pattern=COMMENT_ID_PATTERN, description="The comment's id.")],
    limit: PageSize = 20,
    order: Order = "oldest",
) -> Response[str]:
    return cache.answer(
        app.current_event,
        ("place", comment_id, limit, order),
        lambda: permalinks.locate(comment_id, limit, order, repository).model_dump_json(),
    )


@app.get(
    "/api/comments/count",
    summary="Approved comment counts of up to 50 articles",
    responses={
        200: {
            "description": "The counts.",
            "content": {"application/json": {"model": CommentCounts}},
            "headers": CACHE_HEADERS,
        },
        304: NOT_MODIFIED,
        **api.ERROR_RESPONSES,
    },
)
def count_comments(
    article_slug: Annotated[
        list[Annotated[str, Query(pattern=SLUG_PATTERN)]],
        Query(min_length=1, max_length=50, description="Repeat for each article, up to 50."),
    ],
) -> Response[str]:
    slugs = tuple(dict.fromkeys(article_slug))
    return cache.answer(
        app.current_event,
        ("count", slugs),
        lambda: listing.count_comments(list(slugs), repository).model_dump_json(),
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return api.resolve(app, event, context)
