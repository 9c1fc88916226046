"""The pages of /api/me: ask for a link, then one's comments and subscriptions with what to do.

Forms post back to the page's own URL (the token and `lang` stay in the address, never in a link or
field of the page). Every value from a reader is escaped; every text is the reader's language's.
"""

from html import escape
from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response

from parley.catalogs import Language, Texts
from parley.models import Comment, Subscription
from parley.pages import html_document, html_page

ACTIONS = ("download", "erase_comments", "end_subscriptions")


def request_page(lang: Language, problem: str | None = None, status: int = HTTPStatus.OK) -> Response[str]:
    """The form: an email address, and a button that mails a link (if anything is stored for it)."""
    say = Texts(lang, "myData")
    error = f'<p role="alert" id="email-error">{escape(problem)}</p>' if problem else ""
    described = ' aria-describedby="email-error" aria-invalid="true"' if problem else ""
    body = (
        f"<p>{escape(say('intro'))}</p>"
        f'<form method="post" action="/api/me">{error}'
        f'<input type="hidden" name="lang" value="{escape(lang)}">'
        f'<p><label for="email">{escape(say("emailLabel"))}</label><br>'
        f'<input id="email" name="email" type="email" required autocomplete="email" maxlength="254"{described}></p>'
        f'<button type="submit">{escape(say("send"))}</button></form>'
    )
    return html_document(status, say("title"), body, lang)


def requested_page(lang: Language) -> Response[str]:
    """The same answer whatever is stored for the address."""
    say = Texts(lang, "myData")
    return html_page(HTTPStatus.OK, say("checkTitle"), [say("checkSent"), say("checkNothing")], lang=lang)


def _comment(comment: Comment, lang: Language) -> str:
    status = Texts(lang, "moderation")(f"status_{comment.status.value}")
    return (
        f"<article><p><strong>{escape(comment.article_slug)}</strong> · {escape(status)} · "
        f'<time datetime="{escape(comment.created_at.isoformat())}">{escape(comment.created_at.date().isoformat())}</time></p>'
        f"<blockquote>{escape(comment.message)}</blockquote></article>"
    )


def _subscription(subscription: Subscription, lang: Language) -> str:
    status = Texts(lang, "myData")(f"status_{subscription.status.value}")
    return f"<li>{escape(subscription.article_slug)} · {escape(status)}</li>"


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
    comments: list[Comment], subscriptions: list[Subscription], lang: Language, notice: str | None = None
) -> Response[str]:
    """Every comment (any status) and subscription, with download, erase and end-all buttons."""
    say = Texts(lang, "myData")
    told = f'<p role="status">{escape(notice)}</p>' if notice else ""
    listed = "".join(_comment(c, lang) for c in comments) or f"<p>{escape(say('noComments'))}</p>"
    subscribed = (
        f"<ul>{''.join(_subscription(s, lang) for s in subscriptions)}</ul>"
        if subscriptions
        else f"<p>{escape(say('noSubscriptions'))}</p>"
    )
    actions = _action("download", say("download"))
    if comments:
        actions += _action(
            "erase_comments", say("eraseComments", count=len(comments)), say("eraseConfirm"), "spam"
        )
    if subscriptions:
        actions += _action(
            "end_subscriptions",
            say("endSubscriptions", count=len(subscriptions)),
            say("endConfirm"),
            "reject",
        )
    body = (
        f"{told}<h2>{escape(say('comments'))}</h2>{listed}<h2>{escape(say('subscriptions'))}</h2>{subscribed}"
        f'<h2>{escape(say("whatToDo"))}</h2><div class="actions">{actions}</div>'
    )
    return html_document(HTTPStatus.OK, say("title"), body, lang)


def refusal_page(status: int, title: str, message: str, lang: Language) -> Response[str]:
    return html_page(status, title, [message, Texts(lang, "myData")("askAgain")], lang=lang)
