"""The router's per-fact state as plain data: what a start from the persisted snapshot does not rebuild.

A :class:`~jinshui_qa.routing.router.Router` derives, per fact, its slots
(:func:`~jinshui_qa.routing.slots.fact_slots`), its signature keywords (the scorer's) and the English
words the facts use (the placement's). :class:`RouterState` carries them into a new router:

- from the snapshot (:func:`plain_slots` / :func:`state_from_plain`, marshal-able: str, int, bool,
  tuple, frozenset, None), computed with the same code, vocabulary and settings (the snapshot's key);
- from the router a reload replaces (:func:`jinshui_qa.routing.spliced.after`): the slots of every
  fact object the two bases share, so a reload derives slots only for the facts of the changed files
  (the snapshot's packed slots spliced, not made).

Signature keywords and English words depend on every fact, so they are taken whole from a snapshot of
the same files, and recomputed on a reload.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from jinshui_qa.facts.records import Records, Sliced, pack
from jinshui_qa.records import dataclass
from jinshui_qa.routing.packed import ints
from jinshui_qa.routing.slots import FactSlots
from jinshui_qa.routing.wordlist import WordList
from jinshui_qa.text.periods import Period

if TYPE_CHECKING:
    from jinshui_qa.facts.schema import Fact, FactBase
    from jinshui_qa.routing.keyword_counts import KeywordCounts
    from jinshui_qa.routing.router import Router
    from jinshui_qa.routing.word_counts import WordCounts

SlotsById = Mapping[int, tuple["Fact", FactSlots]]  # by id(fact); the fact is kept to check identity
Names = tuple[Mapping[str, frozenset[int]], WordList]
"""The frame reader's subject names: each name's facts (positions) and their word list."""
Scoring = tuple[dict[str, int], Mapping[str, list[int]], WordList, WordList]
"""The scorer's per-base parts: fact positions by id, signature keywords' owners and word list, and the
word list of subject names."""
STATE_SCHEMA = repr([(c.__name__, [f.name for f in dataclasses.fields(c)]) for c in (FactSlots, Period)])
"""The fields the state is written with (part of the snapshot's key)."""


@dataclass(frozen=True)
class RouterState:
    """Per-fact state for a router over one base: ``slots`` by position (None: derive it), and the
    scorer's ``signatures`` (per fact) and the placement's ``english`` words when known (None: derive).
    ``previous``: a router over facts with the same ids, keywords and subjects in the same positions
    (and the same vocabulary, reports, normaliser and settings), whose frame reader and word lists are
    taken as they are."""

    slots: Sequence[FactSlots | None] = ()
    signatures: Sequence[tuple[str, ...]] | None = None
    english: frozenset[str] | None = None
    previous: Router | None = None
    complete: bool = False  # ``slots`` holds every fact's (made on access: used as it is)
    names: Names | None = None  # the frame reader's, from a snapshot of the same files
    scoring: Scoring | None = None  # the scorer's, likewise
    rows: Sequence[int] | None = None  # a reload's: each fact's row in the replaced router's index (-1: none)
    index_english: frozenset[str] | None = None  # a reload's: the index's English words, when unchanged
    pairs: frozenset[str] | None = None  # the placement's pairs of characters of every fact's text, likewise
    words: WordCounts | None = (
        None  # a reload's: how many facts use each English word (routing/word_counts.py)
    )
    keywords: KeywordCounts | None = None  # a reload's: how many facts hold each name (keyword_counts.py)
    splice: tuple[Any, str, int, int] | None = None  # a reload's: what carries the pairs (routing/known.py)


def carried(router: Router) -> dict[int, tuple[Fact, FactSlots]]:
    """The slots of the facts of ``router``'s base, by fact identity (for :func:`slots_for`)."""
    return {id(fact): (fact, slots) for fact, slots in zip(router.base.facts, router.slots, strict=True)}


def slots_for(
    base: FactBase, known: SlotsById, by_name: Mapping[str, tuple[Fact, FactSlots]] | None = None
) -> list[FactSlots | None]:
    """Each fact's slots where ``known`` holds that very fact object, or ``by_name`` an equal fact of
    the same id, else None (to be derived)."""
    return _slots_of(base.facts, known, by_name)


def _slots_of(
    facts: Sequence[Fact], known: SlotsById, by_name: Mapping[str, tuple[Fact, FactSlots]] | None
) -> list[FactSlots | None]:
    out: list[FactSlots | None] = []
    for fact in facts:
        hit = known.get(id(fact))
        if hit is not None and hit[0] is fact:
            out.append(hit[1])
            continue
        named = by_name.get(fact.id) if by_name is not None else None
        out.append(named[1] if named is not None and named[0] == fact else None)
    return out


_SETS = [k for k, f in enumerate(dataclasses.fields(FactSlots)) if str(f.type).startswith("frozenset")]


def plain_slots(slots: FactSlots) -> tuple[Any, ...]:
    """One fact's slots as plain data (fields in order, the period as its fields, each set sorted: the
    same bytes whatever the hash seed)."""
    values = [getattr(slots, f.name) for f in dataclasses.fields(slots)]
    period = slots.period
    values[1] = None if period is None else (period.start, period.end, period.grain)
    for k in _SETS:
        values[k] = tuple(sorted(values[k]))
    return tuple(values)


def slots_from_plain(plain: Sequence[Any]) -> FactSlots:
    """The slots :func:`plain_slots` wrote; raises TypeError / ValueError on foreign data."""
    values = list(plain)
    if values[1] is not None:
        start, end, grain = values[1]
        values[1] = Period(tuple(start), tuple(end), grain)
    for k in _SETS:
        values[k] = frozenset(values[k])
    return FactSlots(*values)


class Owners(Mapping[str, frozenset[int]]):
    """Each subject name's facts (positions), as :meth:`plain` packed them: one frozenset made per
    look-up (a question looks up the few names it holds), none at a start."""

    def __init__(self, names: Sequence[str], rows: bytes, ends: bytes) -> None:
        self._at = dict(zip(names, range(len(names)), strict=True))
        self._rows, self._ends = ints(rows), ints(ends)
        if len(self._ends) != len(names) + 1 or self._ends[-1] != len(self._rows):
            raise ValueError("owners of another shape")

    @staticmethod
    def plain(owners: Mapping[str, frozenset[int]]) -> tuple[tuple[str, ...], bytes, bytes]:
        names = tuple(sorted(owners))  # one order, whether a full build's or spliced by reloads
        rows, ends = ints(), ints([0])
        for name in names:
            rows.extend(sorted(owners[name]))
            ends.append(len(rows))
        return names, rows.tobytes(), ends.tobytes()

    def __getitem__(self, name: str) -> frozenset[int]:
        k = self._at[name]
        return frozenset(self._rows[self._ends[k] : self._ends[k + 1]])

    def rows(self, name: str) -> Sequence[int]:
        """``self[name]`` ascending, as stored (empty: no such name)."""
        k = self._at.get(name)
        return () if k is None else self._rows[self._ends[k] : self._ends[k + 1]]

    def holds(self, name: str, position: int) -> bool:
        """``position in self[name]`` without making the set (a name may have thousands of owners, and
        the router asks this of each candidate): a bisection of the name's ascending rows."""
        k = self._at[name]
        end = self._ends[k + 1]
        at = bisect_left(self._rows, position, self._ends[k], end)
        return at < end and self._rows[at] == position

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)


