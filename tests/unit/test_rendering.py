"""message_html: escaped text with paragraphs, line breaks and safe links."""

import pytest

from parley.rendering import message_to_html


def test_plain_text_is_one_paragraph() -> None:
    assert message_to_html("Hello there") == "<p>Hello there</p>"


def test_blank_lines_make_paragraphs_and_newlines_make_breaks() -> None:
    assert message_to_html("one\ntwo\n\n\nthree") == "<p>one<br>two</p><p>three</p>"


@pytest.mark.parametrize(
    ("hostile", "escaped"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ('"quoted" & <b>bold</b>', "&lt;b&gt;bold&lt;/b&gt;"),
    ],
)
def test_markup_is_escaped(hostile: str, escaped: str) -> None:
    html = message_to_html(hostile)

    assert escaped in html
    assert "<script" not in html
    assert "<img" not in html


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
    "text", ["javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "ftp://example.com"]
)
def test_only_http_links_are_made(text: str) -> None:
    assert "<a" not in message_to_html(text)


def test_a_quote_cannot_break_out_of_the_href() -> None:
    html = message_to_html('https://example.com/"onmouseover="alert(1)')

    assert "onmouseover=" not in html.split(">", 2)[1]
    assert 'href="https://example.com/"' in html
