"""The demo site the local stack serves beside the API: the seed article with the widget, and its files.

`/` is the seed article; `/articles/<slug>` is the same article with `<slug>` in its form, so every
test can have an article of its own; `?lang=de` (any of the six) makes it a page in that language
(`<html lang>`), whose comment section the widget then speaks. `/locales/<lang>.json` are the catalogs. The .mdx is rendered with markdown-it-py as MDX would: raw HTML
passes through (with JSX's `className`/`htmlFor` made HTML again), indented code blocks do not exist,
and the seed's stub `<script>` becomes the widget's script tag and the outcome script.
"""

import base64
import hashlib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import parse_qs

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from parley.catalogs import CATALOG_DIRECTORY, LANGUAGES
from parley_cli.pages import LocalResponse
from parley_cli.template import PROJECT_ROOT

WEB = PROJECT_ROOT / "web"
SEED_ARTICLE = WEB / "professional-networking-strategies-2024.mdx"
ARTICLE_PATH = re.compile(r"^/articles/(?P<slug>[a-z0-9-]{1,200})$")
STATIC_FILES = {
    "/parley.js": ("parley.js", "text/javascript; charset=utf-8"),
    "/parley.css": ("parley.css", "text/css; charset=utf-8"),
    "/demo.css": ("demo.css", "text/css; charset=utf-8"),
    "/favicon.svg": ("favicon.svg", "image/svg+xml"),
    "/images/authors/malik-mohsin-saleem-khan.jpg": ("author.svg", "image/svg+xml"),
}
COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-cache",
}
JSX_ATTRIBUTES = {"className=": "class=", "htmlFor=": "for="}
SLUG_INPUT = re.compile(r'(<input type="hidden" name="article_slug" value=")[^"]*("\s*/?>)')
STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')

# The seed's comment section marked with data-parley-text, so the widget puts its language's texts in.
MARKED_TEXTS = (
    ("<h4>Leave a Comment", '<h4 data-parley-text="formTitle">Leave a Comment'),
    ('<label for="comment-name"', '<label for="comment-name" data-parley-text="nameLabel"'),
    ('<label for="comment-email"', '<label for="comment-email" data-parley-text="emailLabel"'),
    ('<label for="comment-website"', '<label for="comment-website" data-parley-text="websiteLabel"'),
    ('<label for="comment-message"', '<label for="comment-message" data-parley-text="messageLabel"'),
    (
        '<label for="comment-notifications"',
        '<label for="comment-notifications" data-parley-text="notificationsLabel"',
    ),
    ('<small id="name-help"', '<small id="name-help" data-parley-text="nameHelp"'),
    ('<small id="email-help"', '<small id="email-help" data-parley-text="emailHelp"'),
    ('<small id="message-help"', '<small id="message-help" data-parley-text="messageHelp"'),
    ('class="submit-comment-btn"', 'class="submit-comment-btn" data-parley-text="submit"'),
    ("<p>Loading comments", '<p data-parley-text="loading">Loading comments'),
    ("<p>Be the first", '<p data-parley-text="empty">Be the first'),
    ('class="load-more-btn"', 'class="load-more-btn" data-parley-text="loadMore"'),
    ("<h4>Comments (", '<h4><span data-parley-text="commentsTitle">Comments</span> ('),
    ('id="comment-name"', 'id="comment-name" data-parley-placeholder="namePlaceholder"'),
    ('id="comment-email"', 'id="comment-email" data-parley-placeholder="emailPlaceholder"'),
    ('id="comment-website"', 'id="comment-website" data-parley-placeholder="websitePlaceholder"'),
    ('id="comment-message"', 'id="comment-message" data-parley-placeholder="messagePlaceholder"'),
)
LOCALE_PATH = re.compile(r"^/locales/(?P<language>[A-Za-z-]{2,5})\.json$")

PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta name="description" content="{description}">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/demo.css">
<link rel="stylesheet" href="/parley.css">
</head>
<body>
<header class="site-header"><a href="/">Parley demo site</a></header>
<main>
<article>
{body}
</article>
</main>
</body>
</html>
"""


@dataclass(frozen=True)
class Page:
    """A rendered page and the inline code its Content-Security-Policy must allow."""

    html: str
    inline_scripts: tuple[str, ...]
    style_attributes: tuple[str, ...]


def handle(method: str, path: str, query: str, headers: Mapping[str, str]) -> LocalResponse | None:
    """The demo article at `/` and `/articles/<slug>`, the widget's files; None for any other path."""
    if method not in ("GET", "HEAD"):
        return None
    if path in STATIC_FILES:
        name, content_type = STATIC_FILES[path]
        return LocalResponse(200, {"Content-Type": content_type, **COMMON_HEADERS}, (WEB / name).read_bytes())
    if (locale := LOCALE_PATH.match(path)) and locale["language"] in LANGUAGES:
        catalog = CATALOG_DIRECTORY / f"{locale['language']}.json"
        json_headers = {"Content-Type": "application/json; charset=utf-8", **COMMON_HEADERS}
        return LocalResponse(200, json_headers, catalog.read_bytes())
    if path == "/":
        slug = SEED_ARTICLE.stem
    elif found := ARTICLE_PATH.match(path):
        slug = found["slug"]
    else:
        return None
    wanted = parse_qs(query).get("lang", [""])[0]
    page = render_article(slug, wanted if wanted in LANGUAGES else "en")
    page_headers = {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": content_security_policy(page),
        "X-Frame-Options": "DENY",
        **COMMON_HEADERS,
    }
    return LocalResponse(200, page_headers, page.html.encode())


def render_article(slug: str, lang: str = "en") -> Page:
    """The seed article as a page in `lang` whose comment form belongs to the article `slug`."""
    markdown = MarkdownIt("commonmark", {"html": True}).use(front_matter_plugin).disable("code")
    tokens = markdown.parse(SEED_ARTICLE.read_text(encoding="utf-8"))
    front_matter: dict[str, Any] = next(
        (yaml.safe_load(token.content) for token in tokens if token.type == "front_matter"), {}
    )
    outcome_script = (WEB / "outcome.js").read_text(encoding="utf-8")
    for token in tokens:
        if token.type in ("html_block", "html_inline"):
            token.content = _as_page_html(token.content, slug, outcome_script, lang)
    _add_byline(tokens, front_matter)
    body = markdown.renderer.render(tokens, markdown.options, {})
    document = PAGE.format(
        lang=lang,
        title=html.escape(str(front_matter.get("title", slug))),
        description=html.escape(str(front_matter.get("description", ""))),
        body=body,
    )
    return Page(document, (outcome_script,), tuple(sorted(set(STYLE_ATTRIBUTE.findall(document)))))


def content_security_policy(page: Page) -> str:
    """Scripts and styles from this origin only, plus the page's own inline code by hash."""
    scripts = " ".join(_hash_source(script) for script in page.inline_scripts)
    styles = " ".join(_hash_source(style) for style in page.style_attributes)
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src 'self' {scripts}",
            f"style-src 'self' 'unsafe-hashes' {styles}",
            "img-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        )
    )


def _as_page_html(raw: str, slug: str, outcome_script: str, lang: str) -> str:
    """One raw HTML block of the .mdx as the page needs it."""
    if raw.lstrip().startswith("<script>"):
        return f'<script src="/parley.js" data-api="" defer></script>\n<script>{outcome_script}</script>\n'
    for jsx, attribute in JSX_ATTRIBUTES.items():
        raw = raw.replace(jsx, attribute)
    raw = raw.replace('<div class="comments-section">', '<div class="comments-section" id="comments">')
    for plain_text, marked in MARKED_TEXTS:
        raw = raw.replace(plain_text, marked)
    # The form's language too, so a post with JavaScript off gets its emails in it.
    language = f'\n<input type="hidden" name="lang" value="{lang}" />' if lang != "en" else ""
    return SLUG_INPUT.sub(lambda found: found[1] + html.escape(slug) + found[2] + language, raw)


def _add_byline(tokens: list[Token], front_matter: dict[str, Any]) -> None:
    """Author, date and reading time from the front matter, under the article's title."""
    title_end = next((i for i, token in enumerate(tokens) if token.type == "heading_close"), None)
    if title_end is None or "author" not in front_matter:
        return
    parts = [f"By {html.escape(str(front_matter['author']))}"]
    if published := front_matter.get("publishedAt"):
        day = date.fromisoformat(str(published))
        parts.append(f'<time datetime="{day.isoformat()}">{day.day} {day:%B %Y}</time>')
    if read_time := front_matter.get("readTime"):
        parts.append(f"{int(read_time)} min read")
    byline = Token("html_block", "", 0, content=f'<p class="byline">{" · ".join(parts)}</p>\n')
    tokens.insert(title_end + 1, byline)


def _hash_source(code: str) -> str:
    digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
    return f"'sha256-{digest}'"
