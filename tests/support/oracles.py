"""What the routing tests compare the fast paths with: every posting read, and which reloads spliced names."""

from __future__ import annotations

import heapq
from collections import defaultdict
from typing import Any

import pytest


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
