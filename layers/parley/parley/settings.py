"""Settings read from the function's environment, validated once per container."""

import os
from functools import lru_cache
from typing import Annotated
from urllib.parse import quote, urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from parley.catalogs import DEFAULT_LANGUAGE, Language
from parley.validators import blank_to_none


def _split_commas(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


def _site_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("SITE_URL must be an http:// or https:// address")
    return value.rstrip("/")


class Settings(BaseModel):
    """The environment variables that template.yaml (or the local stack) sets."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    table_name: str = Field(alias="TABLE_NAME", min_length=1)
    site_url: Annotated[str, AfterValidator(_site_url)] = Field(alias="SITE_URL")
    allowed_origins: Annotated[list[str], BeforeValidator(_split_commas)] = Field(
        alias="ALLOWED_ORIGINS", default=[]
    )
    article_path: str = Field(alias="ARTICLE_PATH", default="/articles/{slug}")
    notification_queue_url: str | None = Field(alias="NOTIFICATION_QUEUE_URL", default=None)
    signing_secret_arn: str | None = Field(alias="SIGNING_SECRET_ARN", default=None)
    edge_secret_arn: Annotated[str | None, BeforeValidator(blank_to_none)] = Field(
        alias="EDGE_SECRET_ARN", default=None
    )
    sender_email: str | None = Field(alias="SENDER_EMAIL", default=None)
    ses_configuration_set: str | None = Field(alias="SES_CONFIGURATION_SET", default=None)
    api_base_url: Annotated[str | None, BeforeValidator(blank_to_none)] = Field(
        alias="API_BASE_URL", default=None
    )
    list_cache_seconds: int = Field(alias="LIST_CACHE_SECONDS", default=5, ge=0, le=300)
    max_send_rate: float = Field(alias="MAX_SEND_RATE", default=10.0, gt=0)
    retry_after_seconds: int = Field(alias="NOTIFICATION_RETRY_SECONDS", default=120, ge=0, le=43200)
    receive_wait_seconds: int = Field(alias="RECEIVE_WAIT_SECONDS", default=1, ge=1, le=20)
    rate_limit_per_minute: int = Field(alias="RATE_LIMIT_PER_MINUTE", default=5, ge=1)
    rate_limit_per_hour: int = Field(alias="RATE_LIMIT_PER_HOUR", default=30, ge=1)
    previews_per_minute: int = Field(alias="PREVIEWS_PER_MINUTE", default=30, ge=1)
    confirmations_per_day: int = Field(alias="CONFIRMATIONS_PER_DAY", default=3, ge=1)
    duplicate_window_seconds: int = Field(alias="DUPLICATE_WINDOW_SECONDS", default=600, ge=1)
    max_links: int = Field(alias="MAX_LINKS", default=3, ge=0)
    blocked_words: Annotated[list[str], BeforeValidator(_split_commas)] = Field(
        alias="BLOCKED_WORDS", default=[]
    )
    blocked_emails: Annotated[list[str], BeforeValidator(_split_commas)] = Field(
        alias="BLOCKED_EMAILS", default=[], description="Addresses, or @domain for a whole domain."
    )
    moderator_email: Annotated[str | None, BeforeValidator(blank_to_none)] = Field(
        alias="MODERATOR_EMAIL", default=None
    )
    moderate_function_name: str | None = Field(alias="MODERATE_FUNCTION_NAME", default=None)
    moderation_link_days: int = Field(alias="MODERATION_LINK_DAYS", default=7, ge=1, le=90)
    queue_link_hours: int = Field(alias="QUEUE_LINK_HOURS", default=24, ge=1, le=720)
    alert_interval_minutes: int = Field(alias="ALERT_INTERVAL_MINUTES", default=15, ge=1, le=1440)
    link_requests_per_minute: int = Field(alias="LINK_REQUESTS_PER_MINUTE", default=30, ge=1)
    moderator_language: Annotated[Language, BeforeValidator(lambda value: value or DEFAULT_LANGUAGE)] = Field(
        alias="MODERATOR_LANGUAGE", default=DEFAULT_LANGUAGE, description="Of moderator emails and pages."
    )
    edit_window_minutes: int = Field(alias="EDIT_WINDOW_MINUTES", default=15, ge=1, le=1440)
    pending_retention_days: int = Field(alias="PENDING_RETENTION_DAYS", default=90, ge=7, le=3650)
    data_requests_per_hour: int = Field(alias="DATA_REQUESTS_PER_HOUR", default=5, ge=1)

    @property
    def moderator_emails(self) -> list[str]:
        """MODERATOR_EMAIL may name several moderators, separated by commas."""
        listed = (self.moderator_email or "").split(",")
        return list(dict.fromkeys(address.strip() for address in listed if address.strip()))

    @property
    def site_origin(self) -> str:
        return origin_of(self.site_url)

    def links_base(self, request_api_url: str | None) -> str:
        """Where links in emails point: API_BASE_URL (a custom domain) when set, else the API address
        that took the request which caused the email, else (an old message) the site's origin."""
        return (self.api_base_url or request_api_url or self.site_origin).rstrip("/")

    def article_url(self, slug: str) -> str:
        """The article's page on the site."""
        return self.site_url + quote(self.article_path.format(slug=slug), safe="/%-._~")

    @property
    def browser_origins(self) -> list[str]:
        """The origins that may call the API from a browser (CORS): ALLOWED_ORIGINS, the very list the
        HTTP API's CorsConfiguration takes from the same parameter; the site's own origin if none."""
        listed = [origin_of(origin) for origin in self.allowed_origins]
        return list(dict.fromkeys(listed)) or [self.site_origin]

    @property
    def origins(self) -> list[str]:
        """Every origin the site is served from: the site URL's and the allowed ones."""
        listed = [origin_of(origin) for origin in self.allowed_origins]
        return list(dict.fromkeys([self.site_origin, *listed]))


def origin_of(url: str) -> str:
    """`https://Example.com:443/a?b` -> `https://example.com`."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    default_port = {"http": 80, "https": 443}.get(scheme)
    port = parts.port if parts.port not in (None, default_port) else None
    return f"{scheme}://{host}" + (f":{port}" if port else "")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.model_validate(dict(os.environ))
