"""Where a form post is sent back to: only ever an allowed origin."""

import pytest

from parley.redirects import return_url
from parley.settings import Settings, origin_of

SETTINGS = Settings.model_validate(
    {
        "TABLE_NAME": "t",
        "SITE_URL": "https://blog.example.com",
        "ALLOWED_ORIGINS": "https://www.example.com, https://blog.example.com:443",
    }
)


def test_origins_include_the_site_and_the_allowed_ones_once() -> None:
    assert SETTINGS.origins == ["https://blog.example.com", "https://www.example.com"]


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://Example.com:443/a?b#c", "https://example.com"),
        ("http://example.com:8080/", "http://example.com:8080"),
        ("https://user@evil.net/", "https://evil.net"),
    ],
)
def test_origin_of(url: str, origin: str) -> None:
    assert origin_of(url) == origin


def test_an_allowed_referer_is_kept_without_its_query() -> None:
    assert (
        return_url(SETTINGS, "https://www.example.com/posts/a?x=1#y", "a")
        == "https://www.example.com/posts/a"
    )


@pytest.mark.parametrize(
    "referer", [None, "https://evil.net/", "https://www.example.com.evil.net/", "not a url"]
)
def test_anything_else_goes_to_the_article_on_the_site(referer: str | None) -> None:
    assert return_url(SETTINGS, referer, "my-post") == "https://blog.example.com/articles/my-post"


def test_without_a_valid_slug_the_site_itself() -> None:
    assert return_url(SETTINGS, None, None) == "https://blog.example.com/"
