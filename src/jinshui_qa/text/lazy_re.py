"""Regular expressions compiled on first use, so that importing a module does no work (a project rule).

``NAME = lazy_re.compile(r"...")`` at module level stands where ``re.compile`` stood: the pattern is
compiled the first time one of its methods is called and kept. A ``jinshui-qa ask`` at the real base
used to spend a third of its start compiling about a hundred patterns at import, most of which that
question never runs (measured with ``python -X importtime``; see benchmarks/startup.py). Thread-safe:
two threads that race compile the same pattern twice and keep either (patterns are immutable). Once
compiled, the pattern's bound methods are set on the instance, so a call costs what it cost before.
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

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now if this is its first use)."""
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self._source, self._flags)
            for name in self._METHODS:  # from now on, calls go straight to the compiled pattern's methods
                object.__setattr__(self, name, getattr(compiled, name))
        return compiled

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
        return self.compiled.search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.fullmatch(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled.findall(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled.sub(repl, string, count)

    def subn(
        self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0
    ) -> tuple[str, int]:
        return self.compiled.subn(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self.compiled.split(string, maxsplit)

    def __repr__(self) -> str:
        return f"lazy_re.compile({self._source!r})"


def compile(pattern: str, flags: int | re.RegexFlag = 0) -> LazyPattern:
    """A pattern that :func:`re.compile` compiles on first use (same arguments)."""
    return LazyPattern(pattern, int(flags))
