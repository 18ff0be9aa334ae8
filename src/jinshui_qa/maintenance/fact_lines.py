"""Where in its YAML file a fact says something: the one line-finder of ``audit`` and ``fidelity``.

A fact knows the line its entry starts on (``fact.line``, the ``- id:`` line); its entry runs until the
next line, neither blank nor a comment, indented no deeper than that one (the next fact, or the next
top-level key). :func:`line_in_fact` returns the first line of the entry a predicate accepts, after an
optional anchor line (``answer:``), or ``fact.line`` when none does (or the file's text is not at hand).
Pure: it takes the files' text, never paths.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from jinshui_qa.facts.schema import Fact


def entry_lines(fact: Fact, files: Mapping[str, str]) -> list[tuple[int, str]]:
    """The lines of ``fact``'s entry in its file, numbered from 1; empty when the text is not at hand."""
    lines = files.get(fact.file, "").splitlines()
    if not 1 <= fact.line <= len(lines):
        return []
    first = lines[fact.line - 1]
    indent = len(first) - len(first.lstrip())
    out = [(fact.line, first)]
    for number in range(fact.line + 1, len(lines) + 1):
        row = lines[number - 1]
        body = row.lstrip()
        if body and not body.startswith("#") and len(row) - len(body) <= indent:
            break
        out.append((number, row))
    return out


def line_in_fact(fact: Fact, files: Mapping[str, str], matches: Callable[[str], bool],
                 after: Callable[[str], bool] | None = None) -> int:  # fmt: skip
    """The first line of ``fact``'s entry that ``matches`` (searching from the first line ``after``
    accepts, that line included, when given); ``fact.line`` when there is none."""
    started = after is None
    for number, row in entry_lines(fact, files):
        started = started or (after is not None and after(row))
        if started and matches(row):
            return number
    return fact.line


def key_line(fact: Fact, files: Mapping[str, str], key: str, within: str | None = None) -> int:
    """The line of ``key:`` in ``fact``'s entry (block or flow style), inside ``within:`` when given."""
    pattern = re.compile(rf"(?:^|[{{,]\s*|-\s+){re.escape(key)}:")
    inside = None if within is None else re.compile(rf"(?:^|[{{,]\s*|-\s+){re.escape(within)}:")
    return line_in_fact(fact, files, lambda row: bool(pattern.search(row.strip())),
                        None if inside is None else (lambda row: bool(inside.search(row.strip()))))  # fmt: skip
