"""The domain of accepting comments: limits, spam signals, storage, and the emails they start."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from aws_lambda_powertools.metrics import MetricUnit

from parley import abuse, reader_tokens, tokens
from parley.api_answers import MessagePreview, SubmissionAccepted
from parley.avatars import avatar_key
from parley.catalogs import DEFAULT_LANGUAGE
from parley.errors import InvalidField, NotFound
from parley.models import (
    Comment,
    CommentStatus,
    CommentSubmission,
    loggable,
    utc_now,
)
from parley.observability import logger, metrics
from parley.queue_messages import ModeratorAlert
from parley.rendering import message_to_html
from parley.settings import Settings
from parley.sqs import NotificationQueue
from parley.storage.comments import CommentRepository
from parley.storage.limits import RateLimits
from parley.storage.subscriptions import SubscriptionRepository
from parley.subscribing import subscribe


@dataclass(frozen=True)
class Reader:
    """Who is posting, as the request shows them."""

    address: str
    user_agent: str | None
    api_url: str | None = None  # the API address that took the request: the base of links in its emails


@dataclass(frozen=True)
class Intake:
    """What accepting a comment needs."""

    comments: CommentRepository
    subscriptions: SubscriptionRepository
    queue: NotificationQueue
    limits: RateLimits
    settings: Settings


def hold_for_moderation(submission: CommentSubmission, reader: Reader, intake: Intake) -> SubmissionAccepted:
    """Count the reader against the flood limits, store the comment (pending, or spam when it looks
    like spam), then alert the moderator and ask for a subscription confirmation.

    Nothing is public until a moderator approves it. Spam gets the same answer as anything else, so
    a bot learns nothing; its alert is only counted in the moderators' next digest."""
    now = utc_now()
    root_id = thread_to_join(submission, intake.comments)
    address = tokens.keyed_hash("client-address", reader.address)
    sender = reader_tokens.reader_key(submission.email)
    abuse.check_submission_rate(
        intake.limits, [f"address:{address}", f"email:{sender}"], intake.settings, now
    )
    spam = abuse.spam_reason(submission, intake.settings)
    comment = Comment(
        **submission.model_dump(exclude={"homepage"}),
        id=uuid.uuid4().hex,
        root_id=root_id,
        has_replies=False if root_id is None else None,
        status=CommentStatus.SPAM if spam else CommentStatus.PENDING,
        created_at=now,
        client_hash=address,
        user_agent=loggable(reader.user_agent or "", 512) or None,
        api_url=reader.api_url,
        reader_key=sender,
        avatar=avatar_key(submission.email, submission.name),
    )
    intake.comments.add(comment)
    if spam:
        logger.info("comment held as spam", extra={"comment_id": comment.id, "reason": spam})
        metrics.add_metric(name=f"Spam_{spam}", unit=MetricUnit.Count, value=1)
    alert_moderators(comment, intake.settings.moderator_emails, intake.queue)
    accepted = SubmissionAccepted(
        id=comment.id,
        edit_token=reader_tokens.sign_edit(tokens.signing_secret(), comment.id),
        edit_until=now + timedelta(minutes=intake.settings.edit_window_minutes),
    )
    if spam:
        return accepted
    if submission.notifications:
        follow_ups_requested(comment, intake)
    return accepted


def preview(submission: CommentSubmission, reader: Reader, intake: Intake) -> MessagePreview:
    """The HTML a submission's message would be stored with; nothing is stored but the address's
    preview count."""
    address = tokens.keyed_hash("client-address", reader.address)
    abuse.check_preview_rate(intake.limits, address, intake.settings, utc_now())
    return MessagePreview(message_html=message_to_html(submission.message))


def thread_to_join(submission: CommentSubmission, comments: CommentRepository) -> str | None:
    """For a reply, the thread it joins (its top-level comment's id): its parent must be a published
    comment of the same article. The answer is the same whatever is wrong, so it tells nothing about
    comments that are not public."""
    if submission.parent_id is None:
        return None
    try:
        parent = comments.get(submission.parent_id)
    except NotFound:
        parent = None
    if (
        parent is None
        or parent.status is not CommentStatus.APPROVED
        or parent.article_slug != submission.article_slug
    ):
        raise InvalidField("must be the id of a published comment on this article", "parent_id")
    return parent.root_id or parent.id


def follow_ups_requested(comment: Comment, intake: Intake) -> None:
    """The reader ticked "notify me": the comment is stored, so a failure here is logged, not returned."""
    try:
        subscribe(
            comment.article_slug,
            comment.email,
            intake.subscriptions,
            intake.queue,
            intake.limits,
            intake.settings.confirmations_per_day,
            comment.api_url,
            comment.lang or DEFAULT_LANGUAGE,
        )
    except Exception:
        logger.exception("could not ask for a subscription confirmation", extra={"comment_id": comment.id})
        metrics.add_metric(name="ConfirmationsNotQueued", unit=MetricUnit.Count, value=1)


def alert_moderators(comment: Comment, moderators: list[str], queue: NotificationQueue) -> None:
    """Queue each moderator's alert (the sender sends it, or collects it into a digest; spam is only
    counted). The comment is stored already and waits in the moderation queue, so a failure here is
    logged and counted, not passed on to the reader."""
    if not moderators:
        return
    alert = ModeratorAlert(
        to=moderators[0],
        spam=comment.status is CommentStatus.SPAM,
        comment_id=comment.id,
        article_slug=comment.article_slug,
        name=comment.name,
        website=comment.website,
        message=comment.message,
        created_at=comment.created_at,
        api_url=comment.api_url,
        commands=[
            f"parley moderate {action} {comment.id}" for action in ("approve", "reject", "spam", "show")
        ],
    )
    try:
        queue.send_all([alert.model_copy(update={"to": moderator}) for moderator in moderators])
    except Exception:
        logger.exception("could not queue the moderator alert", extra={"comment_id": comment.id})
        metrics.add_metric(name="ModeratorAlertsNotQueued", unit=MetricUnit.Count, value=1)
