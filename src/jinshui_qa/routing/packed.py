"""The index's data as flat integer arrays: token ids, per-fact rows and postings (issue 14).

At 100,000 facts a tuple of token strings per document and a frozenset per bag cost gigabytes and a
start that rebuilds them cost minutes. Here every token string is held once (:class:`Tokens`, by id)
and each fact's tokens are a slice of one ``array('i')`` per channel (:class:`Rows`): its documents
(one run of ids per document, ended by -1), its bag, its pinyin documents and its pinyin bag.
:class:`Postings` packs, per token id, the rows holding it (ascending) into one array with an offset
table. All of it is stored as raw blobs (:meth:`Rows.dump`, :meth:`Postings.dump`) and used in place
as views of the bytes read (:func:`stored`), so a start creates no Python object per fact or posting.
"""

from __future__ import annotations

import itertools
import operator
import sys
from array import array
from collections import deque
from collections.abc import Iterable, Sequence
from typing import Any, Literal, cast

DOCS, BAG, PY_DOCS, PY_BAG = range(4)
CHANNELS = 4
END = -1  # ends each document in a DOCS / PY_DOCS row
_CHUNK = 1 << 16  # ids mapped per call into C (Rows.extend)


def ints(data: bytes | Iterable[int] = b"") -> array[int]:
    """An ``array('i')`` from stored bytes or from ints."""
    out = array("i")
    if isinstance(data, bytes | bytearray):
        out.frombytes(data)
    elif isinstance(data, memoryview | array):
        out.frombytes(memoryview(data).cast("B"))  # a stored view or an array: its bytes, copied at C speed
    else:
        out.extend(data)
    return out


def floats(data: array[float]) -> array[float]:
    """A copy of an ``array('d')`` or of a stored view of one (:func:`stored`)."""
    out = array("d")
    out.frombytes(memoryview(data).cast("B"))
    return out


def stored(blobs: Sequence[memoryview], at: int, kind: Literal["i", "d"] = "i") -> array[int]:
    """Blob ``at`` used in place as an array of ``kind`` (``i``: int32, ``d``: float64): a read-only
    view of the stored bytes, indexed, sliced and iterated as the array it was written from."""
    view = blobs[at]
    if len(view) % array(kind).itemsize:
        raise ValueError("a stored array of a partial item")
    return cast("array[int]", view.cast("d") if kind == "d" else view.cast("i"))


def keep(blobs: list[bytes], data: array[int] | array[float]) -> int:
    """Append ``data``'s bytes to ``blobs``; its number there (for :func:`stored`)."""
    blobs.append(data.tobytes())
    return len(blobs) - 1


class Tokens:
    """Token strings by id, each interned once; append-only, so an index built from another (a
    reload) shares its table and an id never changes meaning. Each index keeps how many ids it knows."""

    def __init__(self, words: Sequence[str] = ()) -> None:
        self.words: list[str] = [sys.intern(w) for w in words]
        self.ids: dict[str, int] = {w: i for i, w in enumerate(self.words)}

    def id(self, token: str) -> int:
        """The id of ``token``, added at the end when new."""
        found = self.ids.get(token)
        if found is None:
            found = self.ids[token] = len(self.words)
            self.words.append(sys.intern(token))
        return found

    def many(self, tokens: Iterable[str]) -> list[int]:
        """The ids of ``tokens``, in order, the new ones added at the end in that order (as :meth:`id`)."""
        held = list(tokens)
        out = list(map(self.ids.get, held, itertools.repeat(-1)))
        if -1 in out:
            for k, found in enumerate(out):
                if found < 0:
                    out[k] = self.id(held[k])
        return out

    def dump(self, count: int) -> str:
        """The first ``count`` tokens, one string (no token holds a NUL)."""
        return "\0".join(self.words[:count])

    @classmethod
    def load(cls, joined: str) -> Tokens:
        return cls(joined.split("\0") if joined else ())


class Rows:
    """Per fact (row), one run of token ids per channel (DOCS, BAG, PY_DOCS, PY_BAG)."""

    def __init__(
        self, starts: Sequence[array[int]] | None = None, toks: Sequence[array[int]] | None = None
    ) -> None:
        self.starts = list(starts) if starts is not None else [ints([0]) for _ in range(CHANNELS)]
        self.toks = list(toks) if toks is not None else [ints() for _ in range(CHANNELS)]
        if len(self.starts) != CHANNELS or len(self.toks) != CHANNELS:
            raise ValueError("rows of another shape")
        count = len(self.starts[0])
        for start, held in zip(self.starts, self.toks, strict=True):
            if len(start) != count or not start or start[0] != 0 or start[-1] != len(held):
                raise ValueError("rows whose offsets do not match their tokens")

    def __len__(self) -> int:
        return len(self.starts[0]) - 1

    def row(self, r: int, channel: int) -> array[int]:
        start = self.starts[channel]
        return self.toks[channel][start[r] : start[r + 1]]

    def add(self, channels: Sequence[Iterable[int]]) -> int:
        """Append one row (its ids per channel); its row number."""
        for start, toks, ids in zip(self.starts, self.toks, channels, strict=True):
            toks.extend(ids)
            start.append(len(toks))
        return len(self) - 1

    def extend(self, other: Rows, trans: Sequence[int]) -> None:
        """Append every row of ``other``, each token id ``t`` there becoming ``trans[t]`` (``END``, -1,
        becomes ``trans[-1]``, which must be ``END``)."""
        for channel in range(CHANNELS):
            toks, start = self.toks[channel], self.starts[channel]
            offset = len(toks)
            ids = other.toks[channel].tolist()
            for at in range(
                0, len(ids), _CHUNK
            ):  # one C call per chunk: a quarter less than map's call per id
                toks.extend(operator.itemgetter(*ids[at : at + _CHUNK], -1)(trans)[:-1])  # (never one item)
            start.extend(map(offset.__add__, other.starts[channel][1:]))

    def copy(self, other: Rows, r: int) -> int:
        """Append row ``r`` of ``other``; its row number here."""
        return self.add([other.row(r, c) for c in range(CHANNELS)])

    def dump(self, blobs: list[bytes]) -> tuple[int, ...]:
        return tuple(keep(blobs, a) for a in (*self.starts, *self.toks))

    @classmethod
    def load(cls, at: Sequence[int], blobs: Sequence[memoryview]) -> Rows:
        if len(at) != 2 * CHANNELS:
            raise ValueError("rows of another shape")
        return cls([stored(blobs, k) for k in at[:CHANNELS]], [stored(blobs, k) for k in at[CHANNELS:]])