COUNTS, MONEY = 1, 2  # PackedSlots.amounts: the fact's slots hold "count", "money"
SLOTS_KEPT = 20_000  # slots made from a snapshot's records and kept (the candidates of recent questions)


class PackedSlots(Records[FactSlots]):
    """Every fact's slots from a snapshot, made on access (at most ``SLOTS_KEPT`` kept), with what the
    router reads over all of them stored beside: their texts joined (:meth:`text`, decoded on first
    use) and the ``attributes`` any of them holds."""

    def __init__(self, blob: memoryview | Sliced, ends: memoryview, text: memoryview | Sliced,
                 counts: dict[str, int], amounts: memoryview | bytes, text_ends: Sequence[int]) -> None:  # fmt: skip
        super().__init__(blob, ends, slots_from_plain, limit=SLOTS_KEPT)
        self._text_bytes, self._text = text, ""
        self.counts = counts  # how many slots hold each attribute
        self.attributes = frozenset(a for a, n in counts.items() if n > 0)
        self._text_ends = text_ends  # where each slot's text ends in :meth:`text`
        if len(text_ends) != len(self):
            raise ValueError("texts of another count")
        if len(amounts) != len(self):
            raise ValueError("amounts of another base")
        self.amounts = amounts  # per fact: COUNTS | MONEY of its attributes, read without making its slots

    def hold_both(self, positions: Iterable[int]) -> bool:
        """Whether some of the facts at ``positions`` hold a count and some an amount of money (read
        from :attr:`amounts`: a subject name may have thousands of owners)."""
        amounts, seen = self.amounts, 0
        for i in positions:
            seen |= amounts[i]
            if seen == COUNTS | MONEY:
                return True
        return False

    def text(self) -> str:
        """Every fact's ``text``, joined by ``|`` (the router's known text)."""
        if not self._text and len(self):
            self._text = str(bytes(self._text_bytes), "utf-8")  # a view, or a blob read from its file
        return self._text

    def text_of(self, start: int, stop: int) -> str:
        """The ``text`` of slots ``start`` to ``stop`` joined by ``|``, cut from :meth:`text`."""
        ends = self._text_ends
        text = self.text()
        if not (0 <= start < stop <= len(self) and ends[-1] == len(text)):
            raise ValueError("texts of another length")
        return text[ends[start - 1] + 1 if start else 0 : ends[stop - 1]]


