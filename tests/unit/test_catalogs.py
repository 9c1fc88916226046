"""The language catalogs: each has exactly the English one's texts, placeholders and plural forms."""

import json
import string
from typing import Any

import pytest

from parley.catalogs import (
    CATALOG_DIRECTORY,
    LANGUAGES,
    Texts,
    accepted_language,
    language_of,
    plural_category,
)

PLURAL_CATEGORIES = {  # CLDR's cardinal categories of whole numbers, per language
    "en": {"one", "other"},
    "de": {"one", "other"},
    "fr": {"one", "many", "other"},
    "es": {"one", "many", "other"},
    "pt-BR": {"one", "many", "other"},
    "ja": {"other"},
}


def texts(language: str) -> dict[str, Any]:
    """`section.key` -> its text, or its plural forms."""
    loaded = json.loads((CATALOG_DIRECTORY / f"{language}.json").read_text(encoding="utf-8"))
    return {f"{section}.{key}": text for section, entries in loaded.items() for key, text in entries.items()}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_language_has_a_catalog_file_and_no_other_is_there() -> None:
    assert sorted(path.stem for path in CATALOG_DIRECTORY.glob("*.json")) == sorted(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_catalog_has_every_key_and_placeholder_of_english_and_nothing_more(language: str) -> None:
    english, translated = texts("en"), texts(language)
    assert set(translated) - set(english) == set(), "keys English does not have"
    assert set(english) - set(translated) == set(), "keys missing"
    for key, source in english.items():
        wanted = placeholders(source if isinstance(source, str) else source["other"])
        forms = translated[key] if isinstance(translated[key], dict) else {"other": translated[key]}
        assert isinstance(source, dict) == isinstance(translated[key], dict), (
            f"{key}: plural or not as English"
        )
        for category, form in forms.items():
            found = placeholders(form)
            if category == "other":
                assert found == wanted, f"{key} ({category}): placeholders {found} instead of {wanted}"
            else:  # "one" may say the number in words
                assert found <= wanted, f"{key} ({category}): placeholders {found - wanted} unknown"
        if isinstance(source, dict):
            assert set(forms) == PLURAL_CATEGORIES[language], f"{key}: plural forms {set(forms)}"


@pytest.mark.parametrize(
    ("language", "counts"),
    [
        ("en", {0: "other", 1: "one", 2: "other"}),
        ("fr", {0: "one", 1: "one", 2: "other", 1_000_000: "many"}),
        ("pt-BR", {0: "one", 1: "one", 5: "other", 2_000_000: "many"}),
        ("es", {0: "other", 1: "one", 1_000_000: "many"}),
        ("ja", {1: "other", 3: "other"}),
    ],
)
def test_plural_categories_follow_cldr(language: str, counts: dict[int, str]) -> None:
    assert {count: plural_category(language, count) for count in counts} == counts


def test_texts_fill_in_plurals_and_markup() -> None:
    assert Texts("de", "moderation").plural("digestSubject", 1) == "1 Kommentar wartet auf Freigabe"
    assert Texts("de", "moderation").plural("digestSubject", 3) == "3 Kommentare warten auf Freigabe"
    html = Texts("de", "emails").html("confirmIntro", article="<a>x</a>")
    assert (
        html
        == "Jemand (hoffentlich Sie) möchte per E-Mail erfahren, wenn neue Kommentare erscheinen zu <a>x</a>."
    )


@pytest.mark.parametrize(
    ("tag", "language"),
    [("de-AT", "de"), ("pt", "pt-BR"), ("PT-br", "pt-BR"), ("ja-JP", "ja"), ("ko", "en"), (None, "en")],
)
def test_a_language_tag_maps_to_one_of_the_six(tag: str | None, language: str) -> None:
    assert language_of(tag) == language


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "de"),
        ("fr;q=0.1, ja", "ja"),  # the highest q first, whatever the order
        ("es, fr", "es"),  # equal q: the header's order
        ("ko, zh-CN;q=0.9, pt-PT;q=0.5", "pt-BR"),  # languages we lack are passed over
        ("de;q=0, fr;q=0.2", "fr"),  # q=0: "not this one"
        ("ja;q=abc, es;q=2, de;q=nan, fr;q=0.1", "fr"),  # malformed weights are skipped
        (" JA-jp ; Q = 0.5 ", "ja"),
        ("*, de;q=0.1", "de"),
        ("xx", None),
        ("*", None),
        ("", None),
        (None, None),
    ],
)
def test_an_accept_language_header_picks_the_first_of_the_six_it_wants(
    header: str | None, language: str | None
) -> None:
    assert accepted_language(header) == language
