"""`/_dev/outbox`: the emails SES (moto) accepted, as JSON and as a page to click through.

The emails come from moto's public data endpoint, `/moto-api/data.json` (what its dashboard shows),
wherever AWS_ENDPOINT_URL points; without one (moto in this process, `mock_aws`), from the address
moto answers in process."""

import json
import os
from collections.abc import Mapping
from email import policy
from email.parser import BytesParser
from html import escape
from typing import Any
from urllib.parse import parse_qs

import requests

from parley_cli.pages import LocalResponse

PATH = "/_dev/outbox"
IN_PROCESS_MOTO = "http://motoapi.amazonaws.com"


def sent_messages() -> list[dict[str, Any]]:
    """Every email sent so far, oldest first: to, subject, text, html and all headers."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL") or IN_PROCESS_MOTO
    response = requests.get(f"{endpoint}/moto-api/data.json", timeout=30)
    response.raise_for_status()
    messages = []
    for sent in response.json().get("ses", {}).get("RawMessage", []):
        parsed = BytesParser(policy=policy.default).parsebytes(sent["raw_data"].encode("utf-8"))
        text = parsed.get_body(preferencelist=("plain",))
        html = parsed.get_body(preferencelist=("html",))
        messages.append(
            {
                "to": str(parsed["To"]).strip(),
                "subject": str(parsed["Subject"]).strip(),
                "text": text.get_content() if text else "",
                "html": html.get_content() if html else "",
                "headers": {name: str(value).strip() for name, value in parsed.items()},
            }
        )
    return messages


def handle(method: str, path: str, query: str, headers: Mapping[str, str]) -> LocalResponse | None:
    if path != PATH or method not in ("GET", "HEAD"):
        return None
    messages = sent_messages()
    wants_json = "json" in parse_qs(query).get("format", []) or "text/html" not in headers.get("accept", "")
    if wants_json:
        body = json.dumps({"messages": messages}, indent=2).encode()
        return LocalResponse(200, {"Content-Type": "application/json", "Cache-Control": "no-store"}, body)
    return LocalResponse(
        200, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}, page(messages)
    )


def page(messages: list[dict[str, Any]]) -> bytes:
    """Newest first; each email's HTML in a sandboxed frame, and a one-click unsubscribe button where
    the email has List-Unsubscribe-Post (what a mail client would offer)."""
    items = []
    for number, message in reversed(list(enumerate(messages, start=1))):
        unsubscribe = message["headers"].get("List-Unsubscribe", "").strip("<>")
        one_click = (
            f'<form method="post" action="{escape(unsubscribe)}" target="_blank">'
            '<input type="hidden" name="List-Unsubscribe" value="One-Click">'
            "<button>Unsubscribe (one click, as a mail client would)</button></form>"
            if unsubscribe and "List-Unsubscribe-Post" in message["headers"]
            else ""
        )
        frame = '<base target="_blank">' + message["html"]
        items.append(
            f"<article><h2>#{number} {escape(message['subject'])}</h2>"
            f"<p>To: <strong>{escape(message['to'])}</strong></p>{one_click}"
            f'<iframe sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="{escape(frame)}" '
            f'title="{escape(message["subject"])}"></iframe>'
            f"<details><summary>Plain text and headers</summary><pre>{escape(message['text'])}</pre>"
            f"<pre>{escape(json.dumps(message['headers'], indent=2))}</pre></details></article>"
        )
    empty = "<p>No emails yet. Tick “Notify me” when you post a comment, then wait a few seconds.</p>"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Parley outbox</title>'
        "<style>body{font-family:system-ui,sans-serif;max-width:860px;margin:2rem auto;padding:0 1rem}"
        "article{border:1px solid #cbd2d9;border-radius:8px;padding:0 1rem 1rem;margin:1rem 0}"
        "iframe{width:100%;height:380px;border:1px solid #e4e7eb}</style></head>"
        f"<body><h1>Outbox ({len(messages)})</h1><p>What SES accepted on the local stack. "
        f'<a href="{PATH}?format=json">JSON</a></p>{"".join(items) or empty}</body></html>'
    ).encode()
