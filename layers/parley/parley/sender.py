"""The sender's domain: handle each queued message (expand follow-up jobs, send each email once).

A message that fails (SES throttling, an error for one recipient, a crash) is not deleted: SQS
shows it again after NOTIFICATION_RETRY_SECONDS, and after five receives moves it to the
dead-letter queue. Each email has an idempotency key, and Powertools idempotency records it in
DynamoDB, so a retry after a crash between sending and deleting does not send it again.
"""

import time
from collections.abc import Callable

from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
from aws_lambda_powertools.utilities.idempotency.persistence.base import BasePersistenceLayer

from parley import email_content, my_data_email, reader_tokens, tokens
from parley.alert_digest import ModeratorAlerts
from parley.catalogs import DEFAULT_LANGUAGE
from parley.errors import NotFound
from parley.expiry_warnings import ExpiryWarnings
from parley.models import Comment, CommentStatus, SubscriptionStatus, email_hash
from parley.observability import logger
from parley.queue_messages import (
    AnyNotification,
    DataRequest,
    FollowUpEmail,
    FollowUpJob,
    ModeratorAlert,
    ModeratorDigest,
    ReplyEmail,
    SubscriptionConfirmation,
)
from parley.ses import Mailer, OutgoingEmail
from parley.settings import Settings
from parley.sqs import NotificationQueue
from parley.storage.alert_slots import AlertSlots
from parley.storage.comments import CommentRepository
from parley.storage.daily_marks import DailyMarks
from parley.storage.leases import Leases
from parley.storage.reader_items import ReaderItems
from parley.storage.subscriptions import SubscriptionRepository

IDEMPOTENCY_DAYS = 14  # the queue keeps a message that long, so a retry can never outlive its record
EXPANSION_PAGE_SIZE = 100


