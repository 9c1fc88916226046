"""GET /api/comments and GET /api/comments/count: the approved comments of articles, for anyone.
GET /api/comments/feed and GET /api/feed: the same as Atom feeds (one article's, the whole site's)."""

from parley import cold_start  # first: no garbage collection while the function loads

# isort: split
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse, OpenAPIResponseHeader
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from parley import api, feeds, listing, permalinks
from parley.api_models import CommentCounts, CommentPage, CommentPlace, ReplyPage
from parley.models import COMMENT_ID_PATTERN, SLUG_PATTERN, utc_now
from parley.observability import logger
from parley.read_cache import ReadCache
from parley.settings import get_settings
from parley.storage.comments import CommentRepository
from parley.storage.feed_index import FeedIndex

app = api.create_resolver()
repository = CommentRepository()
feed_index = FeedIndex()
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

ATOM = {"application/atom+xml": {"schema": {"type": "string"}}}


def _cached_responses(
    description: str, content: dict[str, Any], own: dict[int, OpenAPIResponse] | None = None
) -> dict[int, OpenAPIResponse]:
    """A cacheable GET's answers: 200 with the cache headers, 304, the route's own, and the errors
    every route has."""
    return {
        200: {"description": description, "content": content, "headers": CACHE_HEADERS},
        304: NOT_MODIFIED,
        **(own or {}),
        **api.ERROR_RESPONSES,
    }


Slug = Annotated[str, Query(pattern=SLUG_PATTERN, description="The article's slug.")]
PageSize = Annotated[int, Query(ge=1, le=100, description="Comments per page.")]
Order = Annotated[Literal["oldest", "newest"], Query()]


@app.get(
    "/api/comments",
    summary="List an article's approved comments",
    responses=_cached_responses("One page.", {"application/json": {"model": CommentPage}}),
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
    responses=_cached_responses(
        "Its place.",
        {"application/json": {"model": CommentPlace}},
        {404: api.error_document("No published comment has this id.")},
    ),
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
    responses=_cached_responses("The counts.", {"application/json": {"model": CommentCounts}}),
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


def _self_url() -> str:
    event = app.current_event
    query = f"?{event.raw_query_string}" if event.raw_query_string else ""
    return f"{api.api_url_of(event)}{event.raw_path}{query}"


@app.get(
    "/api/comments/feed",
    summary="An article's latest approved comments as an Atom feed",
    description=f"The latest {feeds.FEED_LIMIT} approved comments of the article, replies included, newest first.",
    responses=_cached_responses("An Atom 1.0 feed.", ATOM),
)
def article_feed(article_slug: Slug) -> Response[str]:
    self_url = _self_url()
    return cache.answer(
        app.current_event,
        ("article-feed", article_slug, self_url),
        lambda: feeds.article_feed(
            article_slug, feed_index.article(article_slug, feeds.FEED_LIMIT), get_settings(), self_url
        ),
        feeds.ATOM_CONTENT_TYPE,
    )


@app.get(
    "/api/feed",
    summary="The site's latest approved comments as an Atom feed",
    description=f"The latest {feeds.FEED_LIMIT} approved comments across articles (of the last twelve months), "
    "newest first.",
    responses=_cached_responses("An Atom 1.0 feed.", ATOM),
)
def site_feed() -> Response[str]:
    self_url = _self_url()
    return cache.answer(
        app.current_event,
        ("site-feed", self_url),
        lambda: feeds.site_feed(feed_index.recent(feeds.FEED_LIMIT, utc_now()), get_settings(), self_url),
        feeds.ATOM_CONTENT_TYPE,
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return api.resolve(app, event, context)


cold_start.ready()
