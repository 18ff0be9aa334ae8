"""Maps of fact positions kept across reloads that add or remove facts, without reading every fact (issue 14).

The frame reader's subject names (each name's facts) and the scorer's signature keywords (each one's fact)
hold positions. A reload that removes, adds or renames facts replaces the positions ``lo`` to ``stop``
with ``came`` new ones and moves every later position by the difference. :class:`Moves` says where each
position of the last full map went, and :class:`MovedOwners` / :class:`MovedSignatures` read that map
through it, with the few names of the facts that came (:func:`jinshui_qa.routing.name_counts.renamed`).
A reload after a reload moves the same full map again: views never nest.
"""

from __future__ import annotations

import sys
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence

_END = sys.maxsize


class Moves:
    """Where the positions of a full map are now: base positions ``start`` to ``stop`` (each of
    ``segments``, ascending) are at position + ``offset``; the others left."""

    def __init__(self, segments: Sequence[tuple[int, int, int]] = ((0, _END, 0),)) -> None:
        self.segments = tuple(segments)
        self._starts = [a for a, _, _ in self.segments]  # base positions
        self._now = [a + o for a, _, o in self.segments]  # where each segment starts now

    def forward(self, p: int) -> int | None:
        """Where base position ``p`` is now (None: its fact left)."""
        k = bisect_right(self._starts, p) - 1
        if k < 0:
            return None
        _, b, o = self.segments[k]
        return p + o if p < b else None

    def back(self, q: int) -> int | None:
        """The base position now at ``q`` (None: a fact that came since)."""
        k = bisect_right(self._now, q) - 1
        if k < 0:
            return None
        _, b, o = self.segments[k]
        return q - o if q - o < b else None

    def still(self) -> bool:
        """Whether every base position is where it was."""
        return self.segments == ((0, _END, 0),)

    def spliced(self, lo: int, stop: int, came: int) -> Moves:
        """These moves, then the positions ``lo`` to ``stop`` (now) replaced by ``came`` new ones."""
        delta = came - (stop - lo)
        out: list[tuple[int, int, int]] = []
        for a, b, o in self.segments:
            if a + o < lo:
                out.append((a, min(b, lo - o), o))
            if b + o > stop:
                out.append((max(a, stop - o), b, o + delta))
        return Moves([(a, b, o) for a, b, o in out if a < b])

    def mapped(self, rows: Sequence[int]) -> list[int]:
        """The ascending base positions ``rows`` where they are now, those left left out."""
        out: list[int] = []
        for a, b, o in self.segments:
            i, j = bisect_left(rows, a), bisect_left(rows, b)
            out.extend(rows[i:j] if o == 0 else (p + o for p in rows[i:j]))
        return out


def _shifted(positions: Iterable[int], lo: int, stop: int, delta: int) -> list[int]:
    """``positions`` (now) after the positions ``lo`` to ``stop`` are replaced: those in between left."""
    return [p if p < lo else p + delta for p in positions if not lo <= p < stop]


