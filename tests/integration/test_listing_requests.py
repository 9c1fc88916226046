"""What a page of threads costs in DynamoDB requests: a thread is read only when a reply of it was
ever approved (a flag on its top-level comment, set in the reply's approval transaction)."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from parley.errors import ConcurrentChange
from parley.models import CommentStatus
from parley.storage.comments import CommentRepository
from tests import aws_calls
from tests.conftest import Invoke
from tests.integration.test_threads import Article, outline


def listing_requests(article: Article) -> tuple[list[str], list[object]]:
    """The DynamoDB operations one uncached page costs the list function, and the page's outline."""
    start = len(aws_calls.recorded)
    page = article.page()
    made = [call.operation for call in aws_calls.recorded[start:] if call.function == "ListCommentsFunction"]
    return sorted(made), outline(page["comments"])


@pytest.fixture
def article(function: Callable[[str], Invoke]) -> Article:
    return Article(function)


def test_a_page_reads_only_the_threads_that_have_replies(article: Article) -> None:
    article.post("Ada")
    bob = article.post("Bob")
    article.post("Cy")
    no_replies = listing_requests(article)
    article.post("Dee", parent_id=bob)

    with_a_reply = listing_requests(article)

    assert no_replies == (["BatchGetItem", "Query"], ["Ada", "Bob", "Cy"])
    assert with_a_reply == (["BatchGetItem", "Query", "Query"], ["Ada", "Bob", ["Dee"], "Cy"])


def test_a_thread_whose_replies_were_all_removed_is_still_read_and_shows_none(article: Article) -> None:
    ada = article.post("Ada")
    bob = article.post("Bob", parent_id=ada)
    article.act("reject", bob)

    assert listing_requests(article) == (["BatchGetItem", "Query", "Query"], ["Ada"])


def test_a_top_moderated_from_a_stale_read_cannot_hide_a_reply_approved_meanwhile(
    article: Article, repository: CommentRepository
) -> None:
    """Moderation writes a whole comment back: read before a reply's approval, it would drop the flag."""
    ada = article.post("Ada")
    stale = repository.get(ada)
    article.post("Bob", parent_id=ada)

    with pytest.raises(ConcurrentChange):
        repository.change_status(stale, CommentStatus.SPAM, "tests", datetime.now(UTC))

    assert listing_requests(article)[1] == ["Ada", ["Bob"]]
    article.act("spam", ada)
    assert listing_requests(article)[1] == ["removed", ["Bob"]]
