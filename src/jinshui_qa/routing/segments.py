"""The index's layout over one fact base: a packed base segment, a small delta segment, tombstones.

A full build packs every fact's rows into the base segment (:class:`~jinshui_qa.routing.packed.Rows`)
with its postings. A reload (:func:`layout_for` with the layout it replaces) keeps that base as it is,
shared: each fact object the two bases share keeps its base row, whose new position ``remap`` gives
(-1: a tombstone, the fact was removed or edited); only the facts of the changed files are tokenised,
into the delta segment, whose postings are small. ``origin`` maps each position to its row (>= 0: base
row; < 0: delta row ``-origin - 1``). The document frequencies (``df``) and token weights (``wt``) are
updated by the facts that left and came, so weights are those of a full build. When the delta grows
past a quarter of the facts, it is merged (the base is packed again). Nothing here creates an object
per fact of the base, so a reload costs the changed files, plus one pass over the positions.
"""

from __future__ import annotations

import math
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, cast

from jinshui_qa.routing.packed import BAG, PY_BAG, Postings, Rows, Tokens, floats, ints, keep, stored

MERGE_SHARE = 4  # the delta is merged into the base once it holds more than 1/MERGE_SHARE of the facts
STOP_FACTOR = 0.15
Tokenise = Callable[
    [int], Sequence[Sequence[int]]
]  # position -> ids per channel (DOCS, BAG, PY_DOCS, PY_BAG)


class Layout:
    """The packed data of one index; immutable once built (a reload builds a new one sharing parts)."""

    def __init__(self, tokens: Tokens, count: int, base: Rows, postings: Postings, delta: Rows,
                 origin: array[int], remap: array[int] | None, df: array[int], wt: array[float],
                 with_pinyin: bool) -> None:  # fmt: skip
        """``remap`` None: the identity (no delta, no tombstone)."""
        if len(df) != count or len(wt) != count or count > len(tokens.words):
            raise ValueError("a layout whose token tables do not match")
        if remap is not None and len(remap) != len(base):
            raise ValueError("a layout whose remap does not match its base")
        if remap is None and (len(delta) or len(origin) != len(base)):
            raise ValueError("a layout without remap that has a delta")
        if remap is not None and (
            max(remap, default=-1) >= len(origin) or sum(o < 0 for o in origin) != len(delta)
        ):
            raise ValueError("a layout whose positions do not match its rows")
        self.tokens, self.count, self.base, self.postings, self.delta = tokens, count, base, postings, delta
        self.origin, self.remap, self.df, self.wt, self.with_pinyin = origin, remap, df, wt, with_pinyin
        self.channels = (BAG, PY_BAG) if with_pinyin else (BAG,)
        self.delta_postings: dict[int, array[int]] = defaultdict(ints)
        for i, o in enumerate(origin) if len(delta) else ():
            if o < 0:
                for channel in self.channels:
                    for t in delta.row(-o - 1, channel):
                        self.delta_postings[t].append(i)
        self.delta_postings = dict(self.delta_postings)

    def __len__(self) -> int:
        return len(self.origin)

    def row(self, i: int, channel: int) -> array[int]:
        """The ids of fact ``i`` (a position) in ``channel``."""
        o = self.origin[i]
        return self.base.row(o, channel) if o >= 0 else self.delta.row(-o - 1, channel)

    def id(self, token: str) -> int:
        """The token's id in this layout, or -1."""
        t = self.tokens.ids.get(token, -1)
        return t if t < self.count else -1

    def positions(self, t: int) -> list[int]:
        """The positions of the facts whose bags hold token id ``t``, ascending (as one full build's)."""
        held = self.postings.of(t)
        remap = self.remap
        if remap is None:
            return list(held)
        out = [p for r in held if (p := remap[r]) >= 0]
        extra = self.delta_postings.get(t)
        if extra is not None:
            out.extend(extra)
        out.sort()
        return out

    def dump(self, blobs: list[bytes]) -> dict[str, Any]:
        """Plain data for :mod:`marshal`, the arrays appended to ``blobs`` (:meth:`load` reads it back)."""
        return {"tokens": self.tokens.dump(self.count), "base": self.base.dump(blobs),
                "postings": self.postings.dump(blobs), "delta": self.delta.dump(blobs),
                "origin": keep(blobs, self.origin), "remap": None if self.remap is None else keep(blobs, self.remap),
                "df": keep(blobs, self.df), "wt": keep(blobs, self.wt), "pinyin": self.with_pinyin}  # fmt: skip

    @classmethod
    def load(cls, plain: Mapping[str, Any], blobs: Sequence[memoryview]) -> Layout:
        """What :meth:`dump` wrote; ValueError / KeyError / TypeError / IndexError on anything else."""
        tokens = Tokens.load(plain["tokens"])
        remap = None if plain["remap"] is None else stored(blobs, plain["remap"])
        wt = cast("array[float]", stored(blobs, plain["wt"], "d"))
        delta = Rows.load(plain["delta"], blobs)
        return cls(tokens, len(tokens.words), Rows.load(plain["base"], blobs), Postings.load(plain["postings"], blobs),
                   delta, stored(blobs, plain["origin"]), remap, stored(blobs, plain["df"]), wt,
                   bool(plain["pinyin"]))  # fmt: skip


