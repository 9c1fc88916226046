"""The submission model: what the page's form and the widget may send."""

import pytest
from pydantic import ValidationError

from parley.models import CommentSubmission

VALID = {
    "article_slug": "professional-networking-strategies-2024",
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "message": "A thoughtful comment about networking.",
}


def errors_of(**fields: object) -> set[str]:
    with pytest.raises(ValidationError) as caught:
        CommentSubmission.model_validate({**VALID, **fields})
    return {str(error["loc"][0]) for error in caught.value.errors()}


def test_a_minimal_comment_is_valid_and_does_not_subscribe() -> None:
    submission = CommentSubmission.model_validate(VALID)

    assert submission.notifications is False
    assert submission.website is None
    assert submission.article_category is None


def test_form_values_arrive_as_lists_and_are_taken_as_values() -> None:
    form = {name: [value] for name, value in VALID.items()} | {"notifications": ["1"], "website": [""]}

    submission = CommentSubmission.model_validate(form)

    assert submission.name == "Ada Lovelace"
    assert submission.notifications is True
    assert submission.website is None


@pytest.mark.parametrize("checked", ["1", "on", "true", True])
def test_the_notify_checkbox_subscribes(checked: object) -> None:
    assert CommentSubmission.model_validate({**VALID, "notifications": checked}).notifications is True


def test_whitespace_is_trimmed_and_the_email_domain_lowercased() -> None:
    submission = CommentSubmission.model_validate(
        {**VALID, "name": "  Ada  ", "email": " Ada.L@Example.COM ", "message": "  long enough text  "}
    )

    assert submission.name == "Ada"
    assert submission.email == "Ada.L@example.com"
    assert submission.message == "long enough text"


def test_a_message_of_spaces_is_too_short() -> None:
    assert errors_of(message=" " * 40) == {"message"}


def test_message_keeps_its_lines_but_not_control_characters() -> None:
    assert CommentSubmission.model_validate({**VALID, "message": "line one\r\nline two"}).message == (
        "line one\nline two"
    )
    assert errors_of(message="null byte \x00 inside") == {"message"}


@pytest.mark.parametrize(
    "email", ["plain", "@example.com", "ada@", "ada@example", "ada@exa mple.com", "ada@-example.com"]
)
def test_invalid_emails(email: str) -> None:
    assert errors_of(email=email) == {"email"}


@pytest.mark.parametrize("website", ["https://ada.example.org", "http://example.com/path?q=1"])
def test_http_websites_are_kept(website: str) -> None:
    assert CommentSubmission.model_validate({**VALID, "website": website}).website == website


@pytest.mark.parametrize(
    "website", ["javascript:alert(1)", "data:text/html,x", "example.com", "https://", "https://a b.com"]
)
def test_other_websites_are_refused(website: str) -> None:
    assert errors_of(website=website) == {"website"}


@pytest.mark.parametrize("slug", ["a", "abc-123", "x" * 200])
def test_valid_slugs(slug: str) -> None:
    assert CommentSubmission.model_validate({**VALID, "article_slug": slug}).article_slug == slug


@pytest.mark.parametrize("slug", ["", "UPPER", "with space", "x" * 201, "a/b", "ünïcode"])
def test_invalid_slugs(slug: str) -> None:
    assert errors_of(article_slug=slug) == {"article_slug"}


def test_length_limits() -> None:
    assert errors_of(name="n" * 101, message="m" * 5001) == {"name", "message"}
    assert CommentSubmission.model_validate({**VALID, "name": "n" * 100, "message": "m" * 5000})
