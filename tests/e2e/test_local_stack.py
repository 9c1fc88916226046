"""`parley dev` as a reader and a script meet it: HTTP on 127.0.0.1, AWS embedded."""

import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from parley_cli.devprocess import RunningStack, invoke_function

pytestmark = pytest.mark.e2e
SEED_FORM = {
    "article_slug": "professional-networking-strategies-2024",
    "article_category": "education",
    "name": "Grace Hopper",
    "email": "grace@example.com",
    "website": "",
    "message": "Posted from the seed form, JavaScript off.\r\nSecond line.",
    "notifications": "1",
}


def fresh_slug() -> str:
    return f"article-{uuid.uuid4().hex[:12]}"


def moderate(stack: RunningStack, action: str, comment_id: str) -> dict[str, Any]:
    """What a moderator's tools do: invoke ModerateFunction through the Lambda Invoke API."""
    answer: dict[str, Any] = invoke_function(
        stack, "ModerateFunction", {"action": action, "comment_id": comment_id, "moderator": "e2e"}
    )
    return answer


def test_seed_form_post_gets_303_back_to_the_article(local_stack: RunningStack) -> None:
    response = requests.post(
        f"{local_stack.api}/api/comments",
        data=SEED_FORM,
        headers={"Referer": f"{local_stack.api}/articles/professional-networking-strategies-2024"},
        allow_redirects=False,
        timeout=10,
    )

    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        f"{local_stack.api}/articles/professional-networking-strategies-2024"
    )
    assert parse_qs(location.query)["comment"] == ["pending"]


def test_json_post_then_list_shows_it_only_after_approval(local_stack: RunningStack) -> None:
    slug = fresh_slug()
    posted = requests.post(
        f"{local_stack.api}/api/comments",
        json={
            "article_slug": slug,
            "name": "Ada",
            "email": "ada@example.com",
            "message": "Hello over real HTTP",
        },
        timeout=10,
    )
    assert posted.status_code == 202
    comment_id = posted.json()["id"]

    before = requests.get(f"{local_stack.api}/api/comments", params={"article_slug": slug}, timeout=10).json()
    moderate(local_stack, "approve", comment_id)
    after = requests.get(f"{local_stack.api}/api/comments", params={"article_slug": slug}, timeout=10).json()
    counts = requests.get(
        f"{local_stack.api}/api/comments/count",
        params=[("article_slug", slug), ("article_slug", "none")],
        timeout=10,
    ).json()

    assert (before["count"], before["comments"]) == (0, [])
    assert after["count"] == 1
    assert [comment["id"] for comment in after["comments"]] == [comment_id]
    assert counts == {"counts": {slug: 1, "none": 0}}


def test_paging_over_http(local_stack: RunningStack) -> None:
    slug = fresh_slug()
    ids = []
    for index in range(5):
        posted = requests.post(
            f"{local_stack.api}/api/comments",
            json={
                "article_slug": slug,
                "name": f"R{index}",
                "email": "r@example.com",
                "message": f"Comment {index} here",
            },
            timeout=10,
        )
        ids.append(posted.json()["id"])
    for comment_id in ids:
        moderate(local_stack, "approve", comment_id)

    seen = []
    params = {"article_slug": slug, "limit": "2"}
    while True:
        page = requests.get(f"{local_stack.api}/api/comments", params=params, timeout=10).json()
        seen += [comment["id"] for comment in page["comments"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]

    assert seen == ids


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "field"),
    [
        (
            "POST",
            "/api/comments",
            {"json": {"article_slug": "a", "name": "", "email": "x@y.z", "message": "long enough"}},
            422,
            "name",
        ),
        (
            "POST",
            "/api/comments",
            {"data": "hello", "headers": {"Content-Type": "text/plain"}},
            415,
            "content-type",
        ),
        (
            "POST",
            "/api/comments",
            {"data": "x" * 70_000, "headers": {"Content-Type": "application/json"}},
            413,
            "body",
        ),
        ("GET", "/api/comments?article_slug=a&cursor=forged", {}, 400, "cursor"),
        ("GET", "/api/comments?article_slug=a&limit=500", {}, 422, "limit"),
        ("GET", "/api/comments/count", {}, 422, "article_slug"),
    ],
)
def test_bad_input_over_http_gets_its_4xx(
    local_stack: RunningStack, method: str, path: str, kwargs: dict[str, object], status: int, field: str
) -> None:
    response = requests.request(method, f"{local_stack.api}{path}", timeout=10, **kwargs)  # type: ignore[arg-type]

    assert response.status_code == status
    assert response.json()["error"]["field"] == field


def test_x_forwarded_for_from_loopback_sets_the_source_address(local_stack: RunningStack) -> None:
    def client_hash(forwarded_for: str) -> str:
        response = requests.post(
            f"{local_stack.api}/api/comments",
            json={
                "article_slug": fresh_slug(),
                "name": "Ada",
                "email": "ada@example.com",
                "message": f"From {forwarded_for}",
            },
            headers={"X-Forwarded-For": forwarded_for},
            timeout=10,
        )
        hashed: str = moderate(local_stack, "get", response.json()["id"])["comment"]["client_hash"]
        return hashed

    first, again, other = (
        client_hash("198.51.100.23, 10.0.0.1"),
        client_hash("198.51.100.23"),
        client_hash("203.0.113.5"),
    )

    assert first == again
    assert first != other
    assert "198.51.100.23" not in first


def test_cors_preflight_allows_the_site_origin_only(local_stack: RunningStack) -> None:
    allowed = requests.options(
        f"{local_stack.api}/api/comments",
        headers={"Origin": local_stack.api, "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    foreign = requests.options(
        f"{local_stack.api}/api/comments",
        headers={"Origin": "https://evil.example.net", "Access-Control-Request-Method": "POST"},
        timeout=10,
    )

    assert allowed.headers.get("Access-Control-Allow-Origin") == local_stack.api
    assert "Access-Control-Allow-Origin" not in foreign.headers


def test_unknown_paths_are_404(local_stack: RunningStack) -> None:
    assert requests.get(f"{local_stack.api}/api/moderate", timeout=10).status_code == 404