def _weights(df: Sequence[int], words: Sequence[str], total: int, stopped: Callable[[str], bool],
             wt: array[float] | None = None, only: set[int] | None = None) -> array[float]:  # fmt: skip
    """Each token's weight (inverse document frequency, stopwords damped): all, or ``only`` those in ``wt``."""
    total = max(total, 1)
    out = wt if wt is not None else array("d", bytes(8 * len(df)))
    for t in range(len(df)) if only is None else sorted(only):
        n = df[t]
        weight = math.log(1 + total / n) if n else 0.0
        out[t] = weight * STOP_FACTOR if n and stopped(words[t]) else weight
    return out


def packed(
    tokens: Tokens, rows: Rows, with_pinyin: bool, stopped: Callable[[str], bool], numpy: Any = None
) -> Layout:
    """A layout with every fact in the base segment, in position order (the postings sorted in ``numpy``
    when given: :meth:`Postings.build`)."""
    count = len(tokens.words)
    df, postings = Postings.build(rows, count, with_pinyin, numpy)
    wt = _weights(df, tokens.words, len(rows), stopped)
    return Layout(tokens, count, rows, postings, Rows(), ints(range(len(rows))), None, df, wt, with_pinyin)


def layout_for(n: int, source: Layout | None, known: Callable[[int], int], tokenise: Tokenise,
               tokens: Tokens, with_pinyin: bool, stopped: Callable[[str], bool]) -> Layout:  # fmt: skip
    """The layout of ``n`` facts: fact ``i`` is ``source``'s position ``known(i)`` (>= 0) or is tokenised.

    Without a source, or when the delta would be large, every fact is packed into a new base."""
    if source is None:
        rows = Rows()
        for i in range(n):
            rows.add(tokenise(i))
        return packed(tokens, rows, with_pinyin, stopped)
    delta, origin, fresh = Rows(), ints(), []
    remap = ints([-1]) * len(source.base)
    carried = bytearray(len(source))
    placed, append = source.origin, origin.append  # the loop below runs once per fact: locals only
    for i in range(n):
        j = known(i)
        if j >= 0:
            carried[j] = 1
            o = placed[j]
            if o >= 0:
                remap[o] = i
                append(o)
                continue
            append(-delta.copy(source.delta, -o - 1) - 1)
        else:
            fresh.append(delta.add(tokenise(i)))
            append(-len(delta))
    if len(delta) * MERGE_SHARE > n:  # merge: the base packed again, rows copied (not tokenised again)
        rows = Rows()
        for o in origin:
            if o >= 0:
                rows.copy(source.base, o)
            else:
                rows.copy(delta, -o - 1)
        return packed(tokens, rows, with_pinyin, stopped)
    count = len(tokens.words)
    df = ints(source.df)
    df.extend(ints(bytes(4 * (count - source.count))))
    touched: set[int] = set(range(source.count, count))
    channels = (BAG, PY_BAG) if with_pinyin else (BAG,)
    for j in _zeros(carried):  # the facts that left (found in C, not by a loop over every position)
        for channel in channels:
            for t in source.row(j, channel):
                df[t] -= 1
                touched.add(t)
    for k in fresh:
        for channel in channels:
            for t in delta.row(k, channel):
                df[t] += 1
                touched.add(t)
    wt = floats(source.wt)
    wt.extend(array("d", bytes(8 * (count - source.count))))
    wt = _weights(df, tokens.words, n, stopped, wt, None if n != len(source) else touched)
    return Layout(tokens, count, source.base, source.postings, delta, origin, remap, df, wt, with_pinyin)


def _zeros(flags: bytearray) -> Iterator[int]:
    """The positions of the zero bytes of ``flags``, ascending."""
    j = flags.find(0)
    while j >= 0:
        yield j
        j = flags.find(0, j + 1)
