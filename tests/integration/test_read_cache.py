"""Listings and counts that browsers, CDNs and the function reuse for ListCacheSeconds, and revalidate."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from freezegun import freeze_time
from freezegun.api import FrozenDateTimeFactory

from parley import settings
from tests.conftest import Invoke
from tests.helpers import body, count_request, json_post, list_request, valid_comment

SLUG = "professional-networking-strategies-2024"


@contextmanager
def frozen_clock() -> Iterator[FrozenDateTimeFactory]:
    """Time held still and moved by hand (entered after the functions are loaded: pydantic models
    must be built with the real datetime)."""
    with freeze_time("2026-11-26 10:00:00") as frozen:
        yield frozen


def stack(
    function: Callable[[str], Invoke], monkeypatch: pytest.MonkeyPatch, seconds: str
) -> dict[str, Invoke]:
    monkeypatch.setenv("LIST_CACHE_SECONDS", seconds)  # as the ListCacheSeconds parameter sets it
    settings.get_settings.cache_clear()
    return {
        name: function(logical_id)
        for name, logical_id in [
            ("list", "ListCommentsFunction"),
            ("submit", "SubmitCommentFunction"),
            ("moderate", "ModerateFunction"),
        ]
    }


def post_and_approve(functions: dict[str, Invoke]) -> str:
    comment_id: str = body(functions["submit"](json_post(valid_comment())))["id"]
    functions["moderate"]({"action": "approve", "comment_id": comment_id, "moderator": "tests"})
    return comment_id


def revalidate(request: dict[str, Any], etag: str) -> dict[str, Any]:
    request["headers"]["if-none-match"] = etag
    return request


def test_a_listing_is_reused_for_list_cache_seconds_and_then_shows_the_approval(
    function: Callable[[str], Invoke], monkeypatch: pytest.MonkeyPatch
) -> None:
    functions = stack(function, monkeypatch, "5")
    with frozen_clock() as clock:
        first = functions["list"](list_request(f"article_slug={SLUG}"))
        post_and_approve(functions)
        clock.tick(3)
        reused = functions["list"](list_request(f"article_slug={SLUG}"))
        clock.tick(2)
        fresh = functions["list"](list_request(f"article_slug={SLUG}"))

    assert first["headers"]["Cache-Control"] == "public, max-age=5"
    assert body(reused)["count"] == 0
    assert reused["headers"]["ETag"] == first["headers"]["ETag"]
    assert reused["headers"]["Cache-Control"] == "public, max-age=2"  # never older than 5 s in all
    assert body(fresh)["count"] == 1
    assert fresh["headers"]["ETag"] != first["headers"]["ETag"]


def test_if_none_match_with_the_current_etag_is_a_304_without_a_body(
    function: Callable[[str], Invoke], monkeypatch: pytest.MonkeyPatch
) -> None:
    functions = stack(function, monkeypatch, "5")
    with frozen_clock() as clock:
        post_and_approve(functions)
        first = functions["list"](list_request(f"article_slug={SLUG}"))
        counts = functions["list"](count_request([SLUG]))
        clock.tick(10)  # past the interval: revalidated against a fresh read, still the same
        same = functions["list"](revalidate(list_request(f"article_slug={SLUG}"), first["headers"]["ETag"]))
        same_counts = functions["list"](revalidate(count_request([SLUG]), counts["headers"]["ETag"]))
        post_and_approve(functions)
        clock.tick(10)
        changed = functions["list"](
            revalidate(list_request(f"article_slug={SLUG}"), first["headers"]["ETag"])
        )

    assert (same["statusCode"], same["body"]) == (304, "")
    assert same["headers"]["ETag"] == first["headers"]["ETag"]
    assert (same_counts["statusCode"], same_counts["body"]) == (304, "")
    assert changed["statusCode"] == 200
    assert body(changed)["count"] == 2


def test_zero_seconds_turns_caching_off(
    function: Callable[[str], Invoke], monkeypatch: pytest.MonkeyPatch
) -> None:
    functions = stack(function, monkeypatch, "0")
    with frozen_clock():
        first = functions["list"](list_request(f"article_slug={SLUG}"))
        post_and_approve(functions)
        right_after = functions["list"](list_request(f"article_slug={SLUG}"))

    assert first["headers"]["Cache-Control"] == "public, max-age=0"
    assert body(right_after)["count"] == 1
