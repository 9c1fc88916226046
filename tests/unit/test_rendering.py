"""message_html: the CommonMark subset readers use, escaped everywhere else, with safe links only."""

import pytest

from parley.rendering import message_to_html


def test_plain_text_is_one_paragraph() -> None:
    assert message_to_html("Hello there") == "<p>Hello there</p>"


def test_blank_lines_make_paragraphs_and_newlines_make_breaks() -> None:
    assert message_to_html("one\ntwo\n\n\nthree") == "<p>one<br>\ntwo</p>\n<p>three</p>"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("**follow-up**", "<strong>follow-up</strong>"),
        ("__strong__ too", "<strong>strong</strong>"),
        ("*stress* and _this_", "<em>stress</em> and <em>this</em>"),
        ("run `make dev` first", "<code>make dev</code>"),
        ("```\nif a < b:\n    pass\n```", "<pre><code>if a &lt; b:\n    pass\n</code></pre>"),
        ("    indented code", "<pre><code>indented code\n</code></pre>"),
        ("> quoted\n> twice", "<blockquote>\n<p>quoted<br>\ntwice</p>\n</blockquote>"),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("3. three\n4. four", '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>'),
        (
            "[the docs](https://example.com/docs)",
            '<a href="https://example.com/docs" rel="nofollow ugc noopener">the docs</a>',
        ),
    ],
)
def test_the_markdown_subset_is_rendered(typed: str, shown: str) -> None:
    assert shown in message_to_html(typed)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("# Not a heading", "<p># Not a heading</p>"),
        ("Title\n===", "<p>Title<br>\n===</p>"),
        ("---", "<p>---</p>"),
        ("| a | b |\n|---|---|", "<p>| a | b |<br>\n|---|---|</p>"),
    ],
)
def test_headings_rules_and_tables_stay_as_typed(typed: str, shown: str) -> None:
    assert message_to_html(typed) == shown


def test_an_image_is_never_shown_only_linked() -> None:
    html = message_to_html("![a cat](https://example.com/cat.png)")

    assert "<img" not in html
    assert html == '<p>!<a href="https://example.com/cat.png" rel="nofollow ugc noopener">a cat</a></p>'


@pytest.mark.parametrize(
    ("hostile", "escaped"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ('"quoted" & <b>bold</b>', "&lt;b&gt;bold&lt;/b&gt;"),
        ("<div>\n\n*x*\n\n</div>", "&lt;div&gt;"),
        ("`<b>` in code", "<code>&lt;b&gt;</code>"),
    ],
)
def test_raw_html_is_escaped(hostile: str, escaped: str) -> None:
    html = message_to_html(hostile)

    assert escaped in html
    assert "<script" not in html
    assert "<img" not in html
    assert "<b>" not in html
    assert "<div" not in html


def test_bare_links_get_rel_and_keep_trailing_punctuation_outside() -> None:
    html = message_to_html("Read https://example.com/a?b=1&c=2.")

    assert html == (
        '<p>Read <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
        "https://example.com/a?b=1&amp;c=2</a>.</p>"
    )


def test_parentheses_belonging_to_the_url_stay_in_it() -> None:
    html = message_to_html("(see https://en.wikipedia.org/wiki/Foo_(bar))")

    assert 'href="https://en.wikipedia.org/wiki/Foo_(bar)"' in html
    assert html.endswith("</a>)</p>")


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "[click](javascript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "<javascript:alert(1)>",
        "[home](/relative/path)",
        "[mail](mailto:me@example.com) or me@example.com",
        "ftp://example.com and www.example.com",
    ],
)
def test_only_http_links_are_made(text: str) -> None:
    assert "<a" not in message_to_html(text)


def test_a_link_carries_nothing_but_its_address() -> None:
    html = message_to_html('[x](https://example.com "a title")')

    assert html == '<p><a href="https://example.com" rel="nofollow ugc noopener">x</a></p>'


def test_a_quote_cannot_break_out_of_the_href() -> None:
    html = message_to_html('https://example.com/"onmouseover="alert(1)')

    assert " onmouseover" not in html
    assert 'href="https://example.com/%22onmouseover=%22alert(1)"' in html