def docs_of(row: array[int]) -> list[list[int]]:
    """The documents of a DOCS / PY_DOCS row, as lists of ids."""
    ids = row.tolist()
    out: list[list[int]] = []
    begin, end = 0, len(ids)
    while begin < end:
        stop = ids.index(END, begin)
        out.append(ids[begin:stop])
        begin = stop + 1
    return out


class Postings:
    """Per token id, the row numbers (ascending) whose bags hold it: one array and an offset table."""

    def __init__(self, start: array[int], rows: array[int]) -> None:
        if not start or start[0] != 0 or start[-1] != len(rows):
            raise ValueError("postings whose offsets do not match")
        self.start, self.rows = start, rows

    @classmethod
    def build(
        cls, rows: Rows, count: int, with_pinyin: bool, numpy: Any = None
    ) -> tuple[array[int], Postings]:
        """The postings of every row of ``rows`` over token ids below ``count``, and each token's
        document frequency (the length of its postings: a bag holds a token once, and a token is of one
        channel). Each id is appended to its token's list by C loops (``map``), not one Python step per id;
        with ``numpy`` (a full build's), by a stable sort of the ids: the same arrays."""
        if numpy is not None:
            return cls._sorted(numpy, rows, count, (BAG, PY_BAG) if with_pinyin else (BAG,))
        lists: list[list[int]] = [[] for _ in range(count)]
        for channel in (BAG, PY_BAG) if with_pinyin else (BAG,):
            starts, toks = rows.starts[channel], rows.toks[channel]
            owners = itertools.chain.from_iterable(map(itertools.repeat, range(len(rows)), map(operator.sub, starts[1:], starts)))  # fmt: skip
            deque(map(list.append, map(lists.__getitem__, toks), owners), maxlen=0)  # row by row: ascending
        df = array("i", map(len, lists))
        start = ints([0])
        start.extend(itertools.accumulate(df))
        return df, cls(start, array("i", itertools.chain.from_iterable(lists)))

    @classmethod
    def _sorted(
        cls, numpy: Any, rows: Rows, count: int, channels: tuple[int, ...]
    ) -> tuple[array[int], Postings]:
        """:meth:`build` in numpy: each channel's ids with the row holding each, the channels one after
        the other, sorted by id stably (rows ascending within a channel). That is the order of the
        triples (id, channel, row), so each is sorted as one int64 (a plain sort: 0.7 s for 21 M ids,
        where a stable argsort took 5 s)."""
        ids, keys = [], []
        span = max(len(rows), 1)  # a row number is below it
        for k, channel in enumerate(channels):
            starts = numpy.frombuffer(memoryview(rows.starts[channel]).cast("B"), dtype=numpy.int32)
            held = numpy.frombuffer(memoryview(rows.toks[channel]).cast("B"), dtype=numpy.int32)
            key = held.astype(numpy.int64) * len(channels) + k  # (id, channel, row): below 2**63, as
            key *= span  # ids and rows are below 2**31 and there are at most two channels
            key += numpy.repeat(numpy.arange(len(starts) - 1, dtype=numpy.int64), numpy.diff(starts))
            ids.append(held)
            keys.append(key)
        held = numpy.concatenate(ids)
        if len(held) and (held.min() < 0 or held.max() >= count):
            raise ValueError("a bag's token id outside the table")
        df = numpy.bincount(held, minlength=count).astype(numpy.int32)
        start = numpy.zeros(count + 1, dtype=numpy.int32)
        numpy.cumsum(df, out=start[1:])
        triples = numpy.concatenate(keys)
        triples.sort()
        order = (triples % span).astype(numpy.int32)
        return ints(df.tobytes()), cls(ints(start.tobytes()), ints(order.tobytes()))

    def of(self, t: int) -> array[int]:
        if t + 1 >= len(self.start):
            return ints()
        return self.rows[self.start[t] : self.start[t + 1]]

    def dump(self, blobs: list[bytes]) -> tuple[int, int]:
        return keep(blobs, self.start), keep(blobs, self.rows)

    @classmethod
    def load(cls, at: Sequence[int], blobs: Sequence[memoryview]) -> Postings:
        start, rows = at
        return cls(stored(blobs, start), stored(blobs, rows))
