"""What the routing tests compare the fast paths with: every posting read, which reloads spliced names, and
a full build of the same files."""

from __future__ import annotations

import heapq
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from jinshui_qa.routing.router import Router


def every_posting(lists: list[tuple[float, set[int]]], limit: int) -> tuple[list[tuple[float, int, int]], list[list[int]], list[int]]:  # fmt: skip
    """(the walk's ``(weight, list, size)`` rows, each list's facts sorted, the ``limit`` facts of most
    weight summed over every posting, ties to the fact met first) of ``(weight, facts)`` lists."""
    held = [sorted(facts) for _, facts in lists]
    score: defaultdict[int, float] = defaultdict(float)
    for (weight, _), facts in zip(lists, held, strict=True):
        for fact in facts:
            score[fact] += weight
    expected = heapq.nlargest(limit, score, key=score.__getitem__)
    return [(weight, t, len(held[t])) for t, (weight, _) in enumerate(lists)], held, expected


def spliced_names(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each reload that changed names took them from the facts that left and came (renames.py)."""
    from jinshui_qa.routing import renames, spliced

    taken: list[bool] = []

    def counted(*args: Any) -> Any:
        out = renames.renamed(*args)
        taken.append(out is not None)
        return out

    monkeypatch.setattr(spliced, "renamed", counted)
    return taken


def same_as_a_full_build(router: Router, facts: Path) -> None:
    """``router`` (a reload's, or a start's after edits) holds, fact by fact, what a full build of ``facts``
    derives: the base, slots, index words, names' owners, gazetteer, scorer parts and counts."""
    from jinshui_qa.bootstrap import assistant_for
    from jinshui_qa.facts.loader import load

    fresh = assistant_for(load(facts)).router
    assert router.base == fresh.base and router.slots == fresh.slots
    assert router.index.english_words == fresh.index.english_words
    assert router.placement.english_words == fresh.placement.english_words
    assert dict(router.frames.owners) == dict(fresh.frames.owners) and len(router.frames.owners) == len(
        fresh.frames.owners
    )
    for name, owners in fresh.frames.owners.items():
        assert all(router.frames.owns(name, i) for i in owners)
        assert not any(router.frames.owns(name, i) for i in range(len(fresh.base.facts)) if i not in owners)
    assert router.frames.gazetteer.plain() == fresh.frames.gazetteer.plain()
    assert router.scorer.signature_owner == fresh.scorer.signature_owner
    assert len(router.scorer.signature_owner) == len(fresh.scorer.signature_owner)
    assert router.scorer.signatures.plain() == fresh.scorer.signatures.plain()
    assert router.scorer.subject_words.plain() == fresh.scorer.subject_words.plain()
    assert router.scorer.position == fresh.scorer.position
    counts, built = router.scorer.counts, fresh.scorer.counts
    assert counts is not None and built is not None and counts.known()
    assert (counts.names, counts.exact, counts.held) == (built.names, built.exact, built.held)
    assert router._known_text() == fresh._known_text()
    assert router.checks.held_attributes() == fresh.checks.held_attributes()
