"""The candidate walk and the documents' match in numpy (routing/dense.py) give what the Python ones give:
the same candidates in the same order and the same float scores, on the real facts, on many copies of
them, after a reload (postings remapped, a delta segment) and on random postings with ties."""

from __future__ import annotations

import sys
import types
from array import array
from dataclasses import replace

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jinshui_qa.facts.schema import FactBase
from jinshui_qa.routing import dense, retrieval
from jinshui_qa.routing.index import Index
from jinshui_qa.routing.matching import Query, channel_score, channel_scores
from jinshui_qa.routing.packed import BAG, DOCS, END, PY_BAG, PY_DOCS
from jinshui_qa.routing.router import Router
from jinshui_qa.text import lazy_re
from tests.support.oracles import every_posting

from .test_scoring_on_ids import BASE, NORMALIZER, asked, copies


def check(index: Index, monkeypatch: pytest.MonkeyPatch, stride: int = 1) -> int:
    """Candidates, channel scores and the scorer's list with numpy equal those without; how many
    questions had a candidate walked in numpy."""
    router, layout = Router(index), index.layout
    walked = 0
    for text in asked(index.base):
        _, canonical, tokens, py = router.analyse(text)
        monkeypatch.setattr(dense, "DENSE_FACTS", 10**9)
        assert dense.numpy_for(len(layout)) is None
        plain = [
            index.candidates(tokens | py, limit, budget=budget)
            for limit in (1, 10, 40)
            for budget in (20_000, 60)
        ]
        scored = router.scorer.score(tokens, py, canonical)
        queries = [Query.of(layout, {t: index.weights.of(t) for t in words}) for words in (tokens, py)]
        monkeypatch.setattr(dense, "DENSE_FACTS", 0)
        assert dense.numpy_for(len(layout)) is numpy
        assert plain == [index.candidates(tokens | py, limit, budget=budget) for limit in (1, 10, 40) for budget in (20_000, 60)]  # fmt: skip
        assert router.scorer.score(tokens, py, canonical) == scored
        walked += bool(plain[1])
        for query, channels in zip(queries, ((DOCS, BAG), (PY_DOCS, PY_BAG)), strict=True):
            fast = Query.of(
                layout, {t: index.weights.of(t) for t in (tokens if channels[0] == DOCS else py)}, numpy
            )
            assert fast.weights == query.weights and fast.total == query.total
            assert (fast.dense is None) == (not query.weights)
            every = [
                (layout.row(i, channels[0]), layout.row(i, channels[1]))
                for i in range(0, len(layout), stride)
            ]
            beats = [
                20.0 * (i % 5) - 20.0 for i in range(len(every))
            ]  # none (-20), 0, and some it may not beat
            for beat in (beats, None):
                assert channel_scores(fast, every, layout.wt, 0.5, beat) == [
                    channel_score(query, *rows, layout.wt, 0.5, -1.0 if beat is None else beat[k])
                    for k, rows in enumerate(every)
                ]
            for i in range(0, len(layout), stride):
                rows = [layout.row(i, c) for c in channels]
                assert channel_score(fast, *rows, layout.wt, 0.5) == channel_score(
                    query, *rows, layout.wt, 0.5
                )
    return walked


def test_numpy_gives_the_same_on_the_real_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    assert check(Index(BASE, NORMALIZER), monkeypatch) > 20


def test_numpy_gives_the_same_on_copies_and_after_a_reload(monkeypatch: pytest.MonkeyPatch) -> None:
    base = copies(6)
    first = Index(base, NORMALIZER)
    check(first, monkeypatch, stride=17)
    facts = list(base.facts)
    facts[3] = replace(facts[3], keywords=(*facts[3].keywords, "机器人实验室"))
    del facts[10]
    facts.append(replace(BASE.facts[0], id="added", keywords=("氢能产业园",)))
    again = Index(FactBase(tuple(facts), base.topics, base.reports, base.vocabulary, "test"), NORMALIZER,
                  reuse=first.reusable())  # fmt: skip
    assert again.layout.remap is not None and again.layout.delta_postings
    layout = again.layout
    for _ in range(2):  # every token's positions, remapped with the delta's added; then as kept
        assert all(
            dense.positions(layout, numpy)(t).tolist() == layout.positions(t) for t in range(layout.count)
        )
    assert dense.remapped(layout, numpy)[1]  # the rows kept in order: no sort but the delta's merge
    assert len(dense.remapped(layout, numpy)[2]) == layout.count
    monkeypatch.setattr(dense, "REMAPPED_KEPT", 50)  # forgotten when full, made again the same
    dense.remapped(layout, numpy)[2].clear()
    for _ in range(2):
        assert all(
            dense.positions(layout, numpy)(t).tolist() == layout.positions(t) for t in range(layout.count)
        )
    assert dense.remapped(layout, numpy)[2].size <= 50
    monkeypatch.undo()
    check(again, monkeypatch, stride=19)
    moved = [*facts[:2], *facts[5:9], *facts[2:5], *facts[9:]]  # facts moved: a remap out of order
    third = Index(FactBase(tuple(moved), base.topics, base.reports, base.vocabulary, "test"), NORMALIZER,
                  reuse=again.reusable())  # fmt: skip
    layout = third.layout
    assert layout.remap is not None and not dense.remapped(layout, numpy)[1]
    for _ in range(2):
        assert all(
            dense.positions(layout, numpy)(t).tolist() == layout.positions(t) for t in range(layout.count)
        )
    check(third, monkeypatch, stride=23)


