"""Typed reads from parsed YAML that record, instead of raising, every problem with its line.

:class:`Collector` is what :mod:`jinshui_qa.facts.validation` uses to read each file: ask it for text, a
bilingual pair or a list under a key, and it returns a usable value while noting, as
``file:line: message``, anything missing, unknown, empty or of the wrong type. It reads any ``dict`` and
``list``: the line-aware parser's :class:`LDict`/:class:`LList` give each problem its line, the plain
containers of :mod:`jinshui_qa.facts.fast_yaml` give line 0 (a file with problems is read again,
line-aware, to report them).
"""

from __future__ import annotations

from typing import Any

from jinshui_qa.errors import Problem
from jinshui_qa.facts.schema import Bilingual
from jinshui_qa.facts.yaml_lines import LDict, LList


class Collector:
    """Collects problems for one file."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def keys(
        self, mapping: YamlMap, where: str, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> None:
        for key, line in getattr(mapping, "duplicate_keys", ()):
            self.add(line, f"{where}: duplicate key {key!r}")
        for key in mapping:
            if key not in required and key not in optional:
                self.add(line_of(mapping, key), f"{where}: unknown key {key!r}")
        for key in required:
            if key not in mapping:
                self.add(getattr(mapping, "line", 0), f"{where}: missing key {key!r}")

    def text(self, mapping: YamlMap, key: str, where: str) -> str:
        value = mapping.get(key)
        if key not in mapping:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.add(line_of(mapping, key), f"{where}: {key!r} must be text, got {kind_of(value)}")
            return ""
        if not str(value).strip():
            self.add(line_of(mapping, key), f"{where}: {key!r} is empty")
        return str(value).strip()

    def bilingual(self, mapping: YamlMap, key: str, where: str) -> Bilingual:
        value = mapping.get(key)
        if key not in mapping:
            return Bilingual("", "")
        if not isinstance(value, dict):
            self.add(
                line_of(mapping, key),
                f"{where}: {key!r} must be a mapping with zh and en, got {kind_of(value)}",
            )
            return Bilingual("", "")
        self.keys(value, f"{where}.{key}", ("zh", "en"), ())
        return Bilingual(self.text(value, "zh", f"{where}.{key}"), self.text(value, "en", f"{where}.{key}"))

    def texts(self, mapping: YamlMap, key: str, where: str, minimum: int = 1) -> tuple[str, ...]:
        value = mapping.get(key)
        if key not in mapping:
            return ()
        if not isinstance(value, list):
            self.add(line_of(mapping, key), f"{where}: {key!r} must be a list, got {kind_of(value)}")
            return ()
        out: list[str] = []
        for index, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, str | int | float) or not str(item).strip():
                self.add(line_of(value, index), f"{where}: {key!r} item {index + 1} must be non-empty text")
            else:
                out.append(str(item).strip())
        if len(out) < minimum:
            self.add(line_of(mapping, key), f"{where}: {key!r} needs at least {minimum} item(s)")
        return tuple(out)


YamlMap = dict[Any, Any]  # an LDict (with lines) or a plain dict (without)


def line_of(container: dict[Any, Any] | list[Any], key: Any) -> int:
    """The line of ``key`` (a mapping's key or a list's index) where the parser recorded it, else 0."""
    return container.line_of(key) if isinstance(container, LDict | LList) else 0


def kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "nothing" if value is None else type(value).__name__
