"""Candidate retrieval: the facts sharing the most token weight with a message, read from the postings.

:meth:`Index.candidates <jinshui_qa.routing.index.Index.candidates>` chooses the postings to read
(rarest token first, within a budget); :func:`top` reads them and returns the ``limit`` facts of most
weight, ties to the fact met first. That is exactly what adding every posting's weight to its fact
and taking the largest gives, with less work: the leaders so far are read to the end (a look-up per
list), and the ``limit``-th of their final scores bounds the ``limit``-th of all from below. Once the
weight of the lists still to read (``rest``) is below that bound, no fact not met yet can reach the
top, nor any fact whose score plus ``rest`` stays below it. From there only the few facts that still
can (``alive``) are looked up in the remaining lists (a set intersection, at C speed), instead of a
Python step per posting, and the bound rises with their scores. Each fact's weights are added in the
same order as before, so its score is the same float.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Callable, Sequence
from itertools import compress, islice

from jinshui_qa.routing import dense
from jinshui_qa.routing.segments import Layout

SLACK = 1e-9  # relative: a bound must clear a score by this much (sums in another order round apart)
CHECKS = 16  # how often, over the postings to read, whether the rest may be read for a few facts only
SAMPLE = 512  # the facts met first whose limit-th score bounds that of all (see top)
LOOKUP = 16  # a list this many times longer than the facts still alive: each fact is looked up in it


def read(layout: Layout, lists: Sequence[tuple[float, int, int]], limit: int) -> list[int]:
    """:func:`top` over ``layout``'s postings: in numpy for a large base (:mod:`.dense`), else in Python."""
    numpy = dense.numpy_for(len(layout))
    if numpy is not None:
        return dense.top(lists, dense.positions(layout, numpy), limit, len(layout), numpy)
    facts = layout.postings.of if layout.remap is None else layout.positions  # no copy when unsegmented
    return top(lists, facts, limit)


def _ranked(score: dict[int, float], among: Sequence[int], limit: int) -> list[int]:
    """The ``limit`` facts of ``among`` (in the order met) of highest score, ties to the one met first:
    ``heapq.nlargest(limit, among, key=score.__getitem__)``, with the threshold found on the floats."""
    if len(among) > 4 * limit:
        values = list(map(score.__getitem__, among))
        least = heapq.nlargest(limit, values)[-1]
        among = list(compress(among, map(least.__le__, values)))
    return sorted(among, key=score.__getitem__, reverse=True)[:limit]


def top(
    lists: Sequence[tuple[float, int, int]], facts: Callable[[int], Sequence[int]], limit: int
) -> list[int]:
    """The ``limit`` facts of most weight over ``lists`` (weight, token id, postings) read in order,
    ties to the fact met first; ``facts(t)``: the positions holding token id ``t``, ascending."""
    if limit <= 0:
        return []
    groups: list[tuple[tuple[float, ...], Sequence[int]]] = []  # lists in a row holding the same facts
    for weight, t, size in lists:
        held = facts(t)
        if groups and len(groups[-1][1]) == size and groups[-1][1] == held:
            groups[-1] = ((*groups[-1][0], weight), groups[-1][1])
        else:
            groups.append(((weight,), held))
    rest = [0.0] * (len(groups) + 1)  # rest[g]: the weight of groups[g:]
    for g in range(len(groups) - 1, -1, -1):
        rest[g] = rest[g + 1]
        for weight in groups[g][0]:
            rest[g] += weight
    step = sum(size for _, _, size in lists) // CHECKS
    score: dict[int, float] = {}
    get = score.get
    final: dict[int, float] = {}  # facts whose score over every list is known
    read, check, least = 0, step, 0.0
    for g, (weights, held) in enumerate(groups, 1):
        if len(weights) == 1:
            weight = weights[0]
            for fact in held:
                score[fact] = get(fact, 0.0) + weight
        else:  # each fact's weights added one by one, in the same order as list by list
            for fact in held:
                value = get(fact, 0.0)
                for weight in weights:
                    value += weight
                score[fact] = value
        read += len(held) * len(weights)
        if read >= check and g < len(groups) and len(score) >= limit:
            check = read + step
            # the leaders so far (among the facts met first: a bounded time), read to the end: the
            # limit-th of their final scores is no more than the limit-th of all
            ahead = groups[g:]
            for fact in heapq.nlargest(limit, islice(score, max(SAMPLE, limit)), key=score.__getitem__):
                if fact not in final:
                    final[fact] = _finished(score[fact], fact, ahead)
            if len(final) >= limit:
                least = max(least, heapq.nlargest(limit, final.values())[-1])
            if rest[g] * (1 + SLACK) < least * (1 - SLACK):
                return _rest(score, ahead, rest[g:], limit, least)
    return _ranked(score, list(score), limit)


def _finished(value: float, fact: int, groups: Sequence[tuple[tuple[float, ...], Sequence[int]]]) -> float:
    """``fact``'s score ``value`` so far with the weights of ``groups`` that hold it, added in order."""
    for weights, found in groups:
        at = bisect_left(found, fact)
        if at < len(found) and found[at] == fact:
            for weight in weights:
                value += weight
    return value


def _rest(score: dict[int, float], groups: Sequence[tuple[tuple[float, ...], Sequence[int]]],
          rest: Sequence[float], limit: int, least: float) -> list[int]:  # fmt: skip
    """Read ``groups`` for the facts met so far that may still reach the top ``limit``: those whose
    score plus the weight left to read is at least ``least``, a lower bound of the ``limit``-th score."""
    alive: list[int] = list(score)  # in the order met
    held: set[int] = set()
    for (weights, found), left in zip(groups, rest, strict=False):
        size = len(found)
        if len(alive) < 2 * size or not held:  # dropping those that can no longer reach it is worth it
            values = list(map(score.__getitem__, alive))
            if len(values) > limit:  # the limit-th score so far: a lower bound of the final one
                least = max(least, heapq.nlargest(limit, values)[-1])
            bound = least * (1 - SLACK) - left * (1 + SLACK)
            kept = list(compress(alive, map(bound.__le__, values)))
            if len(kept) < len(alive) or not held:
                alive, held = kept, set(kept)
        if len(alive) * LOOKUP < size:  # a few facts: each looked up in the ascending postings
            hits = [fact for fact in alive if (at := bisect_left(found, fact)) < size and found[at] == fact]
        else:
            hits = list(held.intersection(found))
        for fact in hits:
            value = score[fact]
            for weight in weights:
                value += weight
            score[fact] = value
    return _ranked(score, alive, limit)