def dump_slots(slots: Sequence[tuple[Fact, FactSlots] | None], blobs: list[bytes]) -> tuple[Any, ...] | None:
    """Every fact's slots packed (:mod:`jinshui_qa.facts.records`), and their texts joined, as blobs
    appended to ``blobs`` (their numbers, and the attributes held), or None when a fact has none."""
    held = [s[1] for s in slots if s is not None]
    if len(held) != len(slots):
        return None
    blob, ends = pack(plain_slots(s) for s in held)
    text = "|".join(s.text for s in held)
    text_ends, at = ints(), -1
    counts: dict[str, int] = {}
    for s in held:
        at += len(s.text) + 1
        text_ends.append(at)
        for attribute in s.attributes:
            counts[attribute] = counts.get(attribute, 0) + 1
    blobs += [blob, ends, text.encode(), amounts(held), text_ends.tobytes()]
    n = len(blobs)
    return n - 5, n - 4, n - 3, tuple(sorted(counts.items())), n - 2, n - 1


def amounts(slots: Iterable[FactSlots]) -> bytes:
    """Per fact, whether its slots hold a count (``COUNTS``) and an amount of money (``MONEY``)."""
    return bytes(amount_bits(s.attributes) for s in slots)


def amount_bits(attributes: frozenset[str]) -> int:
    """``COUNTS`` and ``MONEY`` of one fact's slot attributes, as :attr:`PackedSlots.amounts` stores them."""
    return ("count" in attributes) * COUNTS | ("money" in attributes) * MONEY


def packed_slots(
    at: tuple[Any, ...] | None, blobs: Sequence[memoryview | Sliced], count: int
) -> PackedSlots | None:
    """The slots :func:`dump_slots` stored, made on access; raises ValueError for another count."""
    if at is None:
        return None
    blob, ends, text, counted, held, text_ends = at
    counts = {str(a): int(n) for a, n in counted}
    slots = PackedSlots(blobs[blob], blobs[ends], blobs[text], counts, blobs[held], ints(blobs[text_ends]))
    if len(slots) != count:
        raise ValueError("slots of another base")
    return slots


def plain_state(router: Router) -> tuple[Any, ...]:
    """The state that depends on every fact, as plain data: the placement's English words, the frame
    reader's names and the scorer's parts (:func:`state_from_plain` restores them without the facts)."""
    frames, scorer = router.frames, router.scorer
    names = (Owners.plain(frames.owners), frames.gazetteer.plain())
    owner = dict(sorted(scorer.signature_owner.items()))  # in one order whatever the hash seed
    scoring = (owner, scorer.signatures.plain(), scorer.subject_words.plain())
    english = tuple(sorted(router.placement.english_words))
    return english, names, scoring, "".join(sorted(router.known_pairs()))


def state_from_plain(
    plain: Sequence[Any] | None, base: FactBase, known: SlotsById | Sequence[FactSlots]
) -> RouterState:
    """A state for ``base``: the slots ``known`` holds (by fact identity, or every fact's by position),
    and ``plain`` (:func:`plain_state`) when it was written for these very facts (else None, and the
    router derives them)."""
    if isinstance(known, Sequence):
        if len(known) != len(base.facts):
            raise ValueError("slots of another base")
        slots: Sequence[FactSlots | None] = known
    else:
        slots = slots_for(base, known)
    complete = isinstance(known, Sequence)
    if plain is None:
        return RouterState(slots, complete=complete)
    english, (owners, gazetteer), (signature_owner, signatures, subject_words), joined = plain
    ids = getattr(base.facts, "ids", None) or [f.id for f in base.facts]
    if max(map(itemgetter(-1), filter(None, signature_owner.values())), default=-1) >= len(ids):
        raise ValueError("router state of another base")
    scoring = (
        dict(zip(ids, range(len(ids)), strict=True)),
        dict(signature_owner),
        WordList.restored(signatures),
        WordList.restored(subject_words),
    )
    names = (Owners(*owners), WordList.restored(gazetteer))
    if len(joined) % 2:
        raise ValueError("pairs of characters of odd length")
    held = frozenset(joined[i : i + 2] for i in range(0, len(joined), 2))
    return RouterState(
        slots, None, frozenset(english), complete=complete, names=names, scoring=scoring, pairs=held
    )
