"""The pages moderators open from their alert: one comment and one action, or the whole queue.

Every value from a reader is escaped. Forms have no `action`: a browser posts them back to the URL
of the page, token included, so the token never appears in a page; they work without JavaScript,
and a GET never changes anything. They are written in MODERATOR_LANGUAGE.
"""

from html import escape
from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response

from parley.catalogs import Texts
from parley.models import CommentStatus
from parley.moderated import TRANSITIONS, ModeratedComment
from parley.moderator_tokens import LinkAction
from parley.pages import html_document
from parley.settings import Settings

LABELS: dict[LinkAction, str] = {"approve": "Approve", "reject": "Reject", "spam": "Mark as spam"}  # English
QUESTIONS: dict[LinkAction, str] = {"approve": "askApprove", "reject": "askReject", "spam": "askSpam"}
TARGETS: dict[LinkAction, CommentStatus] = {
    "approve": CommentStatus.APPROVED,
    "reject": CommentStatus.REJECTED,
    "spam": CommentStatus.SPAM,
}


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(part)}</p>" for part in text.split("\n\n") if part.strip())


def _status(status: CommentStatus, say: Texts) -> str:
    return say(f"status_{status.value}")


def comment_block(comment: ModeratedComment, settings: Settings) -> str:
    """The comment with its article and, for a reply, the comment it answers."""
    say = Texts(settings.moderator_language, "moderation")
    article = settings.article_url(comment.article_slug)
    website = (
        f' · <a href="{escape(comment.website)}" rel="nofollow noopener">{escape(say("website"))}</a>'
        if comment.website
        else ""
    )
    parent = ""
    if comment.parent is not None:
        answered = say.html(
            "inReplyTo",
            name=f"<strong>{escape(comment.parent.name)}</strong>",
            status=escape(_status(comment.parent.status, say)),
        )
        parent = f"<p>{answered}</p><blockquote>{_paragraphs(comment.parent.message)}</blockquote>"
    heading = say.html(
        "on",
        name=f"<strong>{escape(comment.name)}</strong>{website}",
        article=f'<a href="{escape(article)}">{escape(comment.article_slug)}</a>',
        date=escape(comment.created_at.strftime("%Y-%m-%d %H:%M UTC")),
    )
    return (
        f'<article id="comment-{escape(comment.id)}"><p>{heading}</p>'
        f"{parent}<blockquote>{_paragraphs(comment.message)}</blockquote></article>"
    )


def _button(label: str, css: str, hidden: dict[str, str] | None = None) -> str:
    """A one-button form posting back to this page's own URL."""
    fields = "".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in (hidden or {}).items()
    )
    return f'<form method="post">{fields}<button type="submit" class="{css}">{escape(label)}</button></form>'


def _where(comment: ModeratedComment, say: Texts) -> str:
    """Its status, and who set it when someone did ("approved by ada@…")."""
    status = _status(comment.status, say)
    return say("by", status=status, moderator=comment.moderated_by) if comment.moderated_by else status


def action_page(comment: ModeratedComment, action: LinkAction, settings: Settings) -> Response[str]:
    """What a link opened with GET shows: the comment and one button, or why there is none."""
    say = Texts(settings.moderator_language, "moderation")
    language = settings.moderator_language
    target = TARGETS[action]
    status = comment.status
    if status is target:
        return html_document(
            HTTPStatus.OK,
            say("alreadyTitle", status=_status(status, say)),
            f"<p>{escape(say('alreadyText', status=_where(comment, say)))}</p>"
            + comment_block(comment, settings),
            language,
        )
    if target not in TRANSITIONS[status]:
        return html_document(
            HTTPStatus.OK,
            say("isTitle", status=_status(status, say)),
            f"<p>{escape(say('movedOn', status=_where(comment, say)))}</p>"
            + comment_block(comment, settings),
            language,
        )
    stale = (
        f"<p>{escape(say('note', status=_where(comment, say)))}</p>"
        if status is not CommentStatus.PENDING
        else ""
    )
    return html_document(
        HTTPStatus.OK,
        say(QUESTIONS[action]),
        stale
        + comment_block(comment, settings)
        + f'<div class="actions">{_button(say(action), action)}</div>',
        language,
    )


def done_page(comment: ModeratedComment, settings: Settings) -> Response[str]:
    """After the button: the comment's status now (the same after a second click)."""
    say = Texts(settings.moderator_language, "moderation")
    where = ""
    if comment.status is CommentStatus.APPROVED:
        url = f"{settings.article_url(comment.article_slug)}#comment-{comment.id}"
        where = f'<p><a href="{escape(url)}">{escape(say("seeIt"))}</a></p>'
    return html_document(
        HTTPStatus.OK,
        say("doneTitle", status=_status(comment.status, say)),
        f"<p>{escape(say('doneText', status=_where(comment, say)))}</p>{where}"
        + comment_block(comment, settings),
        settings.moderator_language,
    )


def refusal_page(status: int, title: str, message: str, settings: Settings) -> Response[str]:
    """`title` is a key of the catalog's moderation section; `message` is the text to show."""
    say = Texts(settings.moderator_language, "moderation")
    return html_document(status, say(title), f"<p>{escape(message)}</p>", settings.moderator_language)


def queue_page(
    comments: list[ModeratedComment],
    next_cursor: str | None,
    settings: Settings,
    notice: str | None = None,
) -> Response[str]:
    """Every pending comment on this page, oldest first, with its three actions and "approve all".
    "Next page" is a form too (it posts `action=page`, which changes nothing), so no link carries the token."""
    say = Texts(settings.moderator_language, "moderation")
    body = f'<p role="status">{escape(notice)}</p>' if notice else ""
    if not comments:
        body += f"<p>{escape(say('queueEmpty'))}</p>"
    for comment in comments:
        buttons = "".join(
            _button(say(action), action, {"action": action, "comment_id": comment.id}) for action in TARGETS
        )
        body += comment_block(comment, settings) + f'<div class="actions">{buttons}</div>'
    if len(comments) > 1:
        everything = ",".join(comment.id for comment in comments)
        body += _button(
            say.plural("approveAll", len(comments)),
            "approve",
            {"action": "approve_all", "ids": everything},
        )
    if next_cursor:
        body += _button(say("nextPage"), "next", {"action": "page", "cursor": next_cursor})
    return html_document(HTTPStatus.OK, say("queueTitle"), body, settings.moderator_language)
