"""Fan-out: one approved comment on an article with N confirmed subscribers, sent through the sender
against moto (in this process), with the sender's peak memory."""

import json
import os
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import boto3
from moto import mock_aws

from parley import ses, settings, sqs, tokens
from parley.models import utc_now
from parley.storage import dynamo
from parley.storage.subscriptions import SubscriptionRepository
from parley_cli import runtime, template
from parley_cli.events import http_api_event
from parley_cli.outbox import sent_messages

SLUG = "fan-out-article"


@dataclass
class FanOutResult:
    subscribers: int
    emails: int
    seconds: float
    peak_mib: float
    runs: int

    @property
    def emails_per_second(self) -> float:
        return self.emails / self.seconds


@contextmanager
def moto_stack(max_send_rate: float, parameters: dict[str, str] | None = None) -> Iterator[dict[str, Any]]:
    """The template's resources under moto, and every function's environment, in this process
    (`parameters` beside the site and the send rate)."""
    environment = {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
    os.environ.update(environment)
    os.environ.pop("AWS_ENDPOINT_URL", None)
    with mock_aws():
        for clear in (
            dynamo.dynamodb.cache_clear,
            sqs.sqs.cache_clear,
            ses.sesv2.cache_clear,
            tokens.secrets.cache_clear,
        ):
            clear()
        loaded = template.load_template()
        parameters = {
            "SiteUrl": "https://blog.example.com",
            "MaxSendRate": str(max_send_rate),
            **(parameters or {}),
        }
        references = {**parameters, **template.create_resources(loaded, boto3.Session(), parameters)}
        specs = template.functions(loaded)
        for spec in specs.values():
            os.environ.update(template.function_environment(loaded, spec, references))
        settings.get_settings.cache_clear()
        yield {name: (spec, runtime.load_handler(spec)) for name, spec in specs.items()}


def confirmed_subscribers(count: int) -> None:
    repository = SubscriptionRepository()
    now = utc_now()
    for index in range(count):
        subscription = repository.request(
            SLUG, f"reader{index}@example.com", now, resend_after=timedelta(0), reader_key=f"reader{index}"
        )
        assert subscription is not None
        repository.confirm(SLUG, subscription.email_hash, now)


def run_fan_out(subscribers: int, max_send_rate: float) -> FanOutResult:
    with moto_stack(max_send_rate) as functions:
        confirmed_subscribers(subscribers)
        submit_spec, submit = functions["SubmitCommentFunction"]
        moderate_spec, moderate = functions["ModerateFunction"]
        sender_spec, sender = functions["SendNotificationsFunction"]
        posted = runtime.invoke(
            submit_spec,
            submit,
            http_api_event(
                "POST",
                "/api/comments",
                "POST /api/comments",
                headers={"content-type": "application/json"},
                body=json.dumps(
                    {
                        "article_slug": SLUG,
                        "name": "Author",
                        "email": "author@example.com",
                        "message": "One comment, many readers.",
                    }
                ).encode(),
            ),
        )
        comment_id = json.loads(posted["body"])["id"]
        runtime.invoke(
            moderate_spec, moderate, {"action": "approve", "comment_id": comment_id, "moderator": "bench"}
        )

        tracemalloc.start()
        started = time.perf_counter()
        runs = 0
        while True:
            report = runtime.invoke(sender_spec, sender, {})
            runs += 1
            if report["received"] == 0:
                break
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        emails = sum(1 for message in sent_messages() if message["subject"] == "New comment by Author")
    return FanOutResult(subscribers, emails, seconds, peak / 2**20, runs)
