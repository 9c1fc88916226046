"""The pages moderators open from their alert: one comment and one action, or the whole queue.

Every value from a reader is escaped. Forms have no `action`: a browser posts them back to the URL
of the page, token included, so the token never appears in a page; they work without JavaScript,
and a GET never changes anything.
"""

from html import escape
from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response

from parley.models import CommentStatus
from parley.moderation import TRANSITIONS, ModeratedComment
from parley.moderator_tokens import LinkAction
from parley.pages import html_document
from parley.settings import Settings

LABELS: dict[LinkAction, str] = {"approve": "Approve", "reject": "Reject", "spam": "Mark as spam"}
TARGETS: dict[LinkAction, CommentStatus] = {
    "approve": CommentStatus.APPROVED,
    "reject": CommentStatus.REJECTED,
    "spam": CommentStatus.SPAM,
}


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(part)}</p>" for part in text.split("\n\n") if part.strip())


def comment_block(comment: ModeratedComment, settings: Settings) -> str:
    """The comment with its article and, for a reply, the comment it answers."""
    article = settings.article_url(comment.article_slug)
    website = (
        f' · <a href="{escape(comment.website)}" rel="nofollow noopener">website</a>'
        if comment.website
        else ""
    )
    parent = ""
    if comment.parent is not None:
        parent = (
            f"<p>In reply to <strong>{escape(comment.parent.name)}</strong> "
            f"({escape(comment.parent.status.value)}):</p>"
            f"<blockquote>{_paragraphs(comment.parent.message)}</blockquote>"
        )
    return (
        f'<article id="comment-{escape(comment.id)}">'
        f"<p><strong>{escape(comment.name)}</strong>{website} on "
        f'<a href="{escape(article)}">{escape(comment.article_slug)}</a>, '
        f"{escape(comment.created_at.strftime('%Y-%m-%d %H:%M UTC'))}</p>"
        f"{parent}<blockquote>{_paragraphs(comment.message)}</blockquote></article>"
    )


def _button(label: str, css: str, hidden: dict[str, str] | None = None) -> str:
    """A one-button form posting back to this page's own URL."""
    fields = "".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in (hidden or {}).items()
    )
    return f'<form method="post">{fields}<button type="submit" class="{css}">{escape(label)}</button></form>'


def _who(comment: ModeratedComment) -> str:
    return f" by {comment.moderated_by}" if comment.moderated_by else ""


def action_page(comment: ModeratedComment, action: LinkAction, settings: Settings) -> Response[str]:
    """What a link opened with GET shows: the comment and one button, or why there is none."""
    target = TARGETS[action]
    status = comment.status
    if status is target:
        return html_document(
            HTTPStatus.OK,
            f"Already {status.value}",
            f"<p>This comment is already {escape(status.value)}{escape(_who(comment))}.</p>"
            + comment_block(comment, settings),
        )
    if target not in TRANSITIONS[status]:
        return html_document(
            HTTPStatus.OK,
            f"This comment is {status.value}",
            f"<p>It was {escape(status.value)}{escape(_who(comment))} after this email was sent; "
            f"this link can no longer {escape(LABELS[action].lower())} it.</p>"
            + comment_block(comment, settings),
        )
    stale = (
        f"<p>Note: it was {escape(status.value)}{escape(_who(comment))} after this email was sent.</p>"
        if status is not CommentStatus.PENDING
        else ""
    )
    return html_document(
        HTTPStatus.OK,
        f"{LABELS[action]} this comment?",
        stale
        + comment_block(comment, settings)
        + f'<div class="actions">{_button(LABELS[action], action)}</div>',
    )


def done_page(comment: ModeratedComment, settings: Settings) -> Response[str]:
    """After the button: the comment's status now (the same after a second click)."""
    where = ""
    if comment.status is CommentStatus.APPROVED:
        url = f"{settings.article_url(comment.article_slug)}#comment-{comment.id}"
        where = f'<p><a href="{escape(url)}">See it on the article</a></p>'
    return html_document(
        HTTPStatus.OK,
        f"Comment {comment.status.value}",
        f"<p>This comment is {escape(comment.status.value)}{escape(_who(comment))}.</p>{where}"
        + comment_block(comment, settings),
    )


def refusal_page(status: int, title: str, message: str) -> Response[str]:
    return html_document(status, title, f"<p>{escape(message)}</p>")


def queue_page(
    comments: list[ModeratedComment],
    next_cursor: str | None,
    settings: Settings,
    notice: str | None = None,
) -> Response[str]:
    """Every pending comment on this page, oldest first, with its three actions and "approve all".
    "Next page" is a form too (it posts `action=page`, which changes nothing), so no link carries the token."""
    body = f'<p role="status">{escape(notice)}</p>' if notice else ""
    if not comments:
        body += "<p>No comment awaits review.</p>"
    for comment in comments:
        buttons = "".join(
            _button(LABELS[action], action, {"action": action, "comment_id": comment.id})
            for action in TARGETS
        )
        body += comment_block(comment, settings) + f'<div class="actions">{buttons}</div>'
    if len(comments) > 1:
        everything = ",".join(comment.id for comment in comments)
        body += _button(
            f"Approve all {len(comments)} on this page",
            "approve",
            {"action": "approve_all", "ids": everything},
        )
    if next_cursor:
        body += _button("Next page", "next", {"action": "page", "cursor": next_cursor})
    return html_document(HTTPStatus.OK, "Comments awaiting review", body)
