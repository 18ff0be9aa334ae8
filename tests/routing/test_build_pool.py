"""A full build tokenised by forked workers gives the index of one process, fact by fact (issue 14).

The real facts copied many times over (``MIN_FACTS`` lowered so the pool runs on a small base): the
rows, postings, frequencies and weights, as token strings, and the forms the router reads afterwards,
are those of a one-process build; a worker that sends nothing leaves its chunk to the parent; no
process is left behind.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from jinshui_qa import forking
from jinshui_qa.bootstrap import assistant_for
from jinshui_qa.facts.schema import FactBase
from jinshui_qa.routing import pool
from jinshui_qa.routing.index import Index
from jinshui_qa.routing.packed import BAG, DOCS, PY_BAG, PY_DOCS, docs_of
from jinshui_qa.text import pinyin
from jinshui_qa.text.normalize import Normalizer, building
from tests.routing.test_build_paths import BASE, _shared_texts


@pytest.fixture(autouse=True)
def small_bases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "MIN_FACTS", 1)


def _as_strings(index: Index) -> dict[str, Any]:
    """The index's data with each token id replaced by its token (ids differ between builds)."""
    layout, words = index.layout, index.layout.tokens.words
    rows = [
        (
            [sorted(words[t] for t in d) for d in docs_of(layout.row(i, DOCS))],
            sorted(words[t] for t in layout.row(i, BAG)),
            [sorted(words[t] for t in d) for d in docs_of(layout.row(i, PY_DOCS))],
            sorted(words[t] for t in layout.row(i, PY_BAG)),
        )
        for i in range(len(layout))
    ]
    held = [t for t in range(layout.count) if layout.df[t]]
    return {
        "rows": rows,
        "weights": sorted((words[t], layout.df[t], layout.wt[t]) for t in held),
        "postings": sorted((words[t], tuple(layout.positions(t))) for t in held),
        "english": sorted(index.english_words),
    }


def _build(base: FactBase, workers: int) -> tuple[dict[str, Any], dict[str, str], dict[Any, str]]:
    with building() as memo:
        normalizer = Normalizer(base.vocabulary)
        index = Index(base, normalizer, workers=workers)
        return _as_strings(index), normalizer.memo(), dict(memo.folded)


@pytest.fixture(scope="module")
def base() -> FactBase:
    return _shared_texts(5)


@pytest.fixture(scope="module")
def alone(base: FactBase) -> tuple[dict[str, Any], dict[str, str], dict[Any, str]]:
    _build(base, 1)  # the first build in a process also fills caches kept across builds (stems, ...)
    return _build(base, 1)


