"""The router's per-fact state as plain data: what a start from the persisted snapshot does not rebuild.

A :class:`~jinshui_qa.routing.router.Router` derives, per fact, its slots
(:func:`~jinshui_qa.routing.slots.fact_slots`), its signature keywords (the scorer's) and the English
words the facts use (the placement's). :class:`RouterState` carries them into a new router:

- from the snapshot (:func:`plain_slots` / :func:`state_from_plain`, marshal-able: str, int, bool,
  tuple, frozenset, None), computed with the same code, vocabulary and settings (the snapshot's key);
- from the router a reload replaces (:func:`carried`): the slots of every fact object the two bases
  share, so a reload derives slots only for the facts of the changed files.

Signature keywords and English words depend on every fact, so they are taken whole from a snapshot of
the same files, and recomputed on a reload.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import is_
from typing import TYPE_CHECKING, Any

from jinshui_qa.routing.slots import FactSlots
from jinshui_qa.text.periods import Period

if TYPE_CHECKING:
    from jinshui_qa.facts.schema import Fact, FactBase
    from jinshui_qa.routing.router import Router

SlotsById = Mapping[int, tuple["Fact", FactSlots]]  # by id(fact); the fact is kept to check identity
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


def after(old: Router, base: FactBase) -> RouterState:
    """The state of a router over ``base`` replacing ``old`` (a reload, same normaliser and settings):
    the slots of every fact object the two share, or that is equal to one of ``old``'s (a file read
    again); and what depends on every fact when its inputs did not change (the names, the English).

    Only the facts between the runs both bases share at their start and end (the same objects, found
    by identity) are looked at: a fact outside them keeps its slots, and the same fact object or an
    equal one of the same id is only ever in between (ids are unique in a base)."""
    olds, news = old.base.facts, base.facts
    lo, end = _shared_ends(olds, news)
    mid_old, mid_new = olds[lo : len(olds) - end], news[lo : len(news) - end]
    same = (
        len(olds) == len(news) and base.vocabulary == old.base.vocabulary and base.reports == old.base.reports
    )
    names = same and all(
        a is b or (a.id == b.id and a.keywords == b.keywords and a.subject == b.subject)
        for a, b in zip(mid_old, mid_new, strict=True)
    )
    english = same and all(
        a is b or (a.questions_en == b.questions_en and a.answer.en == b.answer.en and a.title.en == b.title.en
                   and a.keywords == b.keywords)
        for a, b in zip(mid_old, mid_new, strict=True)
    )  # fmt: skip
    held = list(zip(mid_old, old.slots[lo : len(olds) - end], strict=True))
    middle = _slots_of(mid_new, {id(f): (f, s) for f, s in held}, {f.id: (f, s) for f, s in held})
    slots = [*old.slots[:lo], *middle, *old.slots[len(olds) - end :]]
    return RouterState(
        slots,
        None,  # with ``previous`` (the names unchanged) the scorer keeps its own; else derived
        old.placement.english_words if english else None,
        old if names else None,
    )


def _shared_ends(olds: Sequence[Fact], news: Sequence[Fact]) -> tuple[int, int]:
    """How many facts ``olds`` and ``news`` share (the same objects) at their start, then at their end
    (not overlapping): compared in C, so a reload does not visit every fact in Python."""
    common = min(len(olds), len(news))
    flags = list(map(is_, olds, news))
    lo = flags.index(False) if False in flags else common
    tail = list(map(is_, reversed(olds[lo:]), reversed(news[lo:])))
    end = tail.index(False) if False in tail else common - lo
    return lo, end


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


def signatures_of(router: Router) -> list[tuple[str, ...]]:
    """Per fact, the scorer's signature keywords (in the order the scorer derived them)."""
    out: list[list[str]] = [[] for _ in router.base.facts]
    for word, owners in router.scorer.signature_owner.items():
        for i in owners:
            out[i].append(word)
    return [tuple(words) for words in out]


def plain_slots(slots: FactSlots) -> tuple[Any, ...]:
    """One fact's slots as plain data (fields in order, the period as its fields)."""
    values = [getattr(slots, f.name) for f in dataclasses.fields(slots)]
    period = slots.period
    values[1] = None if period is None else (period.start, period.end, period.grain)
    return tuple(values)


def slots_from_plain(plain: Sequence[Any]) -> FactSlots:
    """The slots :func:`plain_slots` wrote; raises TypeError / ValueError on foreign data."""
    values = list(plain)
    if values[1] is not None:
        start, end, grain = values[1]
        values[1] = Period(tuple(start), tuple(end), grain)
    return FactSlots(*values)


def plain_state(router: Router) -> tuple[Any, ...]:
    """The state that depends on every fact (signatures, English words), as plain data."""
    return tuple(signatures_of(router)), router.placement.english_words


def state_from_plain(plain: Sequence[Any] | None, base: FactBase, known: SlotsById) -> RouterState:
    """A state for ``base``: the slots ``known`` holds, and ``plain`` (:func:`plain_state`) when it was
    written for these very facts (else None, and the router derives them)."""
    slots = slots_for(base, known)
    if plain is None:
        return RouterState(slots)
    signatures, english = plain
    if len(signatures) != len(base.facts):
        raise ValueError("router state of another base")
    return RouterState(slots, tuple(map(tuple, signatures)), frozenset(english))