def test_a_small_base_walks_in_python() -> None:
    assert dense.numpy_for(dense.DENSE_FACTS - 1) is None
    assert dense.numpy_for(dense.DENSE_FACTS) is numpy


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from([0.5, 1.0, 1.5, 2.25, 3.0, 0.1]), st.sets(st.integers(0, 60), min_size=0)),
             max_size=12),
    st.integers(0, 12), st.booleans(),
)  # fmt: skip
def test_the_walk_in_numpy_equals_reading_every_posting(
    lists: list[tuple[float, set[int]]], limit: int, repeat: bool
) -> None:
    if repeat:  # lists in a row holding the same facts (a word's characters and bigrams)
        lists = [x for pair in zip(lists, lists, strict=True) for x in pair]
    walked, held, expected = every_posting(lists, limit)  # ties: the fact met first
    assert dense.top(walked, held.__getitem__, limit, 61, numpy) == expected
    assert retrieval.top(walked, held.__getitem__, limit) == expected


def test_a_large_base_compiles_the_loaded_patterns_at_its_start(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("jinshui_qa.p99d_patterns")
    module.ALONE = lazy_re.compile(r"金水区?")  # type: ignore[attr-defined]
    module.KINDS = {"a": lazy_re.compile(r"高企|高新")}  # type: ignore[attr-defined]
    module.LISTED = (lazy_re.compile(r"\d+年"), "not a pattern")  # type: ignore[attr-defined]
    outside = types.ModuleType("elsewhere")
    outside.ALONE = lazy_re.compile(r"二七区")  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setitem(sys.modules, outside.__name__, outside)
    patterns = [module.ALONE, module.KINDS["a"], module.LISTED[0]]  # type: ignore[attr-defined]
    monkeypatch.setattr(dense, "DENSE_FACTS", 10**9)
    dense.prepare(len(BASE.facts))  # a small base (ask): compiled on first use only
    assert all(p._compiled is None for p in patterns)
    monkeypatch.setattr(dense, "DENSE_FACTS", len(BASE.facts))
    dense.prepare(len(BASE.facts))
    assert all(p._compiled is not None for p in patterns)
    assert outside.ALONE._compiled is None  # type: ignore[attr-defined]
    assert module.ALONE.search("金水区的人口") is not None  # type: ignore[attr-defined]
    assert lazy_re.compile_loaded() == 0  # nothing left to compile


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.lists(st.integers(0, 15), unique=True, max_size=6), max_size=4), max_size=6),
    st.sets(st.integers(0, 15), max_size=8),
    st.lists(st.floats(-1.0, 120.0), min_size=6, max_size=6),
)  # fmt: skip
def test_several_facts_matched_at_once_equal_each_on_its_own(
    facts: list[list[list[int]]], asked: set[int], beats: list[float]
) -> None:
    """Empty documents and facts without any, weights shared or not: channel_scores with numpy is the
    Python channel_score of each fact (a token weighs in the query as in the index)."""
    wt = array("d", [0.25 + (t % 4) * 0.75 for t in range(16)])
    weights = {t: wt[t] for t in sorted(asked)}
    total = sum(weights.values()) + 1.5  # the query's words no fact knows weigh too
    rows = [(array("i", [t for doc in docs for t in (*doc, END)]), array("i", sorted({t for doc in docs for t in doc})))
            for docs in facts]  # fmt: skip
    plain = Query(weights, total)
    fast = Query(weights, total, dense.query(weights, len(wt), wt, numpy) if weights else None)
    for beat in (beats[: len(rows)], None):
        assert channel_scores(fast, rows, wt, 0.5, beat) == [
            channel_score(plain, *r, wt, 0.5, -1.0 if beat is None else beat[k]) for k, r in enumerate(rows)
        ]
