"""Scoring on token ids (routing/matching.py) and the pruned candidate walk (routing/retrieval.py) give
what the scorer computed before on Doc objects and frozensets, and what reading every posting gave:
fact by fact, question by question, on a fresh index and on a reloaded one (a delta segment)."""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jinshui_qa.facts.loader import load
from jinshui_qa.facts.schema import Bilingual, FactBase
from jinshui_qa.routing import retrieval
from jinshui_qa.routing.index import Index
from jinshui_qa.routing.matching import Query, channel_score, upper_bound
from jinshui_qa.routing.packed import BAG, DOCS, PY_BAG, PY_DOCS
from jinshui_qa.routing.router import Router
from jinshui_qa.routing.scoring import Candidate, Scorer
from jinshui_qa.routing.views import Doc
from jinshui_qa.text.normalize import Normalizer
from tests.support.oracles import every_posting

BASE = load()
NORMALIZER = Normalizer(BASE.vocabulary)
OTHER = ["金水区的人口有多少", "二七区有多少家高新技术企业", "How many high-tech firms?", "gaoxin qiye you duoshao",
         "金水區2021年的GDP是多少", "分园3的总投资是多少", "东区分园12有多少家企业", "科技形企业有几家", "高薪企业"]  # fmt: skip


def copies(n: int) -> FactBase:
    """The real facts ``n`` times over, each copy about a sub-park of its own: many identical postings."""
    facts = [
        replace(f, id=f"{f.id}_{k}", questions_zh=tuple(f"分园{k}{q}" for q in f.questions_zh),
                keywords=(*f.keywords, f"分园{k}"), subject=Bilingual(f"分园{k}", f"sub-park {k}"), related=())
        for k in range(n) for f in BASE.facts
    ]  # fmt: skip
    return FactBase(tuple(facts), BASE.topics, BASE.reports, BASE.vocabulary, "test")


