"""The emails moderators get: an alert about one comment, or a digest of those that arrived since.

Each comment comes with its approve, reject and spam links, and every email ends with the link to
the queue page; the links carry this moderator's own address (signed), so whoever clicks is
recorded as the one the email went to. Every value from a reader is escaped.
"""

from dataclasses import dataclass
from html import escape

from parley.email_content import BUTTON, excerpt, page
from parley.models import Comment
from parley.moderator_tokens import LINK_ACTIONS, LinkAction
from parley.queue_messages import ModeratorAlert
from parley.ses import OutgoingEmail
from parley.settings import Settings

LABELS: dict[LinkAction, str] = {"approve": "Approve", "reject": "Reject", "spam": "Spam"}
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


def _text(item: Listed, settings: Settings) -> str:
    actions = "\n".join(f"  {LABELS[action]}: {item.links[action]}" for action in LINK_ACTIONS)
    return (
        f"{item.name} on {settings.article_url(item.article_slug)}\n\n{excerpt(item.message)}\n\n{actions}\n"
    )


def _html(item: Listed, settings: Settings) -> str:
    article = settings.article_url(item.article_slug)
    buttons = " ".join(
        f'<a href="{escape(item.links[action])}" style="{BUTTON}">{escape(LABELS[action])}</a>'
        for action in LINK_ACTIONS
    )
    return (
        f'<p><strong>{escape(item.name)}</strong> on <a href="{escape(article)}">{escape(item.article_slug)}</a></p>'
        f'<pre style="white-space:pre-wrap;background:#f5f7fa;padding:12px">{escape(excerpt(item.message))}</pre>'
        f"<p>{buttons}</p>"
    )


def _footer_text(queue_link: str, settings: Settings) -> str:
    return (
        f"\nEvery comment awaiting review (link valid {settings.queue_link_hours} h): {queue_link}\n"
        f"Action links work for {settings.moderation_link_days} days. Opening one changes nothing: "
        "its page has the button.\n"
    )


def _footer_html(queue_link: str, settings: Settings) -> str:
    return (
        f'<p><a href="{escape(queue_link)}">Every comment awaiting review</a></p>'
        f'<p style="{_MUTED}">The queue link works for {settings.queue_link_hours} hours, action links '
        f"for {settings.moderation_link_days} days. Opening one changes nothing: its page has the button.</p>"
    )


def moderator_alert(
    message: ModeratorAlert, links: dict[LinkAction, str], queue_link: str, settings: Settings
) -> OutgoingEmail:
    item = listed(message, links)
    subject = f"Comment awaiting review: {message.name} on {message.article_slug}"
    commands = "\n".join(f"  {command}" for command in message.commands)
    text = (
        _text(item, settings)
        + f"Website: {message.website or 'none'}\nReceived: {message.created_at.isoformat()}\n"
        + _footer_text(queue_link, settings)
        + f"\nFrom a terminal:\n{commands}\n"
    )
    html = page(
        subject,
        f"<h1 style='font-size:20px'>{escape(subject)}</h1>{_html(item, settings)}"
        f"<p style='{_MUTED}'>Website: {escape(message.website or 'none')} · "
        f"received {escape(message.created_at.isoformat())}</p>"
        + _footer_html(queue_link, settings)
        + f"<p style='{_MUTED}'>From a terminal:</p><pre>{escape(commands)}</pre>",
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


def moderator_digest(digest: Digest, settings: Settings) -> OutgoingEmail:
    count = digest.pending
    subject = f"{count} comment{'s' if count != 1 else ''} await{'' if count != 1 else 's'} review"
    more = count - len(digest.listed)
    notes = []
    if more > 0:
        notes.append(f"{more} more {'are' if more != 1 else 'is'} on the queue page.")
    if digest.spam:
        notes.append(f"{digest.spam} held as spam (not listed).")
    text = (
        f"{subject} (since the last email).\n\n"
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
    )
    return OutgoingEmail(
        idempotency_key=f"digest:{digest.key}", to=digest.to, subject=subject, text=text, html=html
    )
