"""The emails Parley sends, composed as plain text and HTML. Every value from a reader is escaped."""

from html import escape
from urllib.parse import quote

from parley.catalogs import Texts
from parley.queue_messages import FollowUpEmail, ReplyEmail, SubscriptionConfirmation
from parley.ses import OutgoingEmail
from parley.settings import Settings

EXCERPT_LENGTH = 600
_STYLE = (
    "font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;font-size:16px;line-height:1.5;"
    "color:#1f2933;max-width:560px;margin:0 auto;padding:24px"
)
BUTTON = "display:inline-block;background:#2563eb;color:#ffffff;padding:10px 18px;border-radius:6px;text-decoration:none"


def page(title: str, body: str, lang: str = "en") -> str:
    return (
        f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f'<body><div style="{_STYLE}">{body}</div></body></html>'
    )


def excerpt(message: str) -> str:
    return message if len(message) <= EXCERPT_LENGTH else message[: EXCERPT_LENGTH - 1].rstrip() + "…"


def _api_link(settings: Settings, api_url: str | None, path: str, token: str) -> str:
    return f"{settings.links_base(api_url)}{path}?token={quote(token, safe='')}"


def confirmation(message: SubscriptionConfirmation, token: str, settings: Settings) -> OutgoingEmail:
    say = Texts(message.lang, "emails")
    link = _api_link(settings, message.api_url, "/api/subscriptions/confirm", token)
    article = settings.article_url(message.article_slug)
    subject = say("confirmSubject")
    text = f"{say('confirmIntro', article=article)}\n\n{say('confirmLink')}\n{link}\n\n{say('confirmIgnore')}"
    article_link = f'<a href="{escape(article)}">{escape(article)}</a>'
    html = page(
        subject,
        f"<p>{say.html('confirmIntro', article=article_link)}</p>"
        f'<p><a href="{escape(link)}" style="{BUTTON}">{escape(say("confirmButton"))}</a></p>'
        f"<p>{escape(say('confirmIgnore'))}</p>",
        message.lang,
    )
    return OutgoingEmail(
        idempotency_key=f"confirm:{message.article_slug}:{message.email_hash}:{message.requested_at.isoformat()}",
        to=message.to,
        subject=subject,
        text=text,
        html=html,
    )


def follow_up(message: FollowUpEmail, unsubscribe_token: str, settings: Settings) -> OutgoingEmail:
    say = Texts(message.lang, "emails")
    return _to_subscriber(
        message,
        unsubscribe_token,
        settings,
        subject=say("followUpSubject", name=message.author_name),
        quoted=[(say("wrote", name=message.author_name), excerpt(message.message))],
        key=f"follow_up:{message.comment_id}:{message.email_hash}",
    )


def reply(message: ReplyEmail, unsubscribe_token: str, settings: Settings) -> OutgoingEmail:
    say = Texts(message.lang, "emails")
    return _to_subscriber(
        message,
        unsubscribe_token,
        settings,
        subject=say("replySubject", name=message.author_name),
        quoted=[
            (say("youWrote"), excerpt(message.parent_message)),
            (say("replied", name=message.author_name), excerpt(message.message)),
        ],
        key=f"reply:{message.comment_id}:{message.email_hash}",
    )


def _to_subscriber(
    message: FollowUpEmail,
    unsubscribe_token: str,
    settings: Settings,
    subject: str,
    quoted: list[tuple[str, str]],
    key: str,
) -> OutgoingEmail:
    """An email about a new comment, quoting what matters, with a link to it and one-click unsubscribe."""
    say = Texts(message.lang, "emails")
    unsubscribe = _api_link(settings, message.api_url, "/api/subscriptions/unsubscribe", unsubscribe_token)
    article = f"{settings.article_url(message.article_slug)}#comment-{message.comment_id}"
    text = "".join(f"{heading}\n\n{shown}\n\n" for heading, shown in quoted) + (
        f"{say('readAndReply')}: {article}\n\n{say('why')} {say('unsubscribeText', link=unsubscribe)}"
    )
    quotes = "".join(
        f"<p><strong>{escape(heading)}</strong></p>"
        f'<blockquote style="border-left:3px solid #cbd2d9;margin:0;padding-left:12px">'
        + "".join(f"<p>{escape(part)}</p>" for part in shown.split("\n\n"))
        + "</blockquote>"
        for heading, shown in quoted
    )
    html = page(
        subject,
        quotes + f'<p><a href="{escape(article)}" style="{BUTTON}">{escape(say("readAndReply"))}</a></p>'
        f'<p style="font-size:13px;color:#52606d">{escape(say("why"))} '
        f'<a href="{escape(unsubscribe)}">{escape(say("unsubscribe"))}</a> {escape(say("unsubscribeHtml"))}</p>',
        message.lang,
    )
    return OutgoingEmail(
        idempotency_key=key,
        to=message.to,
        subject=subject,
        text=text,
        html=html,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
