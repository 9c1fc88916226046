"""The pages of /api/me: ask for a link, then one's comments and subscriptions with what to do.

Forms post back to the page's own URL (the token stays in the address, never in a link or field of
the page). Every value from a reader is escaped.
"""

from html import escape
from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response

from parley.models import Comment, Subscription
from parley.pages import html_document, html_page

ACTIONS = ("download", "erase_comments", "end_subscriptions")
REQUEST_TITLE = "Your comments and subscriptions"


def request_page(problem: str | None = None, status: int = HTTPStatus.OK) -> Response[str]:
    """The form: an email address, and a button that mails a link (if anything is stored for it)."""
    error = f'<p role="alert" id="email-error">{escape(problem)}</p>' if problem else ""
    described = ' aria-describedby="email-error" aria-invalid="true"' if problem else ""
    body = (
        "<p>Enter the email address you commented or subscribed with. If anything is stored for it, "
        "we email it a link (valid for one hour) to a page where you can see, download or delete it.</p>"
        f'<form method="post" action="/api/me">{error}'
        '<p><label for="email">Email address</label><br>'
        f'<input id="email" name="email" type="email" required autocomplete="email" maxlength="254"{described}></p>'
        '<button type="submit">Email me a link</button></form>'
    )
    return html_document(status, REQUEST_TITLE, body)


def requested_page() -> Response[str]:
    """The same answer whatever is stored for the address."""
    return html_page(
        HTTPStatus.OK,
        "Check your inbox",
        [
            "If we hold any comments or subscriptions for that address, we have sent it a link. "
            "The link works for one hour.",
            "Nothing arrives? Then nothing is stored for that address (or look in your spam folder).",
        ],
    )


def _comment(comment: Comment) -> str:
    return (
        f"<article><p><strong>{escape(comment.article_slug)}</strong> · {escape(comment.status.value)} · "
        f'<time datetime="{escape(comment.created_at.isoformat())}">{escape(comment.created_at.date().isoformat())}</time></p>'
        f"<blockquote>{escape(comment.message)}</blockquote></article>"
    )


def _subscription(subscription: Subscription) -> str:
    return f"<li>{escape(subscription.article_slug)} · {escape(subscription.status.value)}</li>"


def _action(action: str, label: str, confirm: str | None = None, css: str = "") -> str:
    check = (
        f'<p><label><input type="checkbox" name="confirm" value="yes" required> {escape(confirm)}</label></p>'
        if confirm
        else ""
    )
    return (
        f'<form method="post"><input type="hidden" name="action" value="{action}">{check}'
        f'<button type="submit" class="{css}">{escape(label)}</button></form>'
    )


def data_page(
    comments: list[Comment], subscriptions: list[Subscription], notice: str | None = None
) -> Response[str]:
    """Every comment (any status) and subscription, with download, erase and end-all buttons."""
    told = f'<p role="status">{escape(notice)}</p>' if notice else ""
    listed = "".join(_comment(c) for c in comments) or "<p>No comments.</p>"
    subscribed = (
        f"<ul>{''.join(_subscription(s) for s in subscriptions)}</ul>"
        if subscriptions
        else "<p>No subscriptions.</p>"
    )
    actions = _action("download", "Download as JSON")
    if comments:
        actions += _action(
            "erase_comments",
            f"Delete all my comments ({len(comments)})",
            "Yes, delete them all; this cannot be undone",
            "spam",
        )
    if subscriptions:
        actions += _action(
            "end_subscriptions",
            f"End all my subscriptions ({len(subscriptions)})",
            "Yes, end them all",
            "reject",
        )
    body = (
        f"{told}<h2>Comments</h2>{listed}<h2>Subscriptions</h2>{subscribed}"
        f'<h2>What to do</h2><div class="actions">{actions}</div>'
    )
    return html_document(HTTPStatus.OK, REQUEST_TITLE, body)


def refusal_page(status: int, title: str, message: str) -> Response[str]:
    return html_page(status, title, [message, "Ask for a new link at /api/me."])
