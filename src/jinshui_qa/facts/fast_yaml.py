"""A fast reading of a clean topic file, for the common case; the line-aware parser stays the reference.

:func:`fast_parse` reads a topic file with ``yaml_rs`` (a YAML parser written in Rust, about 15 times
faster here than PyYAML with libyaml, whose nodes and constructor are Python) and returns what
:func:`jinshui_qa.facts.yaml_lines.parse` would return, as plain ``dict``/``list``: only the ``facts``
list carries lines (each fact's first line, which :class:`~jinshui_qa.facts.schema.Fact` keeps), found
in the text and checked against the parsed facts. It returns None whenever it cannot vouch for that:
the caller then runs the line-aware parser, which is also what reports a file's problems
(``file:line: message``), so a file with any problem is always read line-aware.

What it cannot vouch for (found by a scan of the text before parsing):

* scalars that YAML 1.1 (PyYAML) and 1.2 (yaml_rs) type differently when written plain: ``yes``/``no``/
  ``on``/``off``, ``=``, ``<<``, numbers with a leading zero, underscores, a sexagesimal ``1:20``, an
  exponent or a sign before the point (``-.5``), and timestamps - except a ``verified: 2026-11-28`` line, whose date the validator reads
  alike from either;
* anchors, aliases, tags, directives, document markers and complex keys (PyYAML's limits on aliases
  and nesting are the line-aware parser's to apply);
* backslashes (escapes), tabs, a BOM, line breaks other than ``\\n`` (which would shift line numbers),
  and characters PyYAML refuses.

Pure: text in, data out. Returns None, never raises, when yaml_rs is not installed or fails.
"""

from __future__ import annotations

import re
from typing import Any

from jinshui_qa.facts.yaml_lines import LDict, LList
from jinshui_qa.text import lazy_re

_REFUSED_CHARS = ("\\", "\t", "\r", "\ufeff", "\x85", "\u2028", "\u2029", ":?")
# PyYAML's Reader.NON_PRINTABLE: text it refuses to read at all
_NON_PRINTABLE = lazy_re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NODE_PROPERTY = lazy_re.compile(r"[&*!]")  # an anchor, alias or tag when it starts a scalar
_STRUCTURE = lazy_re.compile(r"\n(?:%|---|\.\.\.|[ \t]*\?[ \t\n])")  # directives, documents, complex keys
# A node starting with an indicator PyYAML refuses or reads its own way there (a block scalar in a flow
# collection, a plain scalar starting with ? : ` @ %); a block scalar's header in block context is fine.
_INDICATOR = lazy_re.compile(r"[?`@%|>]")  # checked where found (rare characters: a fast scan)
_COLON_NODE = lazy_re.compile(r":[ \t]*:|-[ \t]+:|\[[ \t]*:|\{[ \t]*:|,[ \t]*:|\n[ \t]*:")  # literal starts
_BLOCK_HEADER = lazy_re.compile(r"[|>][-+0-9]*[ \t]*(?:#[^\n]*)?\n")
# A plain scalar typed differently by YAML 1.1 and 1.2 (where one may start, the scalar, where it ends).
# The lookahead lets the scan skip most values at their first character (10 MB in 0.2 s).
_AMBIGUOUS = lazy_re.compile(
    r"""[:\-\[{,?\n][ \t]*(?=[-+0-9._yYnNoO=<])
    (?P<scalar>
      yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|=|<<
    | [-+]?0[0-9_oObBxX][0-9a-fA-F_]*
    | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?
    | [-+]?(?=[0-9._eE+\-]*[_eE])[0-9._][0-9._eE+\-]*
    | [-+]\.[0-9][0-9_]*
    | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt \t][^\n\#,\]}]*)?
    )
    [ \t]*(?=\n|\#|[,\]}]|\Z)""",
    re.VERBOSE,
)
_VERIFIED = lazy_re.compile(r"[ \t]*(?:-[ \t]+)?verified:[ \t]+")
_DATE = lazy_re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_FACTS_KEY = lazy_re.compile(r"^facts:[ \t]*(?:#[^\n]*)?$", re.MULTILINE)
_ITEM = lazy_re.compile(r"^( *)-[ \t]+", re.MULTILINE)
_TOP_LEVEL = lazy_re.compile(r"^[^\s#\-]", re.MULTILINE)


