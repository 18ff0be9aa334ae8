"""Objects stored packed and made on first access: the facts and router slots of a snapshot (issue 14).

A start from the persisted snapshot at 100,000 facts spent seconds making one Python object graph per
fact (a :class:`~jinshui_qa.facts.schema.Fact` with its titles, answer, figures and source; the
router's slots) and held them all, though a question reads a few dozen. :func:`pack` writes each
record (plain data: str, int, float, tuple, frozenset, None) as its own :mod:`marshal` bytes, one after
the other, with the end of each in an int64 table; :class:`Records` reads them in place (views of the
snapshot's bytes) and makes record ``i`` when it is first read, with ``make``.

Made objects are kept, so a record read twice is the same object (the reload's delta matches facts by
identity): memory grows with the records read, up to what building them all at once held. With a
``limit`` (records whose identity does not matter), at most that many are kept: the cache is emptied
when full. A record that does not read as what ``make`` takes raises ``ValueError`` at that access.
"""

from __future__ import annotations

import marshal
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol, TypeVar, cast, overload

T = TypeVar("T")


class Sliced(Protocol):
    """Bytes read by the slice (e.g. a stored blob read from its file, not mapped: index_store.Unmapped)."""

    def __len__(self) -> int: ...
    def __getitem__(self, at: slice, /) -> bytes: ...
    def __bytes__(self) -> bytes: ...


MARSHAL = 2  # no marks for reuse: marshal 3+ marks an object by its reference count, which depends on
# the process's history, so the same record would be other bytes (a snapshot's bytes: one per input)


def pack(records: Iterable[Any]) -> tuple[bytes, bytes]:
    """The records (marshal-able plain data) as one blob of their marshal bytes and one of their ends
    (int64), for :class:`Records`."""
    return joined(marshal.dumps(r, MARSHAL) for r in records)


def joined(pieces: Iterable[bytes]) -> tuple[bytes, bytes]:
    """Records' marshal bytes (:func:`pack`'s, or :meth:`Records.raw`'s) as a blob and its ends."""
    pieces = list(pieces)
    ends = array("q")
    at = 0
    for piece in pieces:
        at += len(piece)
        ends.append(at)
    return b"".join(pieces), ends.tobytes()


class Records(Sequence[T]):
    """Records ``pack`` wrote, made on access by ``make`` and kept; ``ids``: a name for each record,
    known without making it (e.g. the facts' ids)."""

    def __init__(self, blob: bytes | memoryview | Sliced, ends: bytes | memoryview, make: Callable[[Any], T],
                 ids: Sequence[str] = (), limit: int | None = None) -> None:  # fmt: skip
        view = memoryview(ends)
        if len(view) % 8:
            raise ValueError("a record table of a partial item")
        self._blob: memoryview | Sliced = memoryview(blob) if isinstance(blob, bytes | memoryview) else blob
        self._ends = cast("Sequence[int]", view.cast("B").cast("q"))
        n = len(self._ends)
        if n and not (self._ends[0] >= 0 and self._ends[n - 1] == len(self._blob)):
            raise ValueError("record ends that do not match their blob")
        if ids and len(ids) != n:
            raise ValueError("a name for each record")
        self._make = make
        self._made: list[T | None] | dict[int, T] = [None] * n if limit is None else {}
        self._count, self._limit = n, limit
        self.ids = ids

    def raw(self, i: int) -> bytes:
        """Record ``i``'s marshal bytes, as stored (to write it again without making it)."""
        start = self._ends[i - 1] if i else 0
        end = self._ends[i]
        if not start <= end <= len(self._blob):
            raise ValueError("record ends out of order")
        return bytes(self._blob[start:end])

    def made(self) -> int:
        """How many records have been made so far."""
        made = self._made
        return len(made) if isinstance(made, dict) else sum(m is not None for m in made)

    def made_at(self, i: int) -> T | None:
        """Record ``i`` if it was made (and is still kept), else None: without making it."""
        made = self._made
        return made.get(i) if isinstance(made, dict) else made[i]

    def _one(self, i: int) -> T:
        made = self._made
        hit = made.get(i) if isinstance(made, dict) else made[i]
        if hit is None:
            try:
                hit = self._make(marshal.loads(self.raw(i)))
            except (EOFError, TypeError, IndexError, KeyError) as exc:
                raise ValueError(f"record {i} does not read: {exc}") from exc
            if isinstance(made, dict) and self._limit is not None and len(made) >= self._limit:
                made.clear()
            made[i] = hit
        return hit

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[T, ...]: ...
    def __getitem__(self, i: int | slice) -> T | tuple[T, ...]:
        if isinstance(i, slice):
            return tuple(self._one(k) for k in range(*i.indices(self._count)))
        return self._one(_position(i, self._count))

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[T]:
        return self.between(0, self._count)

    def between(self, start: int, stop: int) -> Iterator[T]:
        """Records ``start`` to ``stop`` (made as read)."""
        return map(self._one, range(max(start, 0), min(stop, self._count)))

    def __eq__(self, other: object) -> bool:
        """Equal to any sequence of the same items (a tuple of the same facts, as a FactBase compares)."""
        return same_items(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Records({len(self)} records, {self.made()} made)"


class Part(Sequence[T]):
    """Records ``start`` to ``stop`` of ``records``, made through it (the same objects)."""

    def __init__(self, records: Records[T], start: int, stop: int) -> None:
        if not 0 <= start <= stop <= len(records):
            raise ValueError("a part outside its records")
        self.records, self.start, self.stop = records, start, stop

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[T, ...]: ...
    def __getitem__(self, i: int | slice) -> T | tuple[T, ...]:
        if isinstance(i, slice):
            return tuple(self[k] for k in range(*i.indices(len(self))))
        return self.records[self.start + _position(i, len(self))]

    def __len__(self) -> int:
        return self.stop - self.start

    def __iter__(self) -> Iterator[T]:
        for i in range(self.start, self.stop):
            yield self.records[i]

    def raw(self, i: int) -> bytes:
        return self.records.raw(self.start + i)


def _position(i: int, count: int) -> int:
    """Index ``i`` of a sequence of ``count`` items, counted from the end when negative; IndexError
    outside it."""
    at = i + count if i < 0 else i
    if not 0 <= at < count:
        raise IndexError("record index out of range")
    return at


def same_items(items: Sequence[Any], other: object) -> bool:
    """``items == other`` for a lazy sequence: True when ``other`` is a sequence of equal items in the
    same order, ``NotImplemented`` for a non-sequence or a string (Python then compares by identity)."""
    if not isinstance(other, Sequence) or isinstance(other, str | bytes):
        return cast("bool", NotImplemented)
    return len(items) == len(other) and all(a == b for a, b in zip(items, other, strict=True))
