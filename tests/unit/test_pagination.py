"""Cursors: opaque, bound to their listing, and refused when tampered with."""

import pytest

from parley.errors import InvalidCursor
from parley.pagination import decode_cursor, encode_cursor

SORT_KEY = "2026-11-26T07:00:00.123456Z#" + "a" * 32


def test_a_cursor_round_trips() -> None:
    assert decode_cursor("article:x:oldest", encode_cursor("article:x:oldest", SORT_KEY)) == SORT_KEY


def test_a_cursor_of_another_listing_is_refused() -> None:
    with pytest.raises(InvalidCursor):
        decode_cursor("article:y:oldest", encode_cursor("article:x:oldest", SORT_KEY))


@pytest.mark.parametrize("cursor", ["", "!!!", "bm90IGpzb24", "W10", "eyJzIjoxfQ", "ÿ"])
def test_malformed_cursors_are_refused_naming_the_field(cursor: str) -> None:
    with pytest.raises(InvalidCursor) as caught:
        decode_cursor("article:x:oldest", cursor)
    assert caught.value.field == "cursor"
