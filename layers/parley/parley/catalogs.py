"""The language catalogs (parley/locales/<code>.json): one per language, for the widget, pages and emails.

A catalog's sections hold texts with `{name}` placeholders; a text with plural forms is an object keyed
by the language's CLDR plural categories. Every catalog has the English one's keys and placeholders
(tests/unit/test_catalogs.py holds them to it).
"""

import json
from functools import cache
from html import escape
from pathlib import Path
from typing import Any, Literal, get_args

Language = Literal["en", "de", "fr", "es", "pt-BR", "ja"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT_LANGUAGE: Language = "en"
CATALOG_DIRECTORY = Path(__file__).parent / "locales"
MILLION = 1_000_000


def plural_category(language: str, count: int) -> str:
    """CLDR's cardinal category of a whole number: the few rules the six languages need."""
    if language == "ja":
        return "other"
    if count == 1 or (count == 0 and language in ("fr", "pt-BR")):
        return "one"
    if language in ("fr", "es", "pt-BR") and count != 0 and count % MILLION == 0:
        return "many"
    return "other"


def _matching(tag: str) -> Language | None:
    wanted = tag.strip().lower()
    for language in LANGUAGES:
        if wanted == language.lower():
            return language
    base = wanted.split("-")[0]
    return next((language for language in LANGUAGES if language.split("-")[0] == base), None)


def language_of(value: str | None) -> Language:
    """One of the six for a language tag (`de-AT` is `de`, `pt` is `pt-BR`); English when none fits."""
    return _matching(value or "") or DEFAULT_LANGUAGE


def accepted_language(header: str | None) -> Language | None:
    """The first of the six an `Accept-Language` header wants (highest q first, then in its order; `q=0`
    and malformed entries are skipped; tags map as `language_of` maps them); None when none fits."""
    ranked: list[tuple[float, int, str]] = []
    for position, entry in enumerate((header or "").split(",")):
        tag, *parameters = entry.split(";")
        weight = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if 0 < weight <= 1:  # also false for nan
            ranked.append((-weight, position, tag))
    return next((found for *_, tag in sorted(ranked) if (found := _matching(tag))), None)


@cache
def catalog(language: str) -> dict[str, dict[str, Any]]:
    """A language's whole catalog, read once per container."""
    path = CATALOG_DIRECTORY / f"{language_of(language)}.json"
    loaded: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


class Texts:
    """One section of one language's catalog: `texts("key", name=...)` fills in its placeholders."""

    def __init__(self, language: str | None, section: str) -> None:
        self.language = language_of(language)
        self.entries = catalog(self.language)[section]

    def __call__(self, key: str, **values: object) -> str:
        return str(self.entries[key]).format(**values)

    def plural(self, key: str, count: int, **values: object) -> str:
        forms: dict[str, str] = self.entries[key]
        form = forms.get(plural_category(self.language, count), forms["other"])
        return form.format(count=count, **values)

    def html(self, key: str, **markup: str) -> str:
        """The text escaped, with `markup` (already escaped HTML) put in its placeholders."""
        return escape(str(self.entries[key])).format(**markup)
