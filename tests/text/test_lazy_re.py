"""lazy_re: patterns compiled on first use, and ``needs`` (no compile, no match without a literal)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

import pytest

import jinshui_qa
from jinshui_qa.text import lazy_re
from jinshui_qa.text.lazy_re import LazyPattern


def _covered(items: Any, needs: tuple[str, ...]) -> bool:
    """Whether every match of the parsed ``items`` holds one of ``needs`` (sound, not complete: False
    when unsure). A run of literals counts when it contains one; a group, a repeat of at least one
    and a class of single characters when everything they can match does; a branch when all do."""
    run = ""
    for op, av in [*items, (None, None)]:
        if op is sre.LITERAL:
            run += chr(av)
            continue
        if any(n in run for n in needs):
            return True
        run = ""
        if op is sre.SUBPATTERN and _covered(av[3], needs):
            return True
        if op is sre.ATOMIC_GROUP and _covered(av, needs):
            return True
        if (
            op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
            and av[0] >= 1
            and _covered(av[2], needs)
        ):
            return True
        if op is sre.BRANCH and all(_covered(branch, needs) for branch in av[1]):
            return True
        if op is sre.IN and all(o is sre.LITERAL and chr(a) in needs for o, a in av):
            return True
    return False


def _guarded() -> list[tuple[str, LazyPattern]]:
    found: list[tuple[str, LazyPattern]] = []
    for info in pkgutil.walk_packages(jinshui_qa.__path__, "jinshui_qa."):
        if info.name.split(".")[1] in ("telegram", "web", "__main__"):  # adapters; the entry point
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            values = value.values() if isinstance(value, dict) else [value]
            found += [(f"{info.name}.{name}", v) for v in values if isinstance(v, LazyPattern) and v.needs]
    return found


def test_every_guarded_pattern_needs_what_it_says() -> None:
    guarded = _guarded()
    assert len(guarded) >= 10
    for name, pattern in guarded:
        parsed = _parser.parse(pattern.pattern, pattern._flags)
        assert _covered(parsed, pattern.needs), f"{name}: a match may hold none of {pattern.needs}"


def test_the_check_rejects_needs_a_match_can_do_without() -> None:
    for source, needs in [("除了?(.+)", ("了",)), ("a|b", ("a",)), ("(?:非)?x", ("非",)), ("[ab]c", ("a",)),
                          ("x{0,2}y", ("x",)), ("(?=非)y", ("非",))]:  # fmt: skip
        assert not _covered(_parser.parse(source), needs), source
    for source, needs in [("除了?(.+)", ("除",)), ("a|ba", ("a",)), ("(?:非)+x", ("非",)), ("[ab]c", ("a", "b")),
                          ("q(?:first|second)", ("first", "second"))]:  # fmt: skip
        assert _covered(_parser.parse(source), needs), source


def test_a_text_without_the_literals_is_answered_without_compiling() -> None:
    pattern = lazy_re.compile(r"除(?:了)?([\u4e00-\u9fff]{2,4})以外", needs=("除",))
    text = "高新技术企业有多少家"
    assert pattern.search(text) is None and pattern.match(text) is None and pattern.fullmatch(text) is None
    assert pattern.findall(text) == [] and list(pattern.finditer(text)) == []
    assert pattern.sub("x", text) == text and pattern.subn("x", text) == (text, 0)
    assert pattern.split(text) == [text] == re.split(pattern.pattern, text)
    assert pattern._compiled is None
    with_it = "除了高新企业以外有多少"
    assert pattern.findall(with_it) == ["高新企业"] == re.findall(pattern.pattern, with_it)
    assert pattern.sub("x", with_it) == "x有多少"


def test_needs_is_refused_where_it_would_be_wrong() -> None:
    with pytest.raises(ValueError):
        lazy_re.compile("abc", re.IGNORECASE, needs=("abc",))
    with pytest.raises(ValueError):
        lazy_re.compile("abc", needs=("",))
