"""Aliases rewritten to their canonical words in folded text (:class:`~jinshui_qa.text.normalize.Normalizer`).

The replacement is the alias alternation's ``sub`` (longest alias first): leftmost first, the longest
alias at a position first, and an alias without Chinese only between characters other than
``[a-z0-9]``. Two ways give it:

* :meth:`Aliases.scan`, in Python: by first character, the aliases' lengths, longest first, each with
  a table of the aliases of that length (at one position at most one of them can match), tried only
  where an alias may start (a regex finds those places);
* :meth:`Aliases.automaton`: one pass of a leftmost-longest Aho-Corasick automaton (``ahocorasick_rs``,
  in Rust) over the text; every match it returns is checked for its boundaries, and a text where one
  fails (an English alias inside a word, a few texts in a hundred) is scanned in Python instead. When
  every match passes, the result is the alternation's: before the first match no alias matches at
  all, and at its place the longest alias matches and passes; and so on from its end.

:meth:`Aliases.replace` scans its first ``SCANNED`` texts and uses the automaton for the rest: a few
questions save less than the automaton's import and build (about 1 ms), a fact base's build (some
ten thousand texts per thousand facts) saves a third of the time spent on aliases.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate
from typing import Any

from jinshui_qa.text import lazy_re

SCANNED = 2_000  # texts replaced in Python before the automaton is built
_SEP = "\0"  # between the texts of :meth:`Aliases.replace_many` (no folded text or alias holds it)
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")  # the boundary class [a-z0-9]


class Aliases:
    """The replacement of ``aliases`` (alias -> canonical word, both folded) in folded texts;
    ``chinese``: whether an alias holds Chinese (one without needs the boundaries)."""

    def __init__(self, aliases: dict[str, str], chinese: Callable[[str], bool]) -> None:
        self.aliases = aliases
        bounded = {alias: not chinese(alias) for alias in aliases}  # whether it needs the boundaries
        tables: dict[str, dict[int, dict[str, tuple[str, bool]]]] = {}
        for alias, target in aliases.items():
            tables.setdefault(alias[0], {}).setdefault(len(alias), {})[alias] = (target, bounded[alias])
        self._by_first = {
            first: [(size, by_size[size]) for size in sorted(by_size, reverse=True)]
            for first, by_size in tables.items()
        }
        # Where an alias may start: the first character of an alias holding Chinese, or of one without
        # Chinese after a character other than [a-z0-9] (at any other place its boundary fails).
        free = "".join(sorted({re.escape(a[0]) for a in aliases if not bounded[a]}))
        ascii_ = "".join(sorted({re.escape(a[0]) for a in aliases if bounded[a]}))
        starts = [*([f"[{free}]"] if free else []), *([f"(?<![a-z0-9])[{ascii_}]"] if ascii_ else [])]
        self._first_re = lazy_re.compile("|".join(starts) or "(?!)")
        self._keys = list(aliases)
        self._targets = [aliases[k] for k in self._keys]
        self._bounded = [bounded[k] for k in self._keys]
        self._scanned = 0
        self._finder: Any = None
        self._joinable = not any(_SEP in a or _SEP in t for a, t in aliases.items())

    def replace(self, text: str) -> str:
        """Every alias replaced by its canonical word (the module docstring)."""
        if self._scanned < SCANNED:
            self._scanned += 1  # a race between threads only moves the switch by a text or two
            return self.scan(text)
        return self.automaton(text)

    def replace_many(self, texts: list[str]) -> list[str]:
        """:meth:`replace` of each text, by one pass of the automaton over the texts joined by NUL (a
        build's texts: one call into it instead of one per text). No alias holds a NUL, so no match
        spans two texts, and a NUL passes the boundaries as a text's start or end does; a text where a
        boundary fails is scanned alone, as :meth:`automaton` does. Texts holding a NUL: one by one."""
        joined = _SEP.join(texts)
        if len(texts) < 2 or joined.count(_SEP) != len(texts) - 1 or not self._keys or not self._joinable:
            return list(map(self.replace, texts))
        spliced, failed = self._spliced(joined, self._finder_built()(joined))
        replaced = spliced.split(_SEP)
        if failed:
            ends = list(accumulate(len(t) + 1 for t in texts))  # where each text's NUL (or the end) is
            for at in failed:
                i = bisect_right(ends, at)
                replaced[i] = self.scan(texts[i])
        return replaced

    def _finder_built(self) -> Any:
        if self._finder is None:
            import ahocorasick_rs

            self._finder = ahocorasick_rs.AhoCorasick(
                self._keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
            ).find_matches_as_indexes
        return self._finder

    def scan(self, text: str) -> str:
        """The replacement, in Python (the module docstring)."""
        by_first = self._by_first
        if not by_first:
            return text
        out: list[str] = []
        done = 0
        end = len(text)
        found = self._first_re.search(text)
        while found is not None:
            at = found.start()
            for size, table in by_first[text[at]]:
                stop = at + size
                hit = table.get(text[at:stop])
                if hit is not None and not (
                    hit[1]
                    and ((at and text[at - 1] in _ASCII_ALNUM) or (stop < end and text[stop] in _ASCII_ALNUM))
                ):
                    out += (text[done:at], hit[0])
                    done = at = stop
                    break
            else:
                at += 1
            found = self._first_re.search(text, at)
        return "".join(out) + text[done:] if out else text

    def automaton(self, text: str) -> str:
        """The replacement by the Aho-Corasick automaton, or :meth:`scan` where a boundary fails."""
        if not self._keys:
            return text
        found = self._finder_built()(text)
        if not found:
            return text
        spliced, failed = self._spliced(text, found)
        return self.scan(text) if failed else spliced

    def _spliced(self, text: str, found: list[tuple[int, int, int]]) -> tuple[str, list[int]]:
        """``text`` with the automaton's matches ``found`` replaced, but those where a boundary fails,
        whose starts are listed (their text is then scanned alone)."""
        out: list[str] = []
        failed: list[int] = []
        done = 0
        end = len(text)
        bounded, targets = self._bounded, self._targets
        for k, start, stop in found:
            if bounded[k] and (
                (start and text[start - 1] in _ASCII_ALNUM) or (stop < end and text[stop] in _ASCII_ALNUM)
            ):
                failed.append(start)
                continue
            out += (text[done:start], targets[k])
            done = stop
        return "".join(out) + text[done:], failed
