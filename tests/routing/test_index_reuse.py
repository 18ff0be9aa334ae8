"""An index built reusing another's per-fact parts equals one built from scratch."""

from __future__ import annotations

from dataclasses import replace

from jinshui_qa.facts.loader import load
from jinshui_qa.facts.schema import FactBase
from jinshui_qa.routing.index import Index
from jinshui_qa.text.normalize import Normalizer


def _state(index: Index) -> tuple[object, ...]:
    n = len(index.base.facts)
    docs = [[(d.fact, frozenset(d.tokens), round(d.weight, 9)) for d in (*index.docs[i], *index.py_docs[i])]
            for i in range(n)]  # fmt: skip
    bags = [index.bags[i] for i in range(n)], [index.py_bags[i] for i in range(n)]
    tokens = frozenset().union(*bags[0], *bags[1])
    weights = {t: (index.postings(t), round(index.weights.of(t), 9)) for t in tokens}
    return bags, docs, weights


def test_reuse_gives_the_same_index_and_only_for_the_same_fact_objects() -> None:
    base = load()
    normalizer = Normalizer(base.vocabulary)
    first = Index(base, normalizer)
    edited = replace(base.facts[0], keywords=(*base.facts[0].keywords, "机器人"))
    changed = FactBase((edited, *base.facts[1:]), base.topics, base.reports, base.vocabulary, "edited")
    reused = Index(changed, normalizer, reuse=first.reusable())
    assert _state(reused) == _state(Index(changed, normalizer))
    assert "机" in reused.bags[0] and "机" not in first.bags[0]  # the edited fact was tokenised again
    assert _state(Index(base, normalizer, reuse=first.reusable())) == _state(first)
