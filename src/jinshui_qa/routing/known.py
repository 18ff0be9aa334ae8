"""What every fact's text holds, as the router asks it after a reload (issue 14, p99 per question).

The placement asks whether a word occurs in the router's known text (every slot's ``text`` joined by
``|``: :meth:`~jinshui_qa.routing.placement.Placement.lacks`), first from the pairs of characters of
that text (:func:`~jinshui_qa.routing.placement.pairs`). A start reads the pairs from the snapshot; a
reload made them again from the joined text in its snapshot writer's thread (seconds at 100,000
facts), and until then each look-up read the text through (up to 40 ms), the first after joining it
(0.1 s). Here a reload's router has both at once, from the last router's:

* :class:`Carried`: the last pairs, with those of the texts that came; a pair only the texts that left
  held is looked up in the new text when asked (memoised): the same answers as the pairs made again.
* :class:`Pieces`: ``word in`` the known text over the runs it is cut from (``str.find`` within each
  run's bounds of the snapshot's stored text, and the made slots' own text), without joining them.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence
from typing import TYPE_CHECKING

from jinshui_qa.facts.runs import Chain, cut, spans
from jinshui_qa.routing.placement import pairs
from jinshui_qa.routing.state import PackedSlots

if TYPE_CHECKING:
    from jinshui_qa.routing.slots import FactSlots

Splice = tuple[Container[str] | None, str, int, int]
"""A reload's (:func:`~jinshui_qa.routing.spliced.after`): the last router's pairs (None: not made),
the text of the slots that left, and the new positions ``start`` to ``stop`` of the slots that came."""
_SETS = 4  # a chain of reloads keeps this many sets of pairs before joining them into one


def text_of(slots: Sequence[FactSlots], start: int = 0, stop: int | None = None) -> str:
    """The ``text`` of ``slots[start:stop]`` joined by ``|``: cut from a snapshot's stored text where
    they are its (no slot made)."""
    stop = len(slots) if stop is None else stop
    if isinstance(slots, PackedSlots):
        return slots.text_of(start, stop) if start < stop else ""
    if not isinstance(slots, Chain):
        return "|".join(s.text for s in slots[start:stop])
    return "|".join(
        items.text_of(a, b) if isinstance(items, PackedSlots) else "|".join(s.text for s in items[a:b])
        for items, a, b in cut(spans(slots), start, stop)
    )


class Pieces:
    """``word in`` the known text of spliced ``slots`` (:func:`text_of` of them all), read run by run."""

    def __init__(self, slots: Chain[FactSlots], joined: Callable[[], str]) -> None:
        """``joined``: the whole known text (made when a word holds ``|``, which may span two runs)."""
        self._joined = joined
        self._runs: list[tuple[str, int, int]] = []
        for items, a, b in slots.spans:
            if isinstance(items, PackedSlots):
                text, ends = items.text(), items._text_ends
                self._runs.append((text, ends[a - 1] + 1 if a else 0, ends[b - 1]))
            else:
                made = "|".join(s.text for s in items[a:b])
                self._runs.append((made, 0, len(made)))

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        if not word or "|" in word:
            return word in self._joined()
        return any(text.find(word, a, b) >= 0 for text, a, b in self._runs)


def pieces(slots: Sequence[FactSlots], joined: Callable[[], str]) -> Container[str]:
    """What ``word in`` the known text is asked of: :class:`Pieces` of spliced slots holding a
    snapshot's, else the joined text."""
    if isinstance(slots, Chain) and any(isinstance(items, PackedSlots) for items, _, _ in slots.spans):
        return Pieces(slots, joined)
    return joined()


class Carried:
    """The pairs of characters of a reloaded router's known text (``pair in carried``, for pairs
    without ``|``), from the last router's: ``sets`` hold every pair of the new text but those
    ``doubtful`` (only the texts that left held them, for all it is known), which ``known`` answers."""

    def __init__(self, sets: tuple[Container[str], ...], doubtful: frozenset[str],
                 known: Callable[[], Container[str]]) -> None:  # fmt: skip
        self.sets, self.doubtful, self._known = sets, doubtful, known
        self._resolved: dict[str, bool] = {}

    @classmethod
    def after(
        cls, last: Container[str], left: str, came: str, known: Callable[[], Container[str]]
    ) -> Carried:
        """The pairs after a reload: ``last`` (the last router's exact pairs, or its :class:`Carried`), the
        text of the slots that ``left`` and of those that ``came``."""
        gone, new = pairs(left), pairs(came)
        if isinstance(last, Carried):
            sets, doubtful = (*last.sets, new), (last.doubtful | gone) - new
        else:
            sets, doubtful = (last, new), gone - new
        if len(sets) > _SETS:
            sets = (frozenset().union(*sets),)  # type: ignore[arg-type]
        return cls(sets, doubtful, known)

    def __contains__(self, pair: object) -> bool:
        if pair in self.doubtful:
            assert isinstance(pair, str)
            hit = self._resolved.get(pair)
            if hit is None:
                hit = self._resolved[pair] = pair in self._known()
            return hit
        return any(pair in held for held in self.sets)


def carried(pairs: frozenset[str] | None, splice: Splice | None, slots: Sequence[FactSlots],
            known: Callable[[], Container[str]]) -> Container[str] | None:  # fmt: skip
    """A router's pairs: a snapshot's (``pairs``), else after a reload those of :class:`Carried` over its
    ``slots`` from its ``splice``, else None (made on first use: the last router had not made them)."""
    if pairs is not None or splice is None:
        return pairs
    last, left, start, stop = splice
    return None if last is None else Carried.after(last, left, text_of(slots, start, stop), known)
