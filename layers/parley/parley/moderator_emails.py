"""The emails moderators get: an alert about one comment, or a digest of those that arrived since.

Each comment comes with its approve, reject and spam links, and every email ends with the link to
the queue page; the links carry this moderator's own address (signed), so whoever clicks is
recorded as the one the email went to. Every value from a reader is escaped. They are written in
MODERATOR_LANGUAGE (the ModeratorLanguage parameter).
"""

from dataclasses import dataclass
from html import escape

from parley.catalogs import Texts
from parley.email_content import BUTTON, excerpt, page
from parley.models import Comment
from parley.moderator_tokens import LINK_ACTIONS, LinkAction
from parley.queue_messages import ModeratorAlert
from parley.ses import OutgoingEmail
from parley.settings import Settings

LABELS: dict[LinkAction, str] = {
    "approve": "approve",
    "reject": "reject",
    "spam": "spamShort",
}  # catalog keys
_MUTED = "font-size:13px;color:#52606d"


@dataclass(frozen=True)
class Listed:
    """One comment of an email, with its three action links."""

    comment_id: str
    name: str
    article_slug: str
    message: str
    links: dict[LinkAction, str]


def listed(comment: Comment | ModeratorAlert, links: dict[LinkAction, str]) -> Listed:
    comment_id = comment.id if isinstance(comment, Comment) else comment.comment_id
    return Listed(comment_id, comment.name, comment.article_slug, comment.message, links)


def _texts(settings: Settings) -> Texts:
    return Texts(settings.moderator_language, "moderation")


def _text(item: Listed, settings: Settings) -> str:
    say = _texts(settings)
    actions = "\n".join(f"  {say(LABELS[action])}: {item.links[action]}" for action in LINK_ACTIONS)
    heading = say("nameOn", name=item.name, article=settings.article_url(item.article_slug))
    return f"{heading}\n\n{excerpt(item.message)}\n\n{actions}\n"


def _html(item: Listed, settings: Settings) -> str:
    say = _texts(settings)
    article = settings.article_url(item.article_slug)
    buttons = " ".join(
        f'<a href="{escape(item.links[action])}" style="{BUTTON}">{escape(say(LABELS[action]))}</a>'
        for action in LINK_ACTIONS
    )
    heading = say.html(
        "nameOn",
        name=f"<strong>{escape(item.name)}</strong>",
        article=f'<a href="{escape(article)}">{escape(item.article_slug)}</a>',
    )
    return (
        f"<p>{heading}</p>"
        f'<pre style="white-space:pre-wrap;background:#f5f7fa;padding:12px">{escape(excerpt(item.message))}</pre>'
        f"<p>{buttons}</p>"
    )


def _footer_text(queue_link: str, settings: Settings) -> str:
    say = _texts(settings)
    return (
        f"\n{say('queueLinkText', hours=settings.queue_link_hours, link=queue_link)}\n"
        f"{say('linksLast', hours=settings.queue_link_hours, days=settings.moderation_link_days)}\n"
    )


def _footer_html(queue_link: str, settings: Settings) -> str:
    say = _texts(settings)
    return (
        f'<p><a href="{escape(queue_link)}">{escape(say("everyPending"))}</a></p>'
        f'<p style="{_MUTED}">'
        f"{escape(say('linksLast', hours=settings.queue_link_hours, days=settings.moderation_link_days))}</p>"
    )


def moderator_alert(
    message: ModeratorAlert, links: dict[LinkAction, str], queue_link: str, settings: Settings
) -> OutgoingEmail:
    say = _texts(settings)
    item = listed(message, links)
    subject = say("alertSubject", name=message.name, article=message.article_slug)
    commands = "\n".join(f"  {command}" for command in message.commands)
    website = say("website_line", website=message.website or say("none"))
    received = say("received", date=message.created_at.isoformat())
    text = (
        _text(item, settings)
        + f"{website}\n{received}\n"
        + _footer_text(queue_link, settings)
        + f"\n{say('terminal')}\n{commands}\n"
    )
    html = page(
        subject,
        f"<h1 style='font-size:20px'>{escape(subject)}</h1>{_html(item, settings)}"
        f"<p style='{_MUTED}'>{escape(website)} · {escape(received)}</p>"
        + _footer_html(queue_link, settings)
        + f"<p style='{_MUTED}'>{escape(say('terminal'))}</p><pre>{escape(commands)}</pre>",
        settings.moderator_language,
    )
    return OutgoingEmail(
        idempotency_key=f"alert:{message.comment_id}:{message.to}",
        to=message.to,
        subject=subject,
        text=text,
        html=html,
    )


@dataclass(frozen=True)
class Digest:
    """What a digest tells one moderator: how many arrived, the first ones, how many were spam."""

    to: str
    key: str
    pending: int
    listed: list[Listed]
    spam: int
    queue_link: str
    expiring: int = 0  # pending comments that expire (PendingRetentionDays) within EXPIRY_WARNING_DAYS


EXPIRY_WARNING_DAYS = 7


def moderator_digest(digest: Digest, settings: Settings) -> OutgoingEmail:
    say = _texts(settings)
    subject = say.plural("digestSubject", digest.pending)
    more = digest.pending - len(digest.listed)
    notes = []
    if more > 0:
        notes.append(say.plural("more", more))
    if digest.spam:
        notes.append(say.plural("heldAsSpam", digest.spam))
    if digest.expiring:
        notes.append(
            say.plural(
                "expiring", digest.expiring, days=EXPIRY_WARNING_DAYS, kept=settings.pending_retention_days
            )
        )
    text = (
        f"{subject} {say('sinceLast')}\n\n"
        + "\n".join(_text(item, settings) for item in digest.listed)
        + "".join(f"\n{note}" for note in notes)
        + "\n"
        + _footer_text(digest.queue_link, settings)
    )
    html = page(
        subject,
        f"<h1 style='font-size:20px'>{escape(subject)}</h1>"
        + "<hr>".join(_html(item, settings) for item in digest.listed)
        + "".join(f"<p>{escape(note)}</p>" for note in notes)
        + _footer_html(digest.queue_link, settings),
        settings.moderator_language,
    )
    return OutgoingEmail(
        idempotency_key=f"digest:{digest.key}", to=digest.to, subject=subject, text=text, html=html
    )


def expiry_warning(to: str, count: int, day: str, queue_link: str, settings: Settings) -> OutgoingEmail:
    """The day's warning that `count` pending comments expire within EXPIRY_WARNING_DAYS."""
    say = _texts(settings)
    subject = say.plural("expiringSubject", count, days=EXPIRY_WARNING_DAYS)
    note = say.plural("expiring", count, days=EXPIRY_WARNING_DAYS, kept=settings.pending_retention_days)
    html = page(
        subject,
        f"<h1 style='font-size:20px'>{escape(subject)}</h1><p>{escape(note)}</p>"
        + _footer_html(queue_link, settings),
        settings.moderator_language,
    )
    return OutgoingEmail(
        idempotency_key=f"expiring:{day}:{to}",
        to=to,
        subject=subject,
        text=f"{note}\n" + _footer_text(queue_link, settings),
        html=html,
    )
