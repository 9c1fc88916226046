"""Cache-friendly reads on the local stack with its default ListCacheSeconds, as on AWS."""

import uuid

import pytest
import requests

from parley_cli.devprocess import invoke_function
from tests.e2e.checked_stack import stack_within_roles
from tests.polling import wait_until

pytestmark = pytest.mark.e2e
LIST_CACHE_SECONDS = 5  # template.yaml's default, which this stack keeps


def test_a_listing_revalidates_with_304_and_shows_an_approval_within_list_cache_seconds() -> None:
    slug = f"cache-{uuid.uuid4().hex[:10]}"
    with stack_within_roles({"PARLEY_SCHEDULE_SECONDS": "0.5"}) as stack:
        listing = f"{stack.api}/api/comments?article_slug={slug}"
        first = requests.get(listing, timeout=10)
        assert first.headers["Cache-Control"] == f"public, max-age={LIST_CACHE_SECONDS}"
        again = requests.get(listing, headers={"If-None-Match": first.headers["ETag"]}, timeout=10)
        assert (again.status_code, again.content) == (304, b"")

        posted = requests.post(
            f"{stack.api}/api/comments",
            json={
                "article_slug": slug,
                "name": "Ada",
                "email": "ada@example.com",
                "message": "Cached, then fresh.",
            },
            timeout=10,
        )
        comment_id = posted.json()["id"]
        invoke_function(
            stack, "ModerateFunction", {"action": "approve", "comment_id": comment_id, "moderator": "e2e"}
        )

        def listed() -> requests.Response | None:
            shown = requests.get(listing, headers={"If-None-Match": first.headers["ETag"]}, timeout=10)
            return shown if shown.status_code == 200 else None

        # The interval, and a little for the requests themselves.
        shown = wait_until(
            listed, "the approval was not listed within ListCacheSeconds", LIST_CACHE_SECONDS + 2
        )
        assert [c["id"] for c in shown.json()["comments"]] == [comment_id]
