"""Small HTML pages the API answers with (subscription links open in a browser, not in the widget)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.utilities.data_classes.common import BaseProxyEvent

from parley.catalogs import DEFAULT_LANGUAGE, Language, Texts, accepted_language, language_of

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
}
_CSS = (
    "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f5f7fa;color:#1f2933;"
    "margin:0;padding:48px 16px;line-height:1.5}"
    "main{max-width:520px;margin:0 auto;background:#fff;border-radius:10px;padding:32px;"
    "box-shadow:0 1px 3px rgba(0,0,0,.1)}"
    "h1{font-size:1.5rem;margin-top:0}a{color:#1d4ed8}"
    "button{font:inherit;background:#2563eb;color:#fff;border:0;border-radius:6px;padding:10px 18px;cursor:pointer}"
    "button:focus-visible,a:focus-visible,input:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}"
    "fieldset{border:1px solid #cbd2d9;border-radius:6px;margin:0 0 16px;padding:12px 16px}"
    "fieldset label{display:block;padding:4px 0}"
    "article{border-top:1px solid #e4e7eb;padding:12px 0}blockquote{border-left:3px solid #cbd2d9;margin:8px 0;"
    "padding-left:12px;color:#52606d}.actions form{display:inline-block;margin:0 8px 8px 0}"
    ".actions button.reject{background:#52606d}.actions button.spam{background:#b91c1c}"
)


@dataclass(frozen=True)
class PageForm:
    """A one-button form: GET links change nothing, the button's POST does."""

    action: str
    button: str
    hidden: dict[str, str] = field(default_factory=dict)
    choice: tuple[str, list[tuple[str, str]]] | None = (
        None  # a field's name and its (value, label) options; the first is checked
    )
    legend: str = "Email me about this article"  # the choice's caption


def _choices(form: PageForm) -> str:
    if form.choice is None:
        return ""
    name, options = form.choice
    radios = "".join(
        f'<label><input type="radio" name="{escape(name)}" value="{escape(value)}"'
        f"{' checked' if index == 0 else ''}> {escape(label)}</label>"
        for index, (value, label) in enumerate(options)
    )
    return f"<fieldset><legend>{escape(form.legend)}</legend>{radios}</fieldset>"


def html_page(
    status: int,
    title: str,
    paragraphs: list[str],
    form: PageForm | None = None,
    link: str | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> Response[str]:
    """A page in `lang` with a heading, escaped paragraphs, optionally a one-button form, and a link back."""
    body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
    if form is not None:
        hidden = "".join(
            f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
            for name, value in form.hidden.items()
        )
        body += (
            f'<form method="post" action="{escape(form.action)}">{hidden}{_choices(form)}'
            f'<button type="submit">{escape(form.button)}</button></form>'
        )
    if link is not None:
        body += f'<p><a href="{escape(link)}">{escape(Texts(lang, "pages")("back"))}</a></p>'
    return html_document(status, title, body, lang)


def html_document(status: int, title: str, body_html: str, lang: str = DEFAULT_LANGUAGE) -> Response[str]:
    """A page around markup the caller has escaped: not indexed, no referrer, no script, no frame."""
    document = (
        f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex, nofollow">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head>"
        f"<body><main><h1>{escape(title)}</h1>{body_html}</main></body></html>"
    )
    return Response(
        status_code=status, content_type=content_types.TEXT_HTML, body=document, headers=SECURITY_HEADERS
    )


def readers_language(event: BaseProxyEvent, chosen: str | None = None) -> Language:
    """The language the reader chose (stored with their comment or subscription, or in their link),
    else the first of the six their browser asks for (`Accept-Language`), else English."""
    if chosen:
        return language_of(chosen)
    return accepted_language(event.headers.get("accept-language")) or DEFAULT_LANGUAGE


def vary_by_language(
    app: APIGatewayHttpResolver, next_middleware: Callable[[APIGatewayHttpResolver], Response[Any]]
) -> Response[Any]:
    """A resolver's middleware: its HTML pages may be in the browser's language, so they say
    `Vary: Accept-Language` (a cache must not show one reader's language to another)."""
    response = next_middleware(app)
    if str(response.headers.get("Content-Type", "")).startswith(content_types.TEXT_HTML):
        response.headers["Vary"] = "Accept-Language"
    return response
