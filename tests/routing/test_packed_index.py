"""The packed index (routing/packed, routing/segments): stored and loaded as bytes, and a reload's delta
segment over the shared base, each equal to an index built from scratch."""

from __future__ import annotations

import marshal
from dataclasses import replace

import pytest

from jinshui_qa.facts.loader import load
from jinshui_qa.facts.schema import Bilingual, Fact, FactBase
from jinshui_qa.routing import index as index_module
from jinshui_qa.routing.index import Index, Reuse
from jinshui_qa.routing.router import Router
from jinshui_qa.routing.segments import Layout
from jinshui_qa.text.normalize import Normalizer

BASE = load()
NORMALIZER = Normalizer(BASE.vocabulary)
OTHER = ["金水区的人口有多少", "二七区有多少家高新技术企业", "How many high-tech firms?", "gaoxin qiye you duoshao",
         "金水區2021年的GDP是多少", "分园3的总投资是多少", "东区分园12有多少家企业"]  # fmt: skip


def synthetic(copies: int) -> FactBase:
    """The real facts, ``copies`` times over, each copy about a sub-park of its own (分园k)."""
    facts = [
        replace(f, id=f"{f.id}_{k}", questions_zh=tuple(f"分园{k}{q}" for q in f.questions_zh),
                keywords=(*f.keywords, f"分园{k}"), subject=Bilingual(f"分园{k}", f"sub-park {k}"), related=())
        for k in range(copies) for f in BASE.facts
    ]  # fmt: skip
    return with_facts(BASE, facts)


def with_facts(base: FactBase, facts: list[Fact]) -> FactBase:
    return FactBase(tuple(facts), base.topics, base.reports, base.vocabulary, "test")


def questions(base: FactBase) -> list[str]:
    return [q for f in base.facts[::3] for q in (f.questions_zh[-1], f.questions_en[0])] + OTHER


def state(index: Index) -> tuple[object, ...]:
    """Everything scoring reads, per fact and per token, and the candidates of every question."""
    n = len(index.base.facts)
    docs = [[(d.fact, frozenset(d.tokens), round(d.weight, 9)) for d in (*index.docs[i], *index.py_docs[i])]
            for i in range(n)]  # fmt: skip
    bags = [index.bags[i] | index.py_bags[i] for i in range(n)]
    tokens = frozenset().union(*bags, {"人口", "py:ren", "gdp"})
    weights = {t: (index.postings(t), round(index.weights.of(t), 9)) for t in tokens}
    router = Router(index)
    asked = [router.analyse(q) for q in questions(index.base)]
    return bags, docs, weights, [index.candidates(tokens | py) for _, _, tokens, py in asked]


def test_a_stored_layout_loads_into_the_same_index_without_tokenising(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fresh = Index(BASE, NORMALIZER)
    blobs: list[bytes] = []
    plain = marshal.loads(marshal.dumps(fresh.layout.dump(blobs)))
    stored = Layout.load(plain, [memoryview(b) for b in blobs])
    positions = {id(f): (f, i) for i, f in enumerate(BASE.facts)}
    monkeypatch.setattr(index_module, "layout_for", None)  # nothing may be tokenised or packed again
    loaded = Index(BASE, NORMALIZER, reuse=Reuse(stored, positions, fresh.english_words))
    assert loaded.layout is stored
    assert state(loaded) == state(fresh)


@pytest.mark.parametrize("copies", [1, 8])
def test_a_reload_indexes_only_the_changed_facts_as_a_delta_equal_to_a_full_build(copies: int) -> None:
    base = synthetic(copies)
    first = Index(base, NORMALIZER)
    facts = list(base.facts)
    facts[3] = replace(
        facts[3], keywords=(*facts[3].keywords, "机器人实验室")
    )  # edited: a tombstone and a row
    del facts[10]  # removed: a tombstone
    facts.append(replace(BASE.facts[0], id="added", keywords=("氢能产业园",)))  # added
    edited = with_facts(base, facts)
    again = Index(edited, NORMALIZER, reuse=first.reusable())
    assert again.layout.base is first.layout.base and len(again.layout.delta) == 2  # the base is shared
    assert state(again) == state(Index(edited, NORMALIZER))
    assert "机" in again.bags[3] and "机" not in first.bags[3] and len(first.base.facts) == len(base.facts)
    facts[5] = replace(
        facts[5], title=Bilingual("新的标题", "A new title")
    )  # a second reload: delta over delta
    del facts[-1]
    twice = with_facts(base, facts)
    thrice = Index(twice, NORMALIZER, reuse=again.reusable())
    assert thrice.layout.base is first.layout.base and len(thrice.layout.delta) == 2
    assert state(thrice) == state(Index(twice, NORMALIZER))


def test_a_large_delta_is_merged_into_a_new_base(monkeypatch: pytest.MonkeyPatch) -> None:
    base = synthetic(2)
    first = Index(base, NORMALIZER)
    facts = [replace(f, keywords=(*f.keywords, "新词")) if i % 2 else f for i, f in enumerate(base.facts)]
    edited = with_facts(base, facts[::-1])  # half edited, all moved
    merged = Index(edited, NORMALIZER, reuse=first.reusable())
    assert merged.layout.base is not first.layout.base and merged.layout.remap is None
    assert state(merged) == state(Index(edited, NORMALIZER))


@pytest.mark.parametrize("field", ["origin", "df", "remap", "base"])
@pytest.mark.parametrize("cut", [4, 3])
def test_stored_arrays_that_do_not_match_are_refused(field: str, cut: int) -> None:
    first = Index(synthetic(1), NORMALIZER)
    facts = list(first.base.facts)
    facts[0] = replace(facts[0], keywords=("改过",))
    blobs: list[bytes] = []
    plain = Index(with_facts(first.base, facts), NORMALIZER, reuse=first.reusable()).layout.dump(blobs)
    assert Layout.load(plain, [memoryview(b) for b in blobs]).remap is not None  # well-formed as written
    at = plain[field][1] if field == "base" else plain[field]  # the base: one channel's offsets
    blobs[at] = blobs[at][:-cut]  # one item fewer, or a partial one
    with pytest.raises(ValueError):
        Layout.load(plain, [memoryview(b) for b in blobs])
