"""The scorer's per-fact arithmetic on token ids, read straight from the index's packed rows.

A message's tokens become a :class:`Query` per channel: each token id the index knows -> its weight.
:func:`channel_score` then reads a candidate fact's documents and bag as runs of ids
(:mod:`jinshui_qa.routing.packed`: one run per document, ended by ``END``) and computes the same
weighted Dice match and cover as the scorer always has, with no object per fact, document or token
and nothing kept between questions: the work per candidate is the length of its rows.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from itertools import repeat
from typing import Any

from jinshui_qa.records import dataclass
from jinshui_qa.routing import dense
from jinshui_qa.routing.packed import END
from jinshui_qa.routing.segments import Layout


@dataclass(frozen=True, slots=True)
class Query:
    """One channel of a message: ``weights`` (token id -> weight, the ids the index knows) and
    ``total``, the weight of all its tokens (those the index does not know weigh most)."""

    weights: dict[int, float]
    total: float
    dense: tuple[Any, Any, Any] | None = None  # numpy arrays of a large base's query (:func:`.dense.query`)

    @classmethod
    def of(cls, layout: Layout, weighted: dict[str, float], numpy: Any = None) -> Query:
        """From the message's tokens and their weights (``Weights.of``), summed in the same order;
        ``numpy`` (:func:`.dense.numpy_for`): the documents are read with it (:func:`.dense.match`)."""
        ids = {}
        for token, weight in weighted.items():
            t = layout.id(token)
            if t >= 0:
                ids[t] = weight
        arrays = dense.query(ids, layout.count, layout.wt, numpy) if numpy is not None and ids else None
        return cls(ids, sum(weighted.values()), arrays)


def channel_score(query: Query, docs: array[int], bag: Sequence[int], weight_of: Sequence[float],
                  match_weight: float, beat: float = -1.0) -> float:  # fmt: skip
    """``100 * (match_weight * match + (1 - match_weight) * cover)`` of one fact in one channel:
    ``match``, the best weighted Dice overlap of the query with one of its ``docs`` (a DOCS / PY_DOCS
    row); ``cover``, the share of the query's weight found in its ``bag`` (a BAG / PY_BAG row, each id
    once). ``weight_of``: token id -> weight (the layout's ``wt``).

    ``beat``: only a score above it matters (the other channel's, scaled); 0.0 is returned, without
    reading the documents, when the score cannot exceed it (:func:`upper_bound`)."""
    total = query.total
    if total <= 0:
        return 0.0
    get = query.weights.get
    found = sum(map(get, bag, repeat(0.0)))
    if not found:  # the documents are part of the bag: no match either
        return 0.0
    if beat >= 0.0 and upper_bound(found, total, match_weight) < beat:
        return 0.0
    if query.dense is not None:
        match = dense.match(query.weights, total, docs, query.dense, weight_of)
        return 100 * (match_weight * match + (1 - match_weight) * (found / total))
    ids: list[int] = docs.tolist()
    match = 0.0
    weigh = weight_of.__getitem__
    begin, end, index = 0, len(ids), ids.index
    while begin < end:
        stop = index(END, begin)
        if stop > begin:
            doc = ids[begin:stop]
            shared = sum(map(get, doc, repeat(0.0)))  # its own weight is at least that: a bound
            if shared and 2 * shared / (total + shared) * (1 + 1e-9) > match:
                match = max(match, 2 * shared / (total + sum(map(weigh, doc))))
        begin = stop + 1
    return 100 * (match_weight * match + (1 - match_weight) * (found / total))


def channel_scores(query: Query, rows: Sequence[tuple[array[int], Sequence[int]]], weight_of: Sequence[float],
                   match_weight: float, beats: Sequence[float] | None = None) -> list[float]:  # fmt: skip
    """:func:`channel_score` of several facts (their ``rows``: documents and bag; ``beats``: each one's
    ``beat``), the documents of a large base's query read in one numpy pass (:func:`.dense.matches`)."""
    if query.dense is None or query.total <= 0:
        return [channel_score(query, docs, bag, weight_of, match_weight, -1.0 if beats is None else beats[k])
                for k, (docs, bag) in enumerate(rows)]  # fmt: skip
    total, get = query.total, query.weights.get
    found = [sum(map(get, bag, repeat(0.0))) for _, bag in rows]
    live = [k for k, weight in enumerate(found) if weight and (beats is None or beats[k] < 0.0
            or upper_bound(weight, total, match_weight) >= beats[k])]  # fmt: skip
    out = [0.0] * len(rows)
    for k, match in zip(live, dense.matches(query.weights, total, [rows[k][0] for k in live], query.dense,
                                            weight_of), strict=True):  # fmt: skip
        out[k] = 100 * (match_weight * match + (1 - match_weight) * (found[k] / total))
    return out


def upper_bound(found: float, total: float, match_weight: float) -> float:
    """No less than :func:`channel_score` of a fact whose bag holds ``found`` of the query's ``total``
    weight. A document's tokens are distinct, part of the bag and weigh in it as in the query, so its
    ``shared`` weight is at most ``found`` and at most its own weight: its Dice ``2 * shared / (total +
    own)`` is at most ``2 * found / (total + found)``. Raised by a relative 1e-9, more than the rounding of
    the sums that give the score."""
    match = 2 * found / (total + found)
    return 100 * (match_weight * match + (1 - match_weight) * (found / total)) * (1 + 1e-9)


def holds_any(layout: Layout, fact: int, channels: Iterable[int], ids: Iterable[int]) -> bool:
    """Whether fact ``fact``'s rows in ``channels`` hold any of the token ``ids``."""
    wanted = set(ids)
    if not wanted:
        return False
    return any(not wanted.isdisjoint(layout.row(fact, channel)) for channel in channels)