class Pace:
    """At most `rate` sends a second (SES's account limit, or lower)."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = 1.0 / rate
        self.clock = clock
        self.next_slot = 0.0

    def wait(self) -> None:
        now = self.clock()
        if now < self.next_slot:
            time.sleep(self.next_slot - now)
            now = self.next_slot
        self.next_slot = now + self.interval


class Sender:
    """Handles one queued message of each kind."""

    def __init__(
        self,
        settings: Settings,
        queue: NotificationQueue,
        mailer: Mailer,
        comments: CommentRepository,
        subscriptions: SubscriptionRepository,
        persistence: BasePersistenceLayer,
        leases: Leases,
        secret: Callable[[], str] = tokens.signing_secret,
    ) -> None:
        self.settings = settings
        self.queue = queue
        self.mailer = mailer
        self.comments = comments
        self.subscriptions = subscriptions
        self.leases = leases
        self.secret = secret
        self.pace = Pace(settings.max_send_rate)
        self.idempotency = IdempotencyConfig(
            event_key_jmespath="idempotency_key",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=IDEMPOTENCY_DAYS * 24 * 3600,
        )
        self.deliver = idempotent_function(
            data_keyword_argument="email", persistence_store=persistence, config=self.idempotency
        )(self._send)
        self._statuses: dict[tuple[str, str], SubscriptionStatus] = {}
        self.readers = ReaderItems(settings.table_name)
        self.moderator_alerts = ModeratorAlerts(
            settings,
            AlertSlots(settings.table_name),
            comments,
            queue,
            lambda email: self.deliver(email=email),
            secret,
        )
        self.expiry_warnings = ExpiryWarnings(
            settings,
            DailyMarks(settings.table_name),
            comments,
            lambda email: self.deliver(email=email),
            self.moderator_alerts.queue_link,
        )

    def _send(self, email: OutgoingEmail) -> str:
        self.pace.wait()
        return self.mailer.send(email)

    def prepare(self, messages: list[AnyNotification]) -> None:
        """Read the subscription status of every follow-up in a batch with one BatchGetItem."""
        keys = [(m.article_slug, m.email_hash) for m in messages if isinstance(m, FollowUpEmail)]
        self._statuses = self.subscriptions.statuses(keys) if keys else {}

    def handle(self, message: AnyNotification) -> None:
        match message:
            case ModeratorAlert():
                self.moderator_alerts.alert(message)
            case ModeratorDigest():
                self.moderator_alerts.digest(message)
            case SubscriptionConfirmation():
                self._confirmation(message)
            case FollowUpJob():
                self._expand(message)
            case FollowUpEmail():  # a ReplyEmail too
                self._follow_up(message)
            case DataRequest():
                self._data_link(message)

    def _data_link(self, message: DataRequest) -> None:
        """Mail the address a link to its data when anything is stored for it; else send nothing."""
        key = reader_tokens.reader_key(message.to)
        if not self.readers.any_stored(key):
            logger.info("data request for an address with nothing stored")
            return
        token = reader_tokens.sign_my_data(self.secret(), key)
        self.deliver(email=my_data_email.data_link(message, key, token, self.settings))

    def _confirmation(self, message: SubscriptionConfirmation) -> None:
        subscription = self.subscriptions.get(message.article_slug, message.email_hash)
        if subscription is None or subscription.status is not SubscriptionStatus.UNCONFIRMED:
            logger.info("confirmation no longer due", extra={"article_slug": message.article_slug})
            return
        token = tokens.sign(
            self.secret(), tokens.SubscriberToken("confirm", message.article_slug, message.email_hash)
        )
        self.deliver(email=email_content.confirmation(message, token, self.settings))

    def _expand(self, job: FollowUpJob) -> None:
        """One FollowUpEmail per confirmed subscriber of a page who follows all new comments, never to
        the comment's author; then the job again for the next page. For a reply, first one ReplyEmail
        to the author of the comment it answers, who then gets no FollowUpEmail for it. A retry
        re-queues the same page: each email still goes once."""
        try:
            comment = self.comments.get(job.comment_id)
        except NotFound:
            logger.info("follow-up job for a deleted comment", extra={"comment_id": job.comment_id})
            return
        if comment.status is not CommentStatus.APPROVED:
            logger.info(
                "follow-up job for a comment no longer approved", extra={"comment_id": job.comment_id}
            )
            return
        about = FollowUpEmail(
            to=comment.email,
            email_hash=email_hash(comment.email),
            article_slug=job.article_slug,
            comment_id=comment.id,
            author_name=comment.name,
            message=comment.message,
            created_at=comment.created_at,
            api_url=comment.api_url,
        )
        skipped = {about.email_hash}
        due: list[AnyNotification] = []
        replied_to = self._replied_to(comment)
        if replied_to is not None:
            skipped.add(email_hash(replied_to.email))
            if job.after is None:
                due.append(
                    ReplyEmail(
                        **about.model_dump(exclude={"kind", "to", "email_hash", "lang"}),
                        to=replied_to.email,
                        email_hash=email_hash(replied_to.email),
                        parent_message=replied_to.message,
                        lang=replied_to.lang or DEFAULT_LANGUAGE,
                    )
                )
        page, after = self.subscriptions.confirmed_page(job.article_slug, job.after, EXPANSION_PAGE_SIZE)
        due += [
            about.model_copy(
                update={
                    "to": subscription.email,
                    "email_hash": subscription.email_hash,
                    "lang": subscription.lang or DEFAULT_LANGUAGE,
                }
            )
            for subscription in page
            if subscription.email_hash not in skipped and subscription.scope == "all"
        ]
        if after is not None:
            due.append(job.model_copy(update={"after": after}))
        self.queue.send_all(due)

    def _replied_to(self, comment: Comment) -> Comment | None:
        """The comment a reply answers, when its author asked for emails and is not the reply's author."""
        if comment.parent_id is None:
            return None
        try:
            parent = self.comments.get(comment.parent_id)
        except NotFound:
            return None
        if not parent.notifications or email_hash(parent.email) == email_hash(comment.email):
            return None
        return parent

    def _follow_up(self, message: FollowUpEmail) -> None:
        key = (message.article_slug, message.email_hash)
        status = self._statuses.get(key)
        if status is None:
            subscription = self.subscriptions.get(*key)
            status = subscription.status if subscription else None
        if status is not SubscriptionStatus.CONFIRMED:
            logger.info(
                "follow-up skipped: not a confirmed subscriber", extra={"article_slug": message.article_slug}
            )
            return
        token = tokens.sign(
            self.secret(), tokens.SubscriberToken("unsubscribe", message.article_slug, message.email_hash)
        )
        if isinstance(message, ReplyEmail):
            self.deliver(email=email_content.reply(message, token, self.settings))
        else:
            self.deliver(email=email_content.follow_up(message, token, self.settings))
