"""A threaded article: the first page of one with 2,000 approved comments, a third of them replies.

The comments are written with the layer's own storage code straight into the local stack's AWS (an
import would take the same path), then the page is listed over HTTP by 8 clients, uncached and as
`make dev` caches it; and the DynamoDB requests one page costs are counted.
"""

import os
import random
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from bench import soak
from parley import listing
from parley.models import Comment, CommentStatus
from parley.storage import dynamo
from parley.storage.comment_items import stats_key
from parley.storage.comments import CommentRepository
from parley_cli.devprocess import RunningStack

SLUG = "threaded-article"
TABLE = "CommentsTable"  # the local stack names its table by the template's logical id


@contextmanager
def local_aws(stack: RunningStack) -> Iterator[None]:
    """This process's boto3 clients pointed at the stack's AWS, as its functions' are."""
    names = (
        "AWS_ENDPOINT_URL",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_DEFAULT_REGION",
        "TABLE_NAME",
    )
    saved = {name: os.environ.get(name) for name in names}
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": stack.aws_endpoint,
            "AWS_ACCESS_KEY_ID": "parley-local",
            "AWS_SECRET_ACCESS_KEY": "parley-local",
            "AWS_DEFAULT_REGION": "us-east-1",
            "TABLE_NAME": TABLE,
        }
    )
    dynamo.dynamodb.cache_clear()
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        dynamo.dynamodb.cache_clear()


def seed_threads(count: int, reply_share: float = 1 / 3) -> None:
    """`count` approved comments on one article; each reply answers a random earlier comment."""
    repository = CommentRepository(TABLE)
    picker = random.Random(7)
    written: list[Comment] = []
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for index in range(count):
        parent = picker.choice(written) if written and picker.random() < reply_share else None
        comment = Comment(
            id=uuid.uuid4().hex,
            article_slug=SLUG,
            name=f"Reader {index}",
            email=f"reader{index}@example.com",
            message=f"Comment number {index} in a long conversation.",
            parent_id=parent.id if parent else None,
            root_id=(parent.root_id or parent.id) if parent else None,
            status=CommentStatus.APPROVED,
            was_approved=True,
            created_at=start + timedelta(seconds=index),
        )
        repository.add(comment)
        written.append(comment)
    dynamo.dynamodb().put_item(TableName=TABLE, Item={**stats_key(SLUG), "approved_count": {"N": str(count)}})


def requests_per_page(limit: int) -> Counter[str]:
    """The DynamoDB requests the list path makes for the article's first page."""
    made: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        made[model.name] += 1

    dynamo.dynamodb().meta.events.register("before-call.dynamodb", count)
    try:
        listing.list_comments(SLUG, limit, "oldest", None, CommentRepository(TABLE))
    finally:
        dynamo.dynamodb().meta.events.unregister("before-call.dynamodb", count)
    return made


def run(stack: RunningStack, clients: int, seconds: float) -> soak.Outcome:
    return soak.run(stack, clients, seconds, 0.0, SLUG)
