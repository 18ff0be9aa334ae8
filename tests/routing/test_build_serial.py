"""Work a full build moved off its serial path (issue 14) gives what it gave there, fact by fact.

- The frame reader's subject names (owners and word list, over every fact) are made by this process while
  the pool's other process derives slots (``FrameReader(later=True)`` then :meth:`name_owners`): the
  slots read only the reader's lexicons, and the names are those an eager reader makes.
- A first build (the facts' cache empty; an assistant with no previous one) runs with the cyclic collector
  paused, and freezes what it made before the collector runs again; the collector is on afterwards.
- The attribute words of a fact's phrasings are found by one pattern per kind (a trie of its words):
  ``search`` is ``any(word in text)``, words that are prefixes of others and special characters included.
"""

from __future__ import annotations

import gc
import random
from typing import Any

import pytest

from jinshui_qa import forking
from jinshui_qa.bootstrap import assistant_for
from jinshui_qa.facts.fast_load import FileCache
from jinshui_qa.routing import pool
from jinshui_qa.routing.frames import FrameReader
from jinshui_qa.routing.slots import fact_slots, trie_pattern
from jinshui_qa.text.normalize import Normalizer, building
from tests.routing.test_build_paths import BASE


def _normalizer() -> Normalizer:
    return Normalizer(BASE.vocabulary)


def test_a_reader_made_later_names_the_owners_an_eager_one_does() -> None:
    eager = FrameReader(BASE, _normalizer())
    later = FrameReader(BASE, _normalizer(), later=True)
    assert not hasattr(later, "owners") and not hasattr(later, "gazetteer")
    later.name_owners(BASE)
    assert later.owners == eager.owners and later.gazetteer.plain() == eager.gazetteer.plain()
    for fact in BASE.facts[:30]:
        for question in fact.questions_zh[:2]:
            canonical = eager.normalizer.canonical(question)
            assert later.read(canonical) == eager.read(canonical)


def test_slots_need_no_names_of_the_reader() -> None:
    """What a forked worker derives before this process has the names: the same slots, fact by fact."""
    normalizer = _normalizer()
    eager, later = FrameReader(BASE, normalizer), FrameReader(BASE, normalizer, later=True)
    for fact in BASE.facts:
        assert fact_slots(fact, normalizer, later) == fact_slots(fact, normalizer, eager)


def test_a_pooled_router_has_the_names_of_one_process_and_its_worker_sends_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pool, "MIN_FACTS", 1)
    sent: list[Any] = []
    real = forking.fan_out

    def spied(here: Any, away: Any) -> Any:
        mine, theirs = real(here, away)
        sent.extend(theirs)
        return mine, theirs

    monkeypatch.setattr(forking, "fan_out", spied)
    with building():
        pooled = assistant_for(BASE, workers=2)
    assert sent and all(result is not None for result in sent)  # no worker failed (its chunk done here)
    with building():
        alone = assistant_for(BASE, workers=1)
    assert pooled.router.frames.owners == alone.router.frames.owners
    assert pooled.router.frames.gazetteer.plain() == alone.router.frames.gazetteer.plain()
    assert list(pooled.router.slots) == list(alone.router.slots)
    assert pooled.router.placement.english_words == alone.router.placement.english_words


def test_a_trie_pattern_finds_a_word_in_a_text_as_in_does() -> None:
    rng = random.Random(7)
    assert trie_pattern(set()) is None
    for _ in range(400):
        alphabet = rng.choice(["ab", "abc", "多少钱个", "a .|(*"])
        words = {"".join(rng.choices(alphabet, k=rng.randint(1, 5))) for _ in range(rng.randint(1, 8))}
        pattern = trie_pattern(words)
        assert pattern is not None
        for _ in range(20):
            text = "".join(rng.choices(alphabet + "xy", k=rng.randint(0, 12)))
            assert (pattern.search(text) is not None) == any(w in text for w in words), (words, text)
    for words, text in (
        ({"多少", "多少钱"}, "有多少"),
        ({"ab", "abcd"}, "xabcx"),
        ({" how much "}, " how much | "),
    ):
        assert trie_pattern(words).search(text)  # type: ignore[union-attr]


def test_a_first_build_pauses_the_collector_and_leaves_it_on() -> None:
    from jinshui_qa.facts.loader import facts_dir

    passes: list[int] = []

    def counted(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            passes.append(info["generation"])

    gc.unfreeze()
    assert gc.isenabled()
    gc.callbacks.append(counted)
    try:
        cache = FileCache()
        base = cache.load(facts_dir())  # thousands of objects: the collector would have run
        assert passes == [] and gc.isenabled() and gc.get_freeze_count() > 0
        gc.unfreeze()
        with building():
            assistant_for(base, workers=1)
        assert passes == [] and gc.isenabled() and gc.get_freeze_count() > 0
        gc.unfreeze()
        cache.load(facts_dir())  # a reload (files cached): as before, not paused, nothing frozen
        assert gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.callbacks.remove(counted)
        gc.unfreeze()