class MovedOwners(Mapping[str, frozenset[int]]):
    """Each subject name's facts (positions, :attr:`FrameReader.owners <jinshui_qa.routing.frames.FrameReader.owners>`):
    a full map's (``base``: a dict, or the snapshot's :class:`~jinshui_qa.routing.state.Owners`) through
    ``moves``, with the positions ``added`` since and each name's count where it changed (``sizes``)."""

    def __init__(self, base: Mapping[str, frozenset[int]], moves: Moves | None = None,
                 added: dict[str, frozenset[int]] | None = None, sizes: dict[str, int] | None = None,
                 length: int | None = None) -> None:  # fmt: skip
        self.base, self.moves = base, moves or Moves()
        self.added, self.sizes = added or {}, sizes or {}
        self._length = len(base) if length is None else length
        self._holds = getattr(base, "holds", None)

    def _rows(self, name: str) -> Sequence[int]:
        rows = getattr(self.base, "rows", None)
        if rows is not None:
            return rows(name)  # type: ignore[no-any-return]
        return sorted(self.base.get(name, ()))

    def size(self, name: str) -> int:
        """How many facts own ``name`` (0: none)."""
        held = self.sizes.get(name)
        if held is not None:
            return held
        return len(self.base[name]) if name in self.base else 0

    def __getitem__(self, name: str) -> frozenset[int]:
        if not self.size(name):
            raise KeyError(name)
        added = self.added.get(name, frozenset())
        if name not in self.base:
            return added
        if self.moves.still():
            return self.base[name] | added
        return frozenset(self.moves.mapped(self._rows(name))) | added

    def holds(self, name: str, position: int) -> bool:
        """``position in self[name]`` without making the set."""
        if position in self.added.get(name, ()):
            return True
        p = self.moves.back(position)
        if p is None or name not in self.base:
            return False
        return self._holds(name, p) if self._holds is not None else p in self.base[name]

    def __iter__(self) -> Iterator[str]:
        sizes = self.sizes
        yield from (name for name in self.base if sizes.get(name, 1))
        yield from (name for name, n in sizes.items() if n and name not in self.base)

    def __len__(self) -> int:
        return self._length

    def spliced(
        self, lo: int, stop: int, came: dict[str, list[int]], left: dict[str, int], count: int
    ) -> MovedOwners:
        """The map once the positions ``lo`` to ``stop`` are replaced by ``count`` new ones: ``left``, how
        many of the facts that left own each name; ``came``, the new positions owning each name."""
        delta = count - (stop - lo)
        added = {
            name: frozenset(kept)
            for name, ps in self.added.items()
            if (kept := _shifted(ps, lo, stop, delta))
        }
        for name, positions in came.items():
            added[name] = added.get(name, frozenset()).union(positions)
        sizes, length = dict(self.sizes), self._length
        for name in left.keys() | came.keys():
            before = self.size(name)
            sizes[name] = now = before - left.get(name, 0) + len(came.get(name, ()))
            length += (now > 0) - (before > 0)
        return MovedOwners(self.base, self.moves.spliced(lo, stop, count), added, sizes, length)


class MovedSignatures(Mapping[str, list[int]]):
    """The scorer's signature keywords' facts (:attr:`Scorer.signature_owner <jinshui_qa.routing.scoring.Scorer.signature_owner>`):
    a full map's (``base``) through ``moves``, and the keywords ``fixed`` since (None: no longer one)."""

    def __init__(self, base: Mapping[str, list[int]], moves: Moves | None = None,
                 fixed: dict[str, list[int] | None] | None = None, length: int | None = None) -> None:  # fmt: skip
        self.base, self.moves, self.fixed = base, moves or Moves(), fixed or {}
        self._length = len(base) if length is None else length

    def __getitem__(self, word: str) -> list[int]:
        if word in self.fixed:
            held = self.fixed[word]
            if held is None:
                raise KeyError(word)
            return held
        return [q for p in self.base[word] if (q := self.moves.forward(p)) is not None]

    def __contains__(self, word: object) -> bool:
        if word in self.fixed:
            return self.fixed[word] is not None
        return word in self.base

    def __iter__(self) -> Iterator[str]:
        fixed = self.fixed
        yield from (word for word in self.base if word not in fixed)
        yield from (word for word, held in fixed.items() if held is not None)

    def __len__(self) -> int:
        return self._length

    def spliced(self, lo: int, stop: int, count: int, changes: dict[str, int | None]) -> MovedSignatures:
        """The map once the positions ``lo`` to ``stop`` are replaced by ``count`` new ones, and each of
        ``changes`` held by the fact at its position now (None: no longer a signature keyword)."""
        delta = count - (stop - lo)
        fixed: dict[str, list[int] | None] = {
            word: None if held is None else _shifted(held, lo, stop, delta)
            for word, held in self.fixed.items()
        }
        length = self._length
        for word, position in changes.items():
            before = word in self
            fixed[word] = None if position is None else [position]
            length += (position is not None) - before
        return MovedSignatures(self.base, self.moves.spliced(lo, stop, count), fixed, length)
