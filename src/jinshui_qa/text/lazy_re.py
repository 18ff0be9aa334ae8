"""Regular expressions compiled on first use, so that importing a module does no work (a project rule).

``NAME = lazy_re.compile(r"...")`` at module level stands where ``re.compile`` stood: the pattern is
compiled the first time one of its methods is called and kept. A ``jinshui-qa ask`` at the real base
used to spend a third of its start compiling about a hundred patterns at import, most of which that
question never runs (measured with ``python -X importtime``; see benchmarks/startup.py). Thread-safe:
two threads that race compile the same pattern twice and keep either (patterns are immutable). Once
compiled, the pattern's bound methods are set on the instance, so a call costs what it cost before.

``needs``: literals of which every match holds at least one (``lazy_re.compile(r"除(?:了|去)?…",
needs=("除",))``). A text holding none of them cannot match, so until the pattern is compiled it
answers such a text at once (no match, the text unchanged): the first question pays only for the
patterns that may match it (compiling a pattern with a Chinese character class costs 1-8 ms in
:mod:`re`). Once compiled, calls go straight to the compiled pattern, as for any other.
tests/text/test_lazy_re.py derives, from each such pattern's parse, literals every match holds and
checks that each of them contains one of ``needs``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["LazyPattern", "compile"]


class LazyPattern:
    """The methods of :class:`re.Pattern` that the project uses, on a pattern compiled on first use."""

    _METHODS = ("search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split")

    def __init__(self, source: str, flags: int = 0, needs: tuple[str, ...] = ()) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None
        self.needs = needs

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now if this is its first use)."""
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self._source, self._flags)
            for name in self._METHODS:  # from now on, calls go straight to the compiled pattern's methods
                object.__setattr__(self, name, getattr(compiled, name))
        return compiled

    def _cannot_match(self, string: str) -> bool:
        """Whether ``string`` holds none of ``needs`` (so no match of the pattern lies in it)."""
        return bool(self.needs) and not any(literal in string for literal in self.needs)

    @property
    def pattern(self) -> str:
        return self._source

    @property
    def flags(self) -> int:
        return self.compiled.flags

    @property
    def groups(self) -> int:
        return self.compiled.groups

    @property
    def groupindex(self) -> Any:
        return self.compiled.groupindex

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return None if self._cannot_match(string) else self.compiled.search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return None if self._cannot_match(string) else self.compiled.match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return None if self._cannot_match(string) else self.compiled.fullmatch(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return [] if self._cannot_match(string) else self.compiled.findall(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return iter(()) if self._cannot_match(string) else self.compiled.finditer(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return string if self._cannot_match(string) else self.compiled.sub(repl, string, count)

    def subn(
        self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0
    ) -> tuple[str, int]:
        return (string, 0) if self._cannot_match(string) else self.compiled.subn(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return [string] if self._cannot_match(string) else self.compiled.split(string, maxsplit)

    def __repr__(self) -> str:
        return f"lazy_re.compile({self._source!r})"


def compile(pattern: str, flags: int | re.RegexFlag = 0, *, needs: tuple[str, ...] = ()) -> LazyPattern:
    """A pattern that :func:`re.compile` compiles on first use (same arguments); ``needs``: see the
    module docstring (non-empty literals; under ``re.IGNORECASE``, only literals without case, such as
    Chinese or ``<``, since the test is exact)."""
    if not all(needs) or (flags & re.IGNORECASE and any(n.lower() != n or n.upper() != n for n in needs)):
        raise ValueError("needs: non-empty literals, without letters that have a case under re.IGNORECASE")
    return LazyPattern(pattern, int(flags), tuple(needs))


def compile_loaded(prefix: str = "jinshui_qa.") -> int:
    """Compile now the patterns that the loaded modules under ``prefix`` hold at module level (or in a
    dict, tuple or list there) and that are not compiled yet; how many. For a server's start with a
    large base (:func:`jinshui_qa.routing.dense.prepare`): its first questions then do not pay 1-3 ms
    each for a pattern's first use."""
    count = 0
    for name, module in list(sys.modules.items()):
        if name.startswith(prefix) and module is not None:
            for value in list(vars(module).values()):
                held = (
                    value.values()
                    if isinstance(value, dict)
                    else value
                    if isinstance(value, tuple | list)
                    else ()
                )
                for pattern in (value, *held):
                    if isinstance(pattern, LazyPattern) and pattern._compiled is None:
                        pattern.compiled  # noqa: B018 - compiled on access
                        count += 1
    return count
