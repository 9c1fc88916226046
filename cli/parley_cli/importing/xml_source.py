"""XML read safely and a piece at a time: no DTD entities or external references (defusedxml), and
each finished element handed over and dropped, so memory does not grow with the file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from parley_cli.importing.records import MalformedFile, utc


def elements_at(path: Path, depth: int) -> Iterator[Element]:
    """The elements `depth` levels under the root (the root's children are at 1), each once complete."""
    open_elements: list[Element] = []
    try:
        for event, element in iterparse(str(path), events=("start", "end")):
            if event == "start":
                open_elements.append(element)
                continue
            open_elements.pop()
            if len(open_elements) == depth:
                yield element
                open_elements[-1].remove(element)
    except ParseError as error:
        line, column = error.position
        raise MalformedFile(f"{path}:{line}: not well-formed XML (column {column + 1})") from error
    except DefusedXmlException as error:
        raise MalformedFile(
            f"{path}: refused: the file declares XML entities or external references ({error}); "
            "nothing outside the file was read"
        ) from error


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


def moment(value: str, where: str, path: Path) -> datetime:
    try:
        return utc(datetime.fromisoformat(value.strip()))
    except ValueError as error:
        raise MalformedFile(f"{path}: {where}: not a date and time: {value!r}") from error
