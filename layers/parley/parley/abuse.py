"""Spam signals and flood limits for new comments."""

import re
from datetime import datetime

from parley.errors import RateLimited
from parley.models import CommentSubmission
from parley.settings import Settings
from parley.storage.limits import RateLimits

_LINK = re.compile(r"https?://|\bwww\.", re.IGNORECASE)


def spam_reason(submission: CommentSubmission, settings: Settings) -> str | None:
    """Why this submission looks like spam, or None. Spam is stored as such, out of the moderation queue."""
    if submission.homepage:
        return "honeypot"
    if len(_LINK.findall(submission.message)) + len(_LINK.findall(submission.name)) > settings.max_links:
        return "links"
    text = f"{submission.name}\n{submission.message}".casefold()
    if any(re.search(rf"\b{re.escape(word.casefold())}\b", text) for word in settings.blocked_words):
        return "blocked_word"
    email = submission.email.casefold()
    domain = "@" + email.rpartition("@")[2]
    if any(blocked.casefold() in (email, domain) for blocked in settings.blocked_emails):
        return "blocked_email"
    return None


def check_submission_rate(limits: RateLimits, subjects: list[str], settings: Settings, now: datetime) -> None:
    """Count this submission against each subject's minute and hour windows (one transaction), or raise
    RateLimited with how long to wait."""
    windows = [
        (subject, limit, seconds)
        for subject in subjects
        for limit, seconds in ((settings.rate_limit_per_minute, 60), (settings.rate_limit_per_hour, 3600))
    ]
    retry_after = limits.hit(windows, now)
    if retry_after is not None:
        raise RateLimited("too many comments in a short time; please wait a little", retry_after)


def check_preview_rate(limits: RateLimits, address_hash: str, settings: Settings, now: datetime) -> None:
    """Previews from one address a minute (counted apart from comments), or RateLimited."""
    retry_after = limits.hit([(f"preview:{address_hash}", settings.previews_per_minute, 60)], now)
    if retry_after is not None:
        raise RateLimited("too many previews in a short time; please wait a little", retry_after)