def asked(base: FactBase) -> list[str]:
    return [q for f in base.facts[:: max(1, len(base.facts) // 40)] for q in (*f.questions_zh[-2:], f.questions_en[0])] + OTHER  # fmt: skip


# -- the arithmetic as it was, on the views' Doc objects and frozensets -----------------------------------
def old_channel(
    qw: dict[str, float], total: float, docs: list[Doc], bag: frozenset[str], weight: float
) -> float:
    if total <= 0:
        return 0.0
    tokens = qw.keys()
    match = 0.0
    for doc in docs:
        shared = tokens & doc.tokens
        if shared:
            match = max(match, 2 * sum(map(qw.__getitem__, shared)) / (total + doc.weight))
    cover = sum(map(qw.__getitem__, tokens & bag)) / total
    return 100 * (weight * match + (1 - weight) * cover)


def old_candidates(index: Index, tokens: frozenset[str], limit: int, budget: int) -> list[int]:
    layout = index.layout
    cap = max(50, index.weights.total // 5)
    lists = sorted(
        (layout.df[t], tok, t) for tok in tokens if (t := layout.id(tok)) >= 0 and 0 < layout.df[t] <= cap
    )
    score: defaultdict[int, float] = defaultdict(float)
    spent = 0
    for size, _token, t in lists:
        if spent and spent + size > budget:
            break
        spent += size
        for fact in layout.positions(t):
            score[fact] += layout.wt[t]
    return heapq.nlargest(limit, score, key=score.__getitem__)


def old_score(scorer: Scorer, tokens: frozenset[str], py: frozenset[str], canonical: str) -> list[Candidate]:
    index, s = scorer.index, scorer.settings
    qw = {t: index.weights.of(t) for t in tokens}
    pw = {t: index.weights.of(t) for t in py}
    total, py_total = sum(qw.values()), sum(pw.values())
    signed = (
        {i for w in scorer.signatures.found(canonical) for i in scorer.signature_owner[w]}
        if canonical
        else set()
    )
    out = []
    for i in old_candidates(index, tokens | py, s.candidates, 20_000):
        best = old_channel(qw, total, index.docs[i], index.bags[i], s.match_weight) if qw else 0.0
        if pw:
            best = max(
                best,
                s.pinyin_factor
                * old_channel(pw, py_total, index.py_docs[i], index.py_bags[i], s.match_weight),
            )
        best += s.keyword_bonus if i in signed else 0.0
        out.append(Candidate(scorer.base.facts[i].id, round(min(best, 100.0), 1)))
    return sorted(out, key=lambda c: (-c.score, c.fact_id))


def old_distinctive(scorer: Scorer, tokens: frozenset[str], i: int) -> bool:
    index = scorer.index
    shared = tokens & (frozenset().union(*(d.tokens for d in index.docs[i])) | index.py_bags[i])
    needed = min(scorer.settings.distinctive_idf, 0.6 * __import__("math").log(1 + len(scorer.base.facts)))
    return any(index.weights.of(t) >= needed for t in shared)


def check_index(index: Index, stride: int = 1) -> None:
    """Every ``stride``-th fact's channel scores and distinctiveness, the scorer's list, the candidates."""
    router = Router(index)
    scorer, layout, wt = router.scorer, index.layout, index.layout.wt
    weight = router.settings.match_weight
    for text in asked(index.base):
        _, canonical, tokens, py = router.analyse(text)
        qw = {t: index.weights.of(t) for t in tokens}
        pw = {t: index.weights.of(t) for t in py}
        chars, sounds = Query.of(layout, qw), Query.of(layout, pw)
        for i in range(0, len(index.base.facts), stride):  # candidate or not
            new = channel_score(chars, layout.row(i, DOCS), layout.row(i, BAG), wt, weight)
            assert new == pytest.approx(
                old_channel(qw, chars.total, index.docs[i], index.bags[i], weight), abs=1e-9
            )
            heard = channel_score(sounds, layout.row(i, PY_DOCS), layout.row(i, PY_BAG), wt, weight)
            assert heard == pytest.approx(
                old_channel(pw, sounds.total, index.py_docs[i], index.py_bags[i], weight), abs=1e-9
            )
            for query, score, channels in ((chars, new, (DOCS, BAG)), (sounds, heard, (PY_DOCS, PY_BAG))):
                rows = [layout.row(i, c) for c in channels]
                found = sum(query.weights.get(t, 0.0) for t in rows[1])
                if found:  # the bound holds, and a score that may beat ``beat`` is the same as without it
                    assert score <= upper_bound(found, query.total, weight)
                for beat in (0.0, score / 2, score * 0.999, score, score * 1.001 + 0.01, 100.0):
                    bounded = channel_score(query, *rows, wt, weight, beat)
                    assert bounded == score or (bounded == 0.0 and score <= beat)
            assert scorer.distinctive(tokens or py, index.base.facts[i].id) == old_distinctive(
                scorer, tokens or py, i
            )
        assert scorer.score(tokens, py, canonical) == old_score(scorer, tokens, py, canonical)
        for limit in (0, 1, 10, 40):
            for budget in (20_000, 300, 60):
                assert index.candidates(tokens | py, limit, budget=budget) == old_candidates(
                    index, tokens | py, limit, budget
                )


def test_scores_and_candidates_on_ids_equal_the_old_ones_on_the_real_facts() -> None:
    check_index(Index(BASE, NORMALIZER))


def test_on_many_copies_and_after_a_reload_with_the_walk_pruned(monkeypatch: pytest.MonkeyPatch) -> None:
    pruned = []
    rest = retrieval._rest
    monkeypatch.setattr(retrieval, "_rest", lambda *a: pruned.append(1) or rest(*a))
    base = copies(12)
    first = Index(base, NORMALIZER)
    check_index(first, stride=23)
    facts = list(base.facts)
    facts[3] = replace(facts[3], keywords=(*facts[3].keywords, "机器人实验室"))
    del facts[10]
    facts.append(replace(BASE.facts[0], id="added", keywords=("氢能产业园",)))
    again = Index(FactBase(tuple(facts), base.topics, base.reports, base.vocabulary, "test"), NORMALIZER,
                  reuse=first.reusable())  # fmt: skip
    assert again.layout.remap is not None
    check_index(again, stride=29)
    assert len(pruned) > 50  # the walk was cut short on many questions, and still gave the same


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from([0.5, 1.0, 1.5, 2.25, 3.0, 0.1]), st.sets(st.integers(0, 60), min_size=1)),
             min_size=1, max_size=12),
    st.integers(1, 12), st.booleans(), st.sampled_from([(512, 16), (3, 16), (512, 1), (2, 64)]),
)  # fmt: skip
def test_the_pruned_walk_equals_reading_every_posting(
    lists: list[tuple[float, set[int]]], limit: int, repeat: bool, tuning: tuple[int, int]
) -> None:
    if repeat:  # lists in a row holding the same facts (a word's characters and bigrams)
        lists = [x for pair in zip(lists, lists, strict=True) for x in pair]
    walked, held, expected = every_posting(lists, limit)
    kept = retrieval.SAMPLE, retrieval.CHECKS
    retrieval.SAMPLE, retrieval.CHECKS = tuning  # the bound from fewer facts, checked more or less often
    try:
        assert retrieval.top(walked, held.__getitem__, limit) == expected
    finally:
        retrieval.SAMPLE, retrieval.CHECKS = kept


def test_filler_lookups_in_every_facts_text_are_memoised_per_text() -> None:
    placement = Router(Index(BASE, NORMALIZER)).placement
    text = "想请您简单介绍一下高新技术企业"
    plain = placement.without_filler(text, "高新技术企业")
    assert "介绍" not in plain
    assert placement.without_filler(text, "高新技术企业") == plain  # memoised, the same
    assert "介绍" in placement.without_filler(text, "介绍|高新技术企业")  # another text: asked again, kept
