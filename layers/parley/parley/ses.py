"""SES v2 access: the only module that sends email. Messages go out as raw MIME, so our headers
(List-Unsubscribe, List-Unsubscribe-Post) reach the recipient as written."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from functools import cache
from typing import TYPE_CHECKING, Any

import boto3
from pydantic import BaseModel, Field

from parley.aws_config import client_config
from parley.settings import get_settings

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client


class OutgoingEmail(BaseModel):
    """One email, ready to send. `idempotency_key` names it: the same key is never sent twice."""

    idempotency_key: str
    to: str
    subject: str
    text: str
    html: str
    headers: dict[str, str] = Field(default={})


@cache
def sesv2() -> SESV2Client:
    """Created on first use; honours AWS_ENDPOINT_URL (the local stack, moto)."""
    return boto3.client("sesv2", config=client_config(read_timeout=5))


def to_mime(email: OutgoingEmail, sender: str) -> bytes:
    message = EmailMessage()
    message["From"] = formataddr(("Parley", sender))
    message["To"] = email.to
    message["Subject"] = email.subject
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    for name, value in email.headers.items():
        message[name] = value
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    return message.as_bytes()


class Mailer:
    def __init__(self, sender: str | None = None, configuration_set: str | None = None) -> None:
        settings = get_settings()
        self.sender = sender or settings.sender_email
        self.configuration_set = configuration_set or settings.ses_configuration_set

    def send(self, email: OutgoingEmail) -> str:
        """Send through SES v2; returns SES's message id. SES errors (throttling included) are raised."""
        if not self.sender:
            raise RuntimeError("SENDER_EMAIL is not set")
        request: dict[str, Any] = {
            "FromEmailAddress": self.sender,
            "Destination": {"ToAddresses": [email.to]},
            "Content": {"Raw": {"Data": to_mime(email, self.sender)}},
        }
        if self.configuration_set:
            request["ConfigurationSetName"] = self.configuration_set
        return str(sesv2().send_email(**request)["MessageId"])
