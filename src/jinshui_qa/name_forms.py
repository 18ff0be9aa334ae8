"""The folded and canonical forms of the facts' names, kept from build to build (:mod:`jinshui_qa.rebuilder`).

A router's frame reader and word lists fold every fact's names (keywords, subjects, titles); the
rebuilder keeps those forms, with how many facts hold each name, so that the next build (or the next
start, through the snapshot) does not fold them again. A form is only ever its key's own, so a form
missed costs a computation, never an answer. A start from the snapshot leaves the stored forms unread:
the reloads meanwhile keep only the forms they add and the names they drop (:func:`composed`).
"""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from jinshui_qa.facts.schema import Fact, FactBase

K = TypeVar("K")


def names_of(fact: Fact) -> tuple[str, ...]:
    """The names of ``fact`` whose forms are kept."""
    subject = (fact.subject.zh, fact.subject.en) if fact.subject else ()
    return (*fact.keywords, *subject, fact.title.zh, fact.title.en)


def renamed(before: FactBase, after: FactBase) -> bool:
    """Whether a router over ``after`` reads its facts' names again (their count, ids, keywords or
    subjects changed: :func:`jinshui_qa.routing.spliced.after`), so that it needs every name's forms.
    Only the facts between the runs both share at their ends are compared."""
    from jinshui_qa.facts.runs import shared_ends

    olds, news = before.facts, after.facts
    if len(olds) != len(news):
        return True
    lo, end = shared_ends(olds, news)
    return any(
        a is not b and (a.id != b.id or a.keywords != b.keywords or a.subject != b.subject)
        for a, b in zip(olds[lo : len(olds) - end], news[lo : len(news) - end], strict=True)
    )


def recount(names: dict[str, int], left: Sequence[Fact], came: Sequence[Fact]) -> set[str]:
    """Count in ``names`` (in place) the facts that left and came (the same object in both: neither);
    returns the names no fact holds any more."""
    dropped: set[str] = set()
    olds, news = {id(f) for f in left}, {id(f) for f in came}
    for fact in left:
        if id(fact) not in news:
            for name in names_of(fact):
                names[name] -= 1
                if not names[name]:
                    del names[name]
                    dropped.add(name)
    for fact in came:
        if id(fact) not in olds:
            for name in names_of(fact):
                names[name] = names.get(name, 0) + 1
                dropped.discard(name)
    return dropped


def moved(kept: dict[K, str], fresh: Iterable[tuple[K, str]], names: dict[str, int], dropped: set[str],
          text: Callable[[K], str], keys: Callable[[str], Iterable[K]]) -> dict[K, str]:  # fmt: skip
    """``kept`` (forms of names) after a build that computed the forms ``fresh``: with those of the
    names held now, without those of ``dropped`` names (``keys(name)``: its possible keys). A new dict
    (a snapshot writer may be reading ``kept``)."""
    out = dict(kept)
    for key, form in fresh:
        if text(key) in names:
            out[key] = form
    for name in dropped:
        for key in keys(name):
            out.pop(key, None)
    return out


def fold_keys(name: str) -> Iterable[tuple[str, bool, bool]]:
    """The fold memo's possible keys of ``name``."""
    return ((name, simplify, numerals) for simplify in (True, False) for numerals in (True, False))


def composed(forms: memoryview | None, folded: dict[Any, str], canonical: dict[str, str],
             dropped: Iterable[str]) -> tuple[dict[Any, str], dict[str, str]]:  # fmt: skip
    """The names' folded and canonical forms: the snapshot's (``forms``, not read yet; None: none),
    without those of the ``dropped`` names, and with ``folded`` and ``canonical`` (added since): the
    same as reading them first and keeping them through every build since."""
    if forms is None:
        return folded, canonical
    stored = marshal.loads(forms)
    old_folded, old_canonical = dict(stored[0]), dict(stored[1])
    for name in dropped:
        for key in fold_keys(name):
            old_folded.pop(key, None)
        old_canonical.pop(name, None)
    old_folded.update(folded)
    old_canonical.update(canonical)
    return old_folded, old_canonical


def stored_counts(blob: bytes | memoryview) -> dict[str, int] | None:
    """The names' counts a snapshot stores (marshalled ``str -> int``), or ``None`` for a foreign value
    (then counted again from the facts)."""
    try:
        stored = marshal.loads(blob)
    except (ValueError, EOFError, TypeError):
        return None
    return stored if isinstance(stored, dict) else None