def fast_parse(text: str) -> LDict | None:
    """The topic file's data as :func:`~jinshui_qa.facts.yaml_lines.parse` reads it (a top-level
    mapping whose ``facts`` list knows each fact's line), or None when this reading cannot vouch for
    it (see the module docstring)."""
    if not _vouched(text):
        return None
    try:
        import yaml_rs

        data = yaml_rs.loads(text, parse_datetime=False)
    except Exception:  # a syntax error, a duplicate key, or yaml_rs missing: the line-aware parser says
        return None
    if not isinstance(data, dict):
        return None
    top = LDict()
    top.update(data)
    facts = data.get("facts")
    if isinstance(facts, list):
        lines = _fact_lines(text, facts)
        if lines is None:
            return None
        located = LList()
        located.extend(facts)
        located.item_lines = lines
        top["facts"] = located
    return top


def _vouched(text: str) -> bool:
    if any(char in text for char in _REFUSED_CHARS) or _NON_PRINTABLE.search(text):
        return False
    head = "\n" + text[:8]
    if (
        _STRUCTURE.search(head)
        or _STRUCTURE.search(text)
        or _COLON_NODE.search(head)
        or _COLON_NODE.search(text)
    ):
        return False
    for match in _NODE_PROPERTY.finditer(text):  # one that starts a node: after an indicator or a line start
        if _starts_node(text, match.start()):
            return False
    for match in _INDICATOR.finditer(text):
        if _starts_node(text, match.start()) and not (
            match.group() in "|>"
            and text[_before(text, match.start())] not in "[{,"
            and _BLOCK_HEADER.match(text, match.start())
        ):
            return False
    for match in _AMBIGUOUS.finditer(text):
        scalar = match.group("scalar")
        start = text.rfind("\n", 0, match.start("scalar")) + 1
        if not (_DATE.fullmatch(scalar) and _VERIFIED.fullmatch(text, start, match.start("scalar"))):
            return False
    return True


def _before(text: str, at: int) -> int:
    """Where the last character before ``at`` that is not a space is (-1: none)."""
    at -= 1
    while at >= 0 and text[at] == " ":
        at -= 1
    return at


def _starts_node(text: str, at: int) -> bool:
    """Whether a node starts at ``at``: after a line start, ``[``, ``{``, ``,``, ``?``, or ``:``/``-``
    and a space."""
    before = _before(text, at)
    if before < 0 or text[before] in "\n[{,?":
        return True
    return text[before] in ":-" and before < at - 1


def _fact_lines(text: str, facts: list[Any]) -> list[int] | None:
    """The line of each fact: the block list under a top-level ``facts:``, each item starting on its
    ``- `` line with its first key; None when the text is laid out otherwise."""
    key = _FACTS_KEY.search(text)
    if key is None:
        return None
    first = _ITEM.search(text, key.end())
    if first is None:
        return None
    end = _TOP_LEVEL.search(text, first.end())
    stop = end.start() if end is not None else len(text)
    indent = first.group(1)
    lines: list[int] = []
    line, at = text.count("\n", 0, first.start()) + 1, first.start()
    for item in _ITEM.finditer(text, first.start(), stop):
        if item.group(1) != indent:
            continue
        line += text.count("\n", at, item.start())
        at = item.start()
        index = len(lines)
        if index >= len(facts) or not _starts_with_key(text, item.end(), facts[index]):
            return None
        lines.append(line)
    return lines if len(lines) == len(facts) else None


def _starts_with_key(text: str, at: int, fact: Any) -> bool:
    if not isinstance(fact, dict) or not fact:
        return False
    key = next(iter(fact))
    return isinstance(key, str) and text.startswith(f"{key}:", at)
