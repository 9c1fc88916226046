"""POST /api/comments through SubmitCommentFunction's handler, against moto."""

import base64
import json
from collections.abc import Callable

import pytest

from parley.models import CommentStatus
from parley.storage.comments import CommentRepository
from tests.conftest import Invoke
from tests.helpers import body, form_post, json_post, location_query, valid_comment

SLUG = "professional-networking-strategies-2024"


@pytest.fixture
def submit(function: Callable[[str], Invoke]) -> Invoke:
    return function("SubmitCommentFunction")


def test_json_comment_is_accepted_and_held_for_moderation(
    submit: Invoke, repository: CommentRepository
) -> None:
    response = submit(json_post(valid_comment(website="https://ada.example.org", notifications=True)))

    assert response["statusCode"] == 202
    accepted = body(response)
    assert accepted["status"] == "pending"
    assert "moderation" in accepted["message"]
    stored = repository.get(accepted["id"])
    assert stored.status is CommentStatus.PENDING
    assert stored.email == "ada@example.com"
    assert stored.website == "https://ada.example.org"
    assert stored.notifications is True
    assert "ada@example.com" not in response["body"]


def test_client_address_is_kept_only_as_a_hash(submit: Invoke, repository: CommentRepository) -> None:
    event = json_post(valid_comment())
    event["requestContext"]["http"]["sourceIp"] = "203.0.113.99"

    stored = repository.get(body(submit(event))["id"])

    assert stored.client_hash
    assert "203.0.113.99" not in stored.model_dump_json()


def test_the_sample_event_is_accepted_as_it_is(submit: Invoke) -> None:
    from tests.conftest import load_event

    assert submit(load_event("submit_comment_json"))["statusCode"] == 202


def test_seed_form_post_redirects_back_to_the_page_it_came_from(
    submit: Invoke, repository: CommentRepository
) -> None:
    from tests.conftest import load_event

    event = load_event("submit_comment_form")
    event["headers"]["referer"] = f"https://www.example.com/articles/{SLUG}?utm=x#top"

    response = submit(event)

    assert response["statusCode"] == 303
    url, query = location_query(response)
    assert url == f"https://www.example.com/articles/{SLUG}"
    assert query["comment"] == ["pending"]
    stored = repository.get(query["id"][0])
    assert stored.name == "Grace Hopper"
    assert stored.email == "grace@example.com"
    assert stored.website is None
    assert stored.notifications is True


def test_form_post_from_a_foreign_page_redirects_to_the_site_not_to_the_foreigner(submit: Invoke) -> None:
    response = submit(form_post(valid_comment(), referer="https://evil.example.net/phish"))

    assert response["statusCode"] == 303
    url, _ = location_query(response)
    assert url == f"https://blog.example.com/articles/{SLUG}"


@pytest.mark.parametrize(
    "referer",
    [
        "https://blog.example.com.evil.net/x",
        "https://blog.example.com@evil.net/x",
        "//evil.net/x",
        "javascript:alert(1)",
        "https://evil.net/\r\nSet-Cookie: a=b",
    ],
)
def test_lookalike_referers_never_become_the_redirect(submit: Invoke, referer: str) -> None:
    response = submit(form_post(valid_comment(), referer=referer))

    url, _ = location_query(response)
    assert url.startswith("https://blog.example.com/")
    assert "\n" not in response["headers"]["Location"]


def test_invalid_form_post_redirects_with_the_fields_named(
    submit: Invoke, repository: CommentRepository
) -> None:
    response = submit(form_post(valid_comment(email="not-an-address", message="short")))

    assert response["statusCode"] == 303
    url, query = location_query(response)
    assert url == f"https://blog.example.com/articles/{SLUG}"
    assert query["comment"] == ["invalid"]
    assert set(query["fields"][0].split(",")) == {"email", "message"}
    assert repository.list_pending(10, None)[0] == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "x" * 101),
        ("name", "Ada\r\nBcc: victim@example.com"),
        ("email", "no-at-sign"),
        ("email", "a@b@example.com"),
        ("email", "ada@example.com\nBcc: x@example.com"),
        ("website", "javascript:alert(1)"),
        ("website", "ftp://example.com/"),
        ("message", "too short"),
        ("message", "x" * 5001),
        ("article_slug", "Not A Slug"),
        ("article_slug", "../../etc/passwd"),
        ("article_slug", "a" * 201),
        ("parent_id", "not-a-comment-id"),
        ("notifications", "perhaps"),
        ("name", 42),
        ("message", {"text": "a nested object is not a message"}),
    ],
)
def test_invalid_field_gets_422_naming_it(submit: Invoke, field: str, value: object) -> None:
    response = submit(json_post(valid_comment(**{field: value})))

    assert response["statusCode"] == 422
    error = body(response)["error"]
    assert error["code"] == "validation_failed"
    assert error["field"] == field
    assert field in error["message"]


@pytest.mark.parametrize("missing", ["article_slug", "name", "email", "message"])
def test_missing_required_field_is_named(submit: Invoke, missing: str) -> None:
    comment = valid_comment()
    del comment[missing]

    error = body(submit(json_post(comment)))["error"]

    assert error["field"] == missing


def test_all_invalid_fields_are_listed(submit: Invoke) -> None:
    error = body(submit(json_post(valid_comment(name="", email="x", message="short"))))["error"]

    assert {item["field"] for item in error["errors"]} == {"name", "email", "message"}


def test_body_over_64_kb_gets_413(submit: Invoke) -> None:
    response = submit(json_post(valid_comment(message="x" * 70_000)))

    assert response["statusCode"] == 413
    assert body(response)["error"]["code"] == "payload_too_large"


def test_other_content_types_get_415(submit: Invoke) -> None:
    event = json_post("just some text")
    event["headers"]["content-type"] = "text/plain"

    response = submit(event)

    assert response["statusCode"] == 415
    assert body(response)["error"]["field"] == "content-type"


def test_multipart_bodies_get_415(submit: Invoke) -> None:
    event = json_post('--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nAda\r\n--x--\r\n')
    event["headers"]["content-type"] = "multipart/form-data; boundary=x"

    assert submit(event)["statusCode"] == 415


@pytest.mark.parametrize("raw", ["{not json", "[1, 2, 3]", '"a string"', "null", "{}"])
def test_malformed_json_gets_a_4xx(submit: Invoke, raw: str) -> None:
    response = submit(json_post(raw))

    assert 400 <= response["statusCode"] < 500
    assert body(response)["error"]["code"] == "validation_failed"


def test_invalid_utf8_gets_400(submit: Invoke) -> None:
    event = json_post("")
    event["body"] = base64.b64encode(b'{"name": "\xff\xfe"}').decode()
    event["isBase64Encoded"] = True

    response = submit(event)

    assert response["statusCode"] == 400
    assert body(response)["error"]["field"] == "body"


def test_no_response_carries_a_stack_trace_or_the_email(submit: Invoke) -> None:
    responses = [
        submit(json_post(valid_comment())),
        submit(json_post(valid_comment(website="nope"))),
        submit(json_post("{")),
    ]

    for response in responses:
        assert "Traceback" not in response["body"]
        assert "ada@example.com" not in json.dumps(response)
