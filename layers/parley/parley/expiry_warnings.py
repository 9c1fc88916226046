"""The daily warning that pending comments are about to expire, even on a day no digest goes out.

A digest mentions them too, but a digest goes only when new comments arrived: on a quiet site
comments awaiting review would be deleted (PendingRetentionDays) without a word. So the scheduled
sender, at most once a UTC day, looks for pending comments that expire within EXPIRY_WARNING_DAYS
and, when there are some, emails each moderator their count and the queue link.

The day is claimed (`parley.storage.daily_marks`) before the one Query, so overlapping runs and
retried invocations never look twice. A run that fails after claiming leaves its claim to run out
(CLAIM_HOLD), and a later run that day tries again; each email is keyed by the day and address, so
the retry never sends one twice.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from parley.models import utc_now
from parley.moderator_emails import EXPIRY_WARNING_DAYS, expiry_warning
from parley.ses import OutgoingEmail
from parley.settings import Settings
from parley.storage.comments import CommentRepository
from parley.storage.daily_marks import DailyMarks, day_of

WORK = "expiry-warning"
CLAIM_HOLD = timedelta(hours=1)  # longer than any sender run (its Timeout); then a failed day is tried again


class ExpiryWarnings:
    def __init__(
        self,
        settings: Settings,
        marks: DailyMarks,
        comments: CommentRepository,
        deliver: Callable[[OutgoingEmail], object],
        queue_link: Callable[[str, str | None], str],
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.settings = settings
        self.marks = marks
        self.comments = comments
        self.deliver = deliver
        self.queue_link = queue_link
        self.clock = clock

    def check(self) -> int:
        """Warn each moderator once today if pending comments expire soon; how many emails went."""
        moderators = self.settings.moderator_emails
        now = self.clock()
        if not moderators or not self.marks.claim(WORK, now, CLAIM_HOLD):
            return 0
        expiring = self.comments.pending_expiring(now, timedelta(days=EXPIRY_WARNING_DAYS))
        if expiring:
            # Links start at the API address that took the oldest of them (unless ApiBaseUrl is set).
            api_url = expiring[0].api_url
            for to in moderators:
                link = self.queue_link(to, api_url)
                self.deliver(expiry_warning(to, len(expiring), day_of(now), link, self.settings))
        self.marks.done(WORK, day_of(now))
        return len(moderators) if expiring else 0
