"""The candidate walk of a large base in numpy: every posting read, in C (issue 14, p99 per question).

:func:`retrieval.top <jinshui_qa.routing.retrieval.top>` adds each posting's weight to its fact in a
Python step, cut short by a bound; at 100,000 facts it still steps over thousands of postings (1-3 ms
of a slow question). Here each list's weight is added to a dense array of scores, one C call per list
(``scores[held] += weight``), so every fact's score is the same sum of the same floats in the same order
(``0.0 + w1 + w2 ...``) as there, and the ``limit`` facts of most weight are taken with the same ties:
to the fact met first (the earlier list, then the lower position). Nothing is kept between questions.
The documents' match (:func:`match`) is estimated per document in numpy and summed again in Python
for the best documents only, so a score is the same float too.

numpy costs ~0.1 s to import, so only a base of ``DENSE_FACTS`` facts or more uses it (imported once,
at the router's start: :func:`prepare`, which also compiles the loaded patterns); a smaller base, as
``ask`` answers from, walks in Python and never imports it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from itertools import repeat
from typing import Any
from weakref import WeakKeyDictionary

from jinshui_qa.routing.packed import END
from jinshui_qa.routing.segments import Layout

DENSE_FACTS = 8192  # a base of this many facts or more walks its postings in numpy
_loaded: list[Any] = []  # [numpy] or [None] once tried


def numpy_for(facts: int) -> Any:
    """The numpy module when a base of ``facts`` facts walks in it (imported on the first such call),
    else None (a small base, or numpy missing: the Python walk gives the same candidates)."""
    if facts < DENSE_FACTS:
        return None
    if not _loaded:
        # its BLAS thread pool serves none of these operations: no idle thread in a process that forks
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        try:
            import numpy
        except ImportError:  # pragma: no cover - numpy is a dependency; the Python walk is equal
            _loaded.append(None)
        else:
            _loaded.append(numpy)
    return _loaded[0]


def prepare(facts: int) -> None:
    """At the start of a base of ``facts`` facts: when it is large (:data:`DENSE_FACTS`), numpy imported
    and the loaded modules' patterns compiled (:func:`~jinshui_qa.text.lazy_re.compile_loaded`), so that
    neither lands on a question (1-3 ms each for a pattern's first use; a small base, as ``ask`` answers
    from, keeps compiling them only when used)."""
    if numpy_for(facts) is not None:
        from jinshui_qa.text import lazy_re

        lazy_re.compile_loaded()


def positions(layout: Layout, numpy: Any) -> Callable[[int], Any]:
    """``layout.positions`` as arrays (postings remapped after a reload, the delta's added, ascending),
    without a Python step per posting; the stored postings as they are when there is no remap. After
    a reload each token's remapped postings are kept (read-only, :data:`REMAPPED_KEPT` ids in all) for
    the next questions: a common token's took ~40 µs a question (0.5 ms a question at 10,000 facts)."""
    of = layout.postings.of
    if layout.remap is None:
        return lambda t: numpy.asarray(of(t))
    moved, ascending, kept = remapped(layout, numpy)
    extra = layout.delta_postings

    def found(t: int) -> Any:
        out = kept.get(t)
        if out is not None:
            return out
        out = moved[numpy.asarray(of(t))]
        out = out[out >= 0]
        added = extra.get(t)
        if added is not None:  # the delta's rows are appended in order: merged into the ascending run
            if not ascending:
                out.sort()
            out = numpy.insert(out, numpy.searchsorted(out, added), added)
        elif not ascending:
            out.sort()
        out.flags.writeable = False
        if kept.size + len(out) > REMAPPED_KEPT:
            kept.clear()
        if len(out) <= REMAPPED_KEPT:
            kept[t] = out
        return out

    return found


REMAPPED_KEPT = 2_000_000  # postings kept remapped per layout (8-16 MB), then forgotten at once
_remaps: WeakKeyDictionary[Layout, tuple[Any, bool, _Kept]] = WeakKeyDictionary()


class _Kept(dict[int, Any]):
    """Remapped postings by token id, and how many ids they hold in all."""

    size = 0

    def __setitem__(self, t: int, postings: Any) -> None:
        self.size += len(postings)
        super().__setitem__(t, postings)

    def clear(self) -> None:
        self.size = 0
        super().clear()


def remapped(layout: Layout, numpy: Any) -> tuple[Any, bool, _Kept]:
    """``layout.remap`` as an array, whether it keeps the order of the rows it keeps, and the postings
    remapped so far (made once per layout: a question after a reload reads it for every token)."""
    held = _remaps.get(layout)
    if held is None:
        moved = numpy.asarray(layout.remap)
        rows = moved[moved >= 0]
        held = _remaps[layout] = (moved, bool(numpy.all(rows[1:] > rows[:-1])), _Kept())
    return held


def top(lists: Sequence[tuple[float, int, int]], facts: Callable[[int], Any], limit: int, n: int,
        numpy: Any) -> list[int]:  # fmt: skip
    """:func:`retrieval.top <jinshui_qa.routing.retrieval.top>` over positions below ``n``: the ``limit``
    facts of most weight over ``lists`` (weight, token id, postings), ties to the fact met first."""
    if limit <= 0 or not lists:
        return []
    held = [numpy.asarray(facts(t), dtype=numpy.intp) for _, t, _ in lists]
    every, sizes = numpy.concatenate(held), list(map(len, held))
    # a list holds a fact once: bincount adds each fact's weights one by one in list order, from 0.0 (the
    # same floats as one addition per list), over the positions up to the largest met, not all ``n``
    score = numpy.bincount(every, numpy.repeat(numpy.array([w for w, _, _ in lists], dtype=float), sizes))
    first = numpy.empty(len(score), dtype=numpy.int32)  # 1 + the first list holding the fact; only the
    for g in range(len(held), 0, -1):  # facts met are read, and each of them is written here
        first[held[g - 1]] = g
    # each fact kept where its first list holds it: the facts met, in order
    met = every[first[every] == numpy.repeat(numpy.arange(1, len(held) + 1, dtype=numpy.int32), sizes)]
    values = score[met]
    if len(met) > limit:  # those at or above the limit-th score (ties included)
        least = numpy.partition(values, len(values) - limit)[len(values) - limit]
        kept = numpy.flatnonzero(values >= least)
        met, values = met[kept], values[kept]
    out: list[int] = met[numpy.argsort(-values, kind="stable")[:limit]].tolist()  # ties: the one met first
    return out


def query(ids: dict[int, float], count: int, weight_of: Sequence[float], numpy: Any) -> tuple[Any, Any, Any]:
    """For :func:`match`: numpy, a channel's query weights as a dense array over the ``count`` token ids
    (0.0: not in the query), and the layout's token weights ``weight_of`` as an array (a view, not a copy)."""
    weights = numpy.zeros(count)
    if ids:
        weights[numpy.fromiter(ids, numpy.intp, len(ids))] = numpy.fromiter(ids.values(), float, len(ids))
    return numpy, weights, numpy.asarray(weight_of)


def match(ids: dict[int, float], total: float, docs: Sequence[int], dense: tuple[Any, Any, Any],
          weight_of: Sequence[float]) -> float:  # fmt: skip
    """The best weighted Dice ``2 * shared / (total + own)`` of the query (``ids``: token id -> weight;
    ``dense``: :func:`query`) with one of ``docs`` (runs of ids, each ended by ``END``), as
    :func:`~jinshui_qa.routing.matching.channel_score` computes it in Python: each document's sums are
    estimated in numpy, then those of the documents within a relative 1e-9 of the best estimate (most
    often one; the estimates are within ~1e-13 of the sums, all terms being positive) are summed again in
    Python, in order, so the value returned is the same float."""
    numpy, query_of, own_of = dense
    row = numpy.asarray(docs)
    ends = numpy.flatnonzero(row == END)
    if not len(ends):
        return 0.0
    starts = numpy.empty(len(ends), numpy.intp)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    found = query_of[row]  # END (-1) reads the last id: zeroed below, each document's run summed to its END
    found[ends] = 0.0
    own = own_of[row]
    own[ends] = 0.0
    dice = 2 * numpy.add.reduceat(found, starts) / (total + numpy.add.reduceat(own, starts))
    best = float(dice.max())
    if best <= 0.0:
        return 0.0
    get, weigh, out = ids.get, weight_of.__getitem__, 0.0
    bounds = ends.tolist()
    for k in numpy.flatnonzero(dice >= best * (1 - 1e-9)).tolist():
        doc = docs[bounds[k - 1] + 1 if k else 0 : bounds[k]]
        shared = sum(map(get, doc, repeat(0.0)))
        if shared:
            out = max(out, 2 * shared / (total + sum(map(weigh, doc))))
    return out


def matches(ids: dict[int, float], total: float, rows: Sequence[Sequence[int]], dense: tuple[Any, Any, Any],
            weight_of: Sequence[float]) -> list[float]:  # fmt: skip
    """:func:`match` of each of ``rows`` (several facts' documents), estimated in one numpy pass over
    them all rather than one per fact; the same floats."""
    out = [0.0] * len(rows)
    if not rows:
        return out
    numpy, query_of, own_of = dense
    row = numpy.concatenate([numpy.asarray(docs) for docs in rows])
    ends = numpy.flatnonzero(row == END)
    if not len(ends):
        return out
    starts = numpy.empty(len(ends), numpy.intp)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    found = query_of[row]  # as in match: END reads the last id, zeroed
    found[ends] = 0.0
    own = own_of[row]
    own[ends] = 0.0
    dice = 2 * numpy.add.reduceat(found, starts) / (total + numpy.add.reduceat(own, starts))
    offsets = numpy.cumsum([len(docs) for docs in rows])  # each row ends with a document's END
    owner = numpy.searchsorted(offsets, ends, side="right")  # the row of each document
    best = numpy.zeros(len(rows))
    numpy.maximum.at(best, owner, dice)
    near = numpy.flatnonzero((dice > 0.0) & (dice >= best[owner] * (1 - 1e-9)))
    get, weigh = ids.get, weight_of.__getitem__
    bounds, owners, begins = ends.tolist(), owner.tolist(), [0, *offsets.tolist()]
    for j in near.tolist():
        k = owners[j]
        doc = rows[k][(bounds[j - 1] + 1 if j else 0) - begins[k] : bounds[j] - begins[k]]
        shared = sum(map(get, doc, repeat(0.0)))
        if shared:
            out[k] = max(out[k], 2 * shared / (total + sum(map(weigh, doc))))
    return out
