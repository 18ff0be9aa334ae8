"""The router's state after a reload, spliced from the old one without reading every fact (issue 14).

After a start from the persisted snapshot every fact and every router slot is a record, made on
access (:mod:`jinshui_qa.facts.records`), and a reload's new base holds the unchanged files' records
as they are (:mod:`jinshui_qa.facts.runs`). :func:`after` finds the facts both bases share at their
ends from the runs alone, compares only the facts between them, and splices the new slots from the
old ones (those runs kept packed) and the middle's. :func:`filled` derives the middle's missing slots;
:func:`held_attributes` answers what the router asks of every slot from the snapshot's stored union,
corrected by the slots that left and came (the text: :mod:`jinshui_qa.routing.known`).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from jinshui_qa.facts.records import Records
from jinshui_qa.facts.runs import Chain, Span, chained, cut, shared_ends, spans
from jinshui_qa.routing.known import text_of
from jinshui_qa.routing.renames import renamed
from jinshui_qa.routing.slots import FactSlots
from jinshui_qa.routing.state import COUNTS, MONEY, PackedSlots, RouterState, amount_bits, amounts
from jinshui_qa.routing.word_counts import WordCounts, changed

if TYPE_CHECKING:
    from jinshui_qa.facts.schema import Fact, FactBase
    from jinshui_qa.routing.router import Router


def after(old: Router, base: FactBase) -> RouterState:
    """The state of a router over ``base`` replacing ``old`` (a reload, same normaliser and settings):
    the slots of every fact object the two share, or that is equal to one of ``old``'s of the same id
    (a file read again); what depends on every fact when its inputs did not change (the names, the
    English); and each fact's row in ``old``'s index (``rows``, -1: to be indexed).

    Only the facts between the runs both bases share at their start and end (the same objects, found
    run by run: :func:`~jinshui_qa.facts.runs.shared_ends`) are looked at: a fact outside them keeps its
    slots and row, and the same fact object or an equal one of the same id is only ever in between
    (ids are unique in a base)."""
    olds, news = old.base.facts, base.facts
    lo, end = shared_ends(olds, news)
    stop = len(olds) - end
    mid_old, mid_new = olds[lo:stop], news[lo : len(news) - end]
    same = (
        len(olds) == len(news) and base.vocabulary == old.base.vocabulary and base.reports == old.base.reports
    )
    pairs = list(zip(mid_old, mid_new, strict=True)) if same else []
    names = same and all(
        a is b or (a.id == b.id and a.keywords == b.keywords and a.subject == b.subject) for a, b in pairs
    )
    english = same and all(
        a is b or (a.questions_en == b.questions_en and a.answer.en == b.answer.en and a.title.en == b.title.en
                   and a.keywords == b.keywords)
        for a, b in pairs
    )  # fmt: skip
    indexed = len(olds) == len(news) and all(
        a is b or (a.questions_en == b.questions_en and a.answer.en == b.answer.en)
        for a, b in zip(mid_old, mid_new, strict=True)
    )
    words = old.words if english else _counted(old, mid_old, mid_new)
    index_english = old.index.english_words if indexed else None if words is None else words.index_set()
    placement_english = old.placement.english_words if english else None
    if placement_english is None and words is not None and index_english is not None:
        placement_english = words.placement_set(index_english)
    by_identity = {id(f): (f, lo + k) for k, f in enumerate(mid_old)}
    by_id = {f.id: (f, lo + k) for k, f in enumerate(mid_old)}
    middle_rows = [_row(f, by_identity, by_id) for f in mid_new]
    rows = array("q", range(lo))
    rows.extend(middle_rows)
    rows.extend(range(stop, len(olds)))
    held = old.slots[lo:stop]
    middle = [None if j < 0 else held[j - lo] for j in middle_rows]
    slots = chained(
        [*cut(spans(old.slots), 0, lo), (middle, 0, len(middle)), *cut(spans(old.slots), stop, len(olds))]
    )
    renames = None if names else renamed(old, news, lo, mid_old, mid_new)  # None: derived from every fact
    return RouterState(
        slots,
        None,  # with ``previous`` (the names unchanged) the scorer keeps its own; else derived
        placement_english,
        old if names else None,
        rows=rows,
        index_english=index_english,
        words=words,
        names=renames[0] if renames else None,
        scoring=renames[1] if renames else None,
        keywords=renames[2] if renames else None,
        splice=(old._pairs, text_of(old.slots, lo, stop), lo, len(news) - end),
    )


def _counted(old: Router, left: Sequence[Fact], came: Sequence[Fact]) -> WordCounts | None:
    """``old``'s English words' counts after the facts ``left`` and ``came`` (between the shared ends)."""
    if old.words is None or not old.words.known():  # unknown: the router derives them (and counts)
        return None
    gone = {id(f) for f in came}
    new = {id(f) for f in left}
    out, into = changed([f for f in left if id(f) not in gone], [f for f in came if id(f) not in new])
    return old.words.after(out, into, old.index.normalizer.canonical)


def _row(fact: Fact, by_identity: dict[int, tuple[Fact, int]], by_id: dict[str, tuple[Fact, int]]) -> int:
    hit = by_identity.get(id(fact))
    if hit is not None and hit[0] is fact:
        return hit[1]
    named = by_id.get(fact.id)
    return named[1] if named is not None and alike(named[0], fact) else -1


def alike(a: Fact, b: Fact) -> bool:
    """Whether ``a`` and ``b`` are equal but perhaps for the line they start on (a line added or removed
    above a fact in its file moves it): their slots and index rows, made from their texts, are the same."""
    return a == b or (a.line != b.line and replace(a, line=b.line) == b)


def filled(
    known: Sequence[FactSlots | None], facts: Sequence[Fact], derive: Callable[[Fact], FactSlots]
) -> Sequence[FactSlots]:
    """Every fact's slots: ``known``'s, and ``derive(fact)`` where it holds None. Runs of packed slots
    (a snapshot's, spliced by :func:`after`) are kept as they are, not made."""
    if not isinstance(known, Chain):
        return [s or derive(f) for f, s in zip(facts, known, strict=True)]
    runs: list[Span] = []
    at = 0
    for items, a, b in known.spans:
        if not isinstance(items, Records):
            got = [s or derive(facts[at + k]) for k, s in enumerate(items[a:b])]
            items, a, b = got, 0, len(got)
        runs.append((items, a, b))
        at += b - a
    return Spliced(runs)


class Spliced(Chain[FactSlots]):
    """A reloaded router's slots (:func:`filled`): runs of a snapshot's packed slots and made ones."""

    _amounts: bytes | None = None

    def hold_both(self, positions: Iterable[int]) -> bool:
        """:meth:`PackedSlots.hold_both <jinshui_qa.routing.state.PackedSlots.hold_both>` over every
        run's amounts, joined on first use (a look-up per position took 79 ms for a common name's
        9,100 owners at 100,000 facts)."""
        if self._amounts is None:
            self._amounts = b"".join(bytes(items.amounts[a:b]) if isinstance(items, PackedSlots)
                                     else amounts(items[a:b]) for items, a, b in self.spans)  # fmt: skip
        held, seen = self._amounts, 0
        for i in positions:
            seen |= held[i]
            if seen == COUNTS | MONEY:
                return True
        return False


def _packed_runs(slots: Chain[Any]) -> tuple[PackedSlots, list[Span], list[Span]] | None:
    """The one snapshot's slots ``slots`` keeps runs of, those runs, and the runs of made slots."""
    packed = {id(items): items for items, _, _ in slots.spans if isinstance(items, Records)}
    if len(packed) != 1:
        return None
    whole = next(iter(packed.values()))
    if not isinstance(whole, PackedSlots):
        return None
    kept = [r for r in slots.spans if r[0] is whole]
    return whole, kept, [r for r in slots.spans if r[0] is not whole]


def _left(whole: PackedSlots, kept: list[Span]) -> list[int]:
    """The positions of ``whole`` that ``kept`` leaves out."""
    out: list[int] = []
    at = 0
    for _, a, b in sorted(kept, key=lambda r: r[1]):
        out.extend(range(at, a))
        at = max(at, b)
    out.extend(range(at, len(whole)))
    return out


def held_attributes(slots: Sequence[FactSlots]) -> frozenset[str]:
    """The attributes any of ``slots`` holds: a snapshot's stored counts, less the slots left out and
    with those that came, when ``slots`` are spliced from its (each slot made otherwise). Only an
    attribute held by no more stored slots than were left out, and by none that came, is counted down
    over the slots left out (making them: 35 ms for a file of 1,000 facts at 100,000)."""
    if isinstance(slots, PackedSlots):
        return slots.attributes
    parts = _packed_runs(slots) if isinstance(slots, Chain) else None
    if parts is None:
        return frozenset().union(*(s.attributes for s in slots))
    whole, _, made = parts
    came = frozenset().union(*(s.attributes for items, a, b in made for s in items[a:b]))
    left = _left(whole, parts[1])
    counts = {a: n for a, n in whole.counts.items() if n > 0 and a not in came}
    doubtful = {a: n for a, n in counts.items() if n <= len(left)}  # all its slots may have left
    for k in left if doubtful else ():
        for attribute in whole[k].attributes & doubtful.keys():
            doubtful[attribute] -= 1
    return came.union(a for a in counts if doubtful.get(a, 1) > 0)


def holds_both(slots: Sequence[FactSlots], positions: Iterable[int]) -> bool:
    """Whether some of the facts at ``positions`` hold a count and some an amount of money: from a
    snapshot's stored bytes where ``slots`` are its (:meth:`PackedSlots.hold_both`; after a reload, the
    runs of a :class:`~jinshui_qa.facts.runs.Chain` kept packed), else slot by slot."""
    if isinstance(slots, PackedSlots | Spliced):
        return slots.hold_both(positions)
    if not isinstance(slots, Chain):
        return both_held(slots[i].attributes for i in positions)
    seen = 0
    for i in positions:  # a subject name's thousands of owners: none of the packed ones made
        items, at = slots.locate(i)
        seen |= items.amounts[at] if isinstance(items, PackedSlots) else amount_bits(items[at].attributes)
        if seen == COUNTS | MONEY:
            return True
    return False


def both_held(held: Iterable[frozenset[str]]) -> bool:
    """Whether some of the attribute sets ``held`` hold a count and some an amount (read until both
    are seen: a subject name may have thousands of owners, whose slots are made when read)."""
    count = money = False
    for attributes in held:
        count, money = count or "count" in attributes, money or "money" in attributes
        if count and money:
            return True
    return False
