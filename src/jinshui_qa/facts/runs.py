"""Sequences spliced from runs of other sequences, compared run by run (issue 14's first reload).

A reload after a start from the snapshot holds every fact (and router slot) as a record, made on
access (:mod:`jinshui_qa.facts.records`). Its new fact base is the cached files' records plus the few
files read again: :class:`Chain` holds them as runs (:func:`spans`), read as one sequence without
making a record. :func:`shared_ends` finds how many items two such sequences share at their ends from
the runs alone (a record of the same :class:`~jinshui_qa.facts.records.Records` at the same index is
the same object, made or not), so a reload looks at the facts of the edited files only.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from operator import is_
from typing import Any, TypeVar, cast, overload

from jinshui_qa.facts.records import Part, Records, _position, same_items

T = TypeVar("T")


Span = tuple[Sequence[Any], int, int]
"""Items ``start`` to ``stop`` of a sequence: of a :class:`Records` (made on access), or of made items."""


def spans(items: Sequence[T]) -> list[Span]:
    """``items`` as runs of :class:`Records` and of made items, without making any record."""
    if isinstance(items, Chain):
        return list(items.spans)
    if isinstance(items, Part):
        return [(items.records, items.start, items.stop)] if len(items) else []
    return [(items, 0, len(items))] if len(items) else []


def cut(runs: Sequence[Span], start: int, stop: int) -> list[Span]:
    """Items ``start`` to ``stop`` of the sequence ``runs`` describe, as runs."""
    out: list[Span] = []
    at = 0
    for items, a, b in runs:
        lo, hi = max(a, a + start - at), min(b, a + stop - at)
        if lo < hi:
            out.append((items, lo, hi))
        at += b - a
    return out


class Chain(Sequence[T]):
    """Runs (:func:`spans`) read as one sequence: a fact base spliced from a snapshot's records and a
    few files read again, without making the records (equal to the tuple of the same items)."""

    def __init__(self, runs: Iterable[Span]) -> None:
        self.spans = tuple((items, a, b) for items, a, b in runs if a < b)
        self._ends = list(accumulate(b - a for _, a, b in self.spans))
        self._ids: tuple[str, ...] | None = None
        self.phrasings: int | None = None  # how many questions the items hold, when known without them

    @property
    def ids(self) -> tuple[str, ...]:
        """Each item's ``id`` (facts): a :class:`Records`' stored ids where it has them."""
        if self._ids is None:
            out: list[str] = []
            for items, a, b in self.spans:
                named = getattr(items, "ids", None)
                out.extend(named[a:b] if isinstance(items, Records) and named else (x.id for x in items[a:b]))
            self._ids = tuple(out)
        return self._ids

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[T, ...]: ...
    def __getitem__(self, i: int | slice) -> T | tuple[T, ...]:
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            if step != 1:
                return tuple(self[k] for k in range(start, stop, step))
            return tuple(x for items, a, b in cut(self.spans, start, stop) for x in _run(items, a, b))
        items, at = self.locate(i)
        return cast("T", items[at])

    def locate(self, i: int) -> tuple[Sequence[Any], int]:
        """The sequence item ``i`` is read from, and its index there (IndexError past either end)."""
        at = _position(i, len(self))
        k = bisect_right(self._ends, at)
        items, a, _ = self.spans[k]
        return items, a + at - (self._ends[k - 1] if k else 0)

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def __iter__(self) -> Iterator[T]:
        for items, a, b in self.spans:
            yield from _run(items, a, b)

    def __eq__(self, other: object) -> bool:
        return same_items(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Chain({len(self)} items in {len(self.spans)} runs)"


def _run(items: Sequence[Any], a: int, b: int) -> Iterator[Any]:
    if isinstance(items, Records):
        return items.between(a, b)
    return iter(items[a:b])


def chained(runs: Iterable[Span]) -> Sequence[Any]:
    """The items of ``runs`` as a tuple when all are made, else a :class:`Chain` (made on access)."""
    runs = [r for r in runs if r[1] < r[2]]
    if any(isinstance(items, Records) for items, _, _ in runs):
        return Chain(runs)
    return tuple(x for items, a, b in runs for x in items[a:b])


def shared_ends(olds: Sequence[Any], news: Sequence[Any]) -> tuple[int, int]:
    """How many items ``olds`` and ``news`` share (the very same objects) at their start, then at their
    end (not overlapping), found run by run: records of the same :class:`Records` at the same index are
    the same object, made or not, so no record is made."""
    a, b = spans(olds), spans(news)
    lo = _shared(a, b, min(len(olds), len(news)), False)
    end = _shared(a, b, min(len(olds), len(news)) - lo, True)
    return lo, end


def _shared(a: list[Span], b: list[Span], limit: int, backwards: bool) -> int:
    if backwards:
        a, b = a[::-1], b[::-1]
    n, ia, ib, oa, ob = 0, 0, 0, 0, 0  # items matched; the run of each and how far into it
    while n < limit and ia < len(a) and ib < len(b):
        (xa, a0, a1), (xb, b0, b1) = a[ia], b[ib]
        left = min(a1 - a0 - oa, b1 - b0 - ob, limit - n)
        ka, kb = (a1 - 1 - oa, b1 - 1 - ob) if backwards else (a0 + oa, b0 + ob)
        if xa is xb and ka == kb:
            step = left
        elif isinstance(xa, Records) or isinstance(xb, Records):
            one, other = _made(xa, ka), _made(xb, kb)
            step = 1 if one is not None and one is other else 0
        else:
            ra = range(ka, ka - left, -1) if backwards else range(ka, ka + left)
            rb = range(kb, kb - left, -1) if backwards else range(kb, kb + left)
            flags = list(map(is_, map(xa.__getitem__, ra), map(xb.__getitem__, rb)))
            step = flags.index(False) if False in flags else left
        if not step:
            break
        n, oa, ob = n + step, oa + step, ob + step
        if oa == a1 - a0:
            ia, oa = ia + 1, 0
        if ob == b1 - b0:
            ib, ob = ib + 1, 0
    return n


def _made(items: Sequence[Any], k: int) -> Any:
    return items.made_at(k) if isinstance(items, Records) else items[k]


def ids_of(items: Sequence[Any]) -> Sequence[str]:
    """The items' ``id`` (facts), from the stored ids where they are: no record made."""
    if isinstance(items, Chain):
        return items.ids
    if isinstance(items, Records) and items.ids:
        return items.ids
    if isinstance(items, Part) and items.records.ids:
        return items.records.ids[items.start : items.stop]
    return [x.id for x in items]
