"""Avatars: the listing carries a keyed hash of each commenter, drawn by the widget as an identicon."""

import hashlib
from collections.abc import Callable

import pytest

from parley import tokens
from tests.conftest import Invoke
from tests.helpers import body, json_post, list_request, valid_comment
from tests.integration.test_threads import Article

OTHER_SLUG = "another-article"


@pytest.fixture
def article(function: Callable[[str], Invoke]) -> Article:
    return Article(function)


def publish(article: Article, slug: str, name: str, email: str) -> None:
    answer = article.submit(json_post(valid_comment(article_slug=slug, name=name, email=email)))
    assert answer["statusCode"] == 202, answer
    article.act("approve", body(answer)["id"])


def avatars(article: Article, slug: str) -> dict[str, str]:
    """Name -> avatar, as the listing of `slug` shows them."""
    listing = body(article.list(list_request(f"article_slug={slug}")))
    return {comment["name"]: comment["avatar"] for comment in listing["comments"]}


def test_the_same_commenter_has_the_same_avatar_on_every_article_and_others_another(article: Article) -> None:
    publish(article, article.slug, "Ada", "ada@example.com")
    publish(article, OTHER_SLUG, "Ada again", " ADA@Example.com")
    publish(article, OTHER_SLUG, "Grace", "grace@example.com")
    publish(article, OTHER_SLUG, "Ada impostor", "ada@example.net")

    here, there = avatars(article, article.slug), avatars(article, OTHER_SLUG)

    assert here["Ada"] == there["Ada again"]
    assert len({here["Ada"], there["Grace"], there["Ada impostor"]}) == 3


def test_an_avatar_is_no_plain_hash_of_the_address(article: Article) -> None:
    """Gravatar's MD5 of an address can be recomputed by anyone who guesses the address; ours cannot."""
    email = "ada@example.com"
    publish(article, article.slug, "Ada", email)

    avatar = avatars(article, article.slug)["Ada"]

    assert email not in avatar
    for variant in (email, email.upper(), f" {email} ", "ada"):
        for algorithm in ("md5", "sha1", "sha256", "sha512", "blake2b"):
            plain = hashlib.new(algorithm, variant.encode()).hexdigest()
            assert avatar not in plain, (algorithm, variant)
    assert tokens.keyed_hash("email", email) != avatar  # nor the rate limits' key of the address


def test_imported_comments_get_this_stacks_avatar_and_those_without_an_address_one_by_name(
    article: Article,
) -> None:
    publish(article, article.slug, "Ada", "ada@example.com")
    imported = [
        {
            "id": f"{n:032x}",
            "article_slug": OTHER_SLUG,
            "name": name,
            "email": email,
            "message": "From the old blog.",
            "status": "approved",
            "created_at": "2019-05-01T10:00:00Z",
            "avatar": "0123456789abcdef",  # another stack's: made again
        }
        for n, (name, email) in enumerate([("Ada", "ADA@example.com"), ("Anon", ""), ("Anon", "")], 1)
    ]

    answer = article.moderate({"action": "import", "comments": imported})

    assert answer.get("written") == 3, answer
    shown = body(article.list(list_request(f"article_slug={OTHER_SLUG}")))["comments"]
    assert shown[0]["avatar"] == avatars(article, article.slug)["Ada"]
    assert shown[1]["avatar"] == shown[2]["avatar"] != shown[0]["avatar"]
