"""At most one email per moderator per ALERT_INTERVAL_MINUTES: an alert when the slot is open, else
the comment joins the next digest, which a delayed queue message sends when the slot opens again.

So a flood of submissions reaches each moderator as one alert and one digest per interval, however
many comments (or spam) it brings. A digest lists the first DIGEST_LISTED comments still pending,
each with its links, counts the rest and the spam, and ends with the queue link.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import quote

from parley import moderator_tokens
from parley.models import CommentStatus, email_hash, utc_now
from parley.moderator_emails import EXPIRY_WARNING_DAYS, Digest, moderator_alert, moderator_digest
from parley.moderator_emails import listed as listed_item
from parley.moderator_tokens import LINK_ACTIONS, ActionGrant, LinkAction, QueueGrant
from parley.queue_messages import ModeratorAlert, ModeratorDigest
from parley.ses import OutgoingEmail
from parley.settings import Settings
from parley.sqs import NotificationQueue
from parley.storage.alert_slots import AlertSlots
from parley.storage.comments import CommentRepository


class ModeratorAlerts:
    def __init__(
        self,
        settings: Settings,
        slots: AlertSlots,
        comments: CommentRepository,
        queue: NotificationQueue,
        deliver: Callable[[OutgoingEmail], object],
        secret: Callable[[], str],
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.settings = settings
        self.slots = slots
        self.comments = comments
        self.queue = queue
        self.deliver = deliver
        self.secret = secret
        self.clock = clock
        self.interval = timedelta(minutes=settings.alert_interval_minutes)

    def alert(self, message: ModeratorAlert) -> None:
        """Send now if this moderator's slot is open; else collect it (spam is only counted)."""
        moderator, now = email_hash(message.to), self.clock()
        if message.spam:
            self.slots.count_spam(moderator, now)
            return
        if self.slots.take(moderator, now, self.interval):
            links = self._links(message.to, message.api_url, message.comment_id)
            self.deliver(
                moderator_alert(message, links, self.queue_link(message.to, message.api_url), self.settings)
            )
            return
        before = self.slots.collect(moderator, message.comment_id, now)
        if before is not None:  # the first one collected: the digest is due when the slot opens
            self.queue.send(
                ModeratorDigest(to=message.to, api_url=message.api_url),
                delay_seconds=before.open_until - int(now.timestamp()),
            )

    def digest(self, message: ModeratorDigest) -> None:
        """Send what was collected, once the slot is open; a digest queued for later waits again
        (SQS delays a message 15 minutes at most)."""
        moderator, now = email_hash(message.to), self.clock()
        state = self.slots.read(moderator)
        if state.scheduled is None:
            return  # sent already (a retry)
        wait = state.open_until - int(now.timestamp())
        if wait > 0:
            self.queue.send(message, delay_seconds=wait)
            return
        found = self.comments.get_many(state.ids)
        still = [found[i] for i in state.ids if i in found and found[i].status is CommentStatus.PENDING]
        moved_on = len(state.ids) - len(still)
        due = state.pending - moved_on > 0 or state.spam > 0
        if due:
            digest = Digest(
                to=message.to,
                key=f"{moderator}:{state.scheduled}",
                pending=state.pending - moved_on,
                listed=[listed_item(c, self._links(message.to, message.api_url, c.id)) for c in still],
                spam=state.spam,
                queue_link=self.queue_link(message.to, message.api_url),
                expiring=len(self.comments.pending_expiring(now, timedelta(days=EXPIRY_WARNING_DAYS))),
            )
            self.deliver(moderator_digest(digest, self.settings))
        self.slots.sent(moderator, state, now, self.interval if due else timedelta(0))

    def _url(self, api_url: str | None, path: str, token: str) -> str:
        return f"{self.settings.links_base(api_url)}{path}?token={quote(token, safe='')}"

    def _links(self, to: str, api_url: str | None, comment_id: str) -> dict[LinkAction, str]:
        secret = self.secret()
        return {
            action: self._url(
                api_url,
                f"/api/moderation/{action}",
                moderator_tokens.sign_action(secret, ActionGrant(action, comment_id, to)),
            )
            for action in LINK_ACTIONS
        }

    def queue_link(self, to: str, api_url: str | None) -> str:
        """This moderator's signed link to the page of every pending comment."""
        token = moderator_tokens.sign_queue(self.secret(), QueueGrant(to))
        return self._url(api_url, "/api/moderation/queue", token)