@pytest.fixture
def merged(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many workers' rows were merged."""
    count: list[int] = []
    merge = pool._merge

    def counted(*args: Any) -> None:
        count.append(1)
        merge(*args)

    monkeypatch.setattr(pool, "_merge", counted)
    yield count
    assert not multiprocessing.active_children()  # every worker joined


@pytest.mark.parametrize("workers", [2, 3])
def test_a_pooled_build_is_the_one_process_build_token_by_token(
    base: FactBase,
    alone: tuple[dict[str, Any], dict[str, str], dict[Any, str]],
    merged: list[int],
    workers: int,
) -> None:
    data, canonical, folded = _build(base, workers)
    assert len(merged) == workers - 1
    assert data == alone[0]
    # the forms the router reads next: every one the workers computed is known here too
    assert canonical == alone[1]
    assert folded == alone[2]


def test_a_worker_that_sends_nothing_leaves_its_chunk_to_the_parent(
    base: FactBase,
    alone: tuple[dict[str, Any], dict[str, str], dict[Any, str]],
    merged: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def silent(*args: Any) -> None:
        os._exit(3)  # in the forked process: it ends sending nothing

    monkeypatch.setattr(pool, "_worker", silent)  # the forked process runs it as it is here
    data, canonical, _ = _build(base, 2)
    assert not merged
    assert data == alone[0]
    assert canonical == alone[1]


def test_the_readings_a_worker_looked_up_are_known_after_the_build(base: FactBase) -> None:
    held = []
    for workers in (1, 2):
        pinyin._READINGS.clear()
        pinyin._SPELLING.clear()
        _build(base, workers)
        held.append(pinyin.readings())
    assert held[0] and held[1] == held[0]  # what a snapshot stores


def test_the_pool_is_used_only_where_it_can_help_and_is_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "MIN_FACTS", 100)
    assert pool.usable(2, 100)
    assert not pool.usable(1, 100)  # one core
    assert not pool.usable(2, 99)  # a small base
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not pool.usable(2, 100)  # a fork would copy locks another thread may hold
    finally:
        stop.set()
        other.join()


def test_the_workers_are_the_usable_cores_or_what_the_environment_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("JINSHUI_QA_BUILD_WORKERS", raising=False)
    monkeypatch.setattr(forking.os, "sched_getaffinity", lambda pid: {0})
    assert forking.build_workers() == 1
    monkeypatch.setattr(forking.os, "sched_getaffinity", lambda pid: set(range(16)))
    assert forking.build_workers() == forking.MAX_WORKERS
    monkeypatch.setenv("JINSHUI_QA_BUILD_WORKERS", "1")
    assert forking.build_workers() == 1
    monkeypatch.setenv("JINSHUI_QA_BUILD_WORKERS", "3")
    assert forking.build_workers() == 3


def test_chunks_cover_every_fact_once_in_order() -> None:
    for n in (0, 1, 2, 7, 10_001):
        for parts in (1, 2, 3, 4):
            chunks = forking.chunks(n, parts)
            assert [i for lo, hi in chunks for i in range(lo, hi)] == list(range(n))
            assert len(chunks) <= parts


def test_chunks_by_cost_cover_every_fact_once_and_end_together() -> None:
    import random

    rng = random.Random(7)
    for n in (0, 1, 2, 7, 1_001):
        for parts in (1, 2, 3, 4):
            for away in (1.0, 1.2):
                costs = [rng.randint(0, 50) for _ in range(n)]
                chunks = forking.weighted(costs, parts, away)
                assert [i for lo, hi in chunks for i in range(lo, hi)] == list(range(n))
                assert len(chunks) <= parts and all(hi > lo for lo, hi in chunks)
                if n == 1_001 and parts > 1:  # each chunk's cost within one fact's of its share
                    total = sum(costs)
                    first = away * total / (parts - 1 + away)
                    shares = [first] + [(total - first) / (parts - 1)] * (parts - 1)
                    for (lo, hi), share in zip(chunks, shares, strict=True):
                        assert abs(sum(costs[lo:hi]) - share) <= 50 * 2
    # the later facts three times as long: this process takes more of them than half
    assert forking.weighted([1] * 50 + [3] * 50, 2) == [(0, 67), (67, 100)]
    assert forking.weighted([1] * 100, 2, 1.5) == [(0, 60), (60, 100)]  # a worker's unit counts 1.5
    assert forking.weighted([1] * 100, 2) == forking.chunks(100, 2)


def test_facts_weighed_in_blocks_are_each_in_one_chunk(
    base: FactBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    facts = base.facts
    whole = forking.weighted([pool.fact_cost(f) for f in facts], 2, pool.AWAY)
    assert pool.weighed(facts, 2) == whole  # a block a fact
    for samples in (1, 3, 7, len(facts) - 1):
        monkeypatch.setattr(pool, "SAMPLES", samples)
        for parts in (1, 2, 3):
            chunks = pool.weighed(facts, parts)
            assert [i for lo, hi in chunks for i in range(lo, hi)] == list(range(len(facts)))
            assert len(chunks) <= parts


def test_a_lighter_first_chunk_leaves_this_process_its_other_work() -> None:
    for n in (0, 1, 2, 7, 10_001):
        for parts in (1, 2, 3, 4):
            for share in (0.0, 0.5, 3.0):
                chunks = pool.lighter_first(n, parts, share)
                assert [i for lo, hi in chunks for i in range(lo, hi)] == list(range(n))
                assert chunks[0][0] == 0 and len(chunks) <= parts and all(hi > lo for lo, hi in chunks[1:])
    assert pool.lighter_first(100, 2, 0.5) == [(0, 25), (25, 100)]  # 25 + 50 of other work against 75
    assert pool.lighter_first(100, 2, 0.0) == forking.chunks(100, 2)


def test_the_product_build_with_a_pool_answers_as_without(
    merged: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    derived: list[int] = []
    pooled_slots = pool.pooled
    monkeypatch.setattr(pool, "pooled", lambda *a: derived.append(1) or pooled_slots(*a))
    with building():
        pooled = assistant_for(BASE, workers=2)
    with building():
        alone = assistant_for(BASE, workers=1)
    assert merged == [1] and derived == [1]
    assert _as_strings(pooled.router.index) == _as_strings(alone.router.index)
    assert list(pooled.router.slots) == list(alone.router.slots)  # every fact's, derived by two processes
    # the word lists over every fact, made here while the other process derived slots
    assert pooled.router.scorer.signature_owner == alone.router.scorer.signature_owner
    assert pooled.router.scorer.subject_words.plain() == alone.router.scorer.subject_words.plain()
    assert pooled.router.placement.english_words == alone.router.placement.english_words
    assert pooled.router.index.normalizer.memo() == alone.router.index.normalizer.memo()
    for fact in BASE.facts[:20]:
        for question in fact.questions_zh[:2]:
            assert pooled.router.route(question) == alone.router.route(question)


def test_a_full_build_from_the_rebuilder_derives_the_slots_in_the_pool(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """The product's full build (``Rebuilder.start`` with no snapshot yet) tokenises and derives every
    fact's slots with the workers: its state holds a slot for no fact, which is not "some known"."""
    from pathlib import Path

    from jinshui_qa.rebuilder import Rebuilder

    monkeypatch.setenv("JINSHUI_QA_BUILD_WORKERS", "2")
    calls: list[int] = []
    real = pool.pooled

    def counted(facts: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(len(facts))
        return real(facts, *args, **kwargs)

    monkeypatch.setattr(pool, "pooled", counted)
    facts = Path(__file__).resolve().parents[2] / "facts"
    assistant = Rebuilder(snapshot=tmp_path / "index.snapshot").start(facts)
    assert calls == [len(assistant.base.facts)]  # the slots, derived by the pool
    assert assistant.reply("金水区有多少家高新技术企业").status == "answer"
