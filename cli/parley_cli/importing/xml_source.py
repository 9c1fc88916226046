"""XML read safely and a piece at a time: no DTD entities or external references (defusedxml), and
each finished element handed over and dropped, so memory does not grow with the file. Each
element carries the line it starts on, so an error can name it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from parley_cli.importing.records import MalformedFile, utc

CHUNK = 64 * 1024


LINE = "{urn:parley:import}line"  # where an element starts, noted on it for error messages


class _Collector(TreeBuilder):
    """Builds the tree as the parser reads, notes on each element the line its start tag is on, and
    hands over the elements at `depth` once complete, cut from their parent."""

    def __init__(self, depth: int) -> None:
        super().__init__()
        self.depth = depth
        self.position: Any = None  # the expat parser, to read its current line
        self.open: list[Element] = []
        self.finished: list[Element] = []

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        element = super().start(tag, attrs)
        element.set(LINE, str(self.position.CurrentLineNumber))
        self.open.append(element)
        return element

    def end(self, tag: str) -> Element:
        element = super().end(tag)
        self.open.pop()
        if len(self.open) == self.depth:
            self.finished.append(element)
            self.open[-1].remove(element)
        return element

    def take(self) -> list[Element]:
        taken, self.finished = self.finished, []
        return taken


def elements_at(path: Path, depth: int) -> Iterator[Element]:
    """The elements `depth` levels under the root (the root's children are at 1), each once complete."""
    collector = _Collector(depth)
    parser = DefusedXMLParser(target=collector)
    collector.position = parser.parser
    try:
        with path.open("rb") as source:
            while chunk := source.read(CHUNK):
                parser.feed(chunk)
                yield from collector.take()
        parser.close()
        yield from collector.take()
    except ParseError as error:
        line, column = error.position
        raise MalformedFile(f"{path}:{line}: not well-formed XML (column {column + 1})") from error
    except DefusedXmlException as error:
        raise MalformedFile(
            f"{path}: refused: the file declares XML entities or external references ({error}); "
            "nothing outside the file was read"
        ) from error


def line_of(element: Element) -> str:
    return element.get(LINE, "?")


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def child(element: Element, name: str) -> Element | None:
    for candidate in element:
        if local_name(candidate.tag) == name:
            return candidate
    return None


def text(element: Element, name: str, default: str = "") -> str:
    found = child(element, name)
    return (found.text or "").strip() if found is not None and found.text is not None else default


def attribute(element: Element, name: str) -> str | None:
    """An attribute by its local name, whatever its namespace (Disqus's `dsq:id`)."""
    for key, value in element.attrib.items():
        if local_name(key) == name:
            return value
    return None


def moment(element: Element, name: str, path: Path) -> datetime:
    """The child `name` of `element` as a UTC time; a one-line error naming its line otherwise."""
    value = text(element, name)
    try:
        return utc(datetime.fromisoformat(value))
    except ValueError as error:
        found = child(element, name)
        line = line_of(found if found is not None else element)
        raise MalformedFile(
            f"{path}:{line}: {local_name(element.tag)}: {name} is not a date and time: {value!r}"
        ) from error
