"""A reload that changes names or the number of facts splices the frame reader's names and the scorer's
parts from the facts that left and came (routing/renames.py, moved.py, keyword_counts.py): the maps of
positions moved equal maps made afresh, and without the snapshot's counts (an older snapshot, a garbled
blob) the reload reads every fact, as before, and equals a full build."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from jinshui_qa.bootstrap import Rebuilder, assistant_for
from jinshui_qa.facts.live import LiveAssistant
from jinshui_qa.facts.loader import CHECKOUT_FACTS, load
from jinshui_qa.routing.keyword_counts import KeywordCounts, contains, inside
from jinshui_qa.routing.moved import MovedOwners, MovedSignatures, Moves
from jinshui_qa.routing.state import Owners
from jinshui_qa.routing.wordlist import WordList
from jinshui_qa.storage.index_store import SNAPSHOT_FILE
from tests.support.live_facts import NEW_FACT
from tests.support.oracles import spliced_names


def _splice(facts: list[set[str]], rng: random.Random, names: list[str]) -> tuple[int, int, list[set[str]]]:
    lo = rng.randrange(len(facts) + 1)
    stop = min(len(facts), lo + rng.randrange(4))
    came = [set(rng.sample(names, rng.randrange(3))) for _ in range(rng.randrange(4))]
    return lo, stop, came


def _owners(facts: list[set[str]]) -> dict[str, frozenset[int]]:
    out: dict[str, set[int]] = {}
    for i, held in enumerate(facts):
        for name in held:
            out.setdefault(name, set()).add(i)
    return {name: frozenset(ps) for name, ps in out.items()}


@pytest.mark.parametrize("packed", [False, True])
def test_owners_and_signatures_moved_by_splices_equal_maps_made_afresh(packed: bool) -> None:
    rng = random.Random(7 + packed)
    names = [f"n{k}" for k in range(12)]
    for _ in range(30):
        facts = [set(rng.sample(names, rng.randrange(4))) for _ in range(rng.randrange(1, 15))]
        full = _owners(facts)
        view = MovedOwners(Owners(*Owners.plain(full)) if packed else full)
        firsts = {name: [min(ps)] for name, ps in full.items()}
        signatures = MovedSignatures(firsts)
        for _ in range(5):  # chained reloads over the same full map
            lo, stop, came = _splice(facts, rng, names)
            owned: dict[str, list[int]] = {}
            for k, held in enumerate(came):
                for name in held:
                    owned.setdefault(name, []).append(lo + k)
            lost: dict[str, int] = {}
            for held in facts[lo:stop]:
                for name in held:
                    lost[name] = lost.get(name, 0) + 1
            facts[lo:stop] = came
            view = view.spliced(lo, stop, owned, lost, len(came))
            fresh = _owners(facts)
            assert dict(view) == fresh and len(view) == len(fresh) and set(view) == set(fresh)
            for name in names:
                assert view.size(name) == len(fresh.get(name, ()))
                assert [view.holds(name, i) for i in range(len(facts))] == [
                    i in fresh.get(name, ()) for i in range(len(facts))
                ]
            changes: dict[str, int | None] = {name: min(ps) for name, ps in fresh.items()}
            changes.update({name: None for name in names if name not in fresh})
            signatures = signatures.spliced(lo, stop, len(came), changes)
            assert dict(signatures) == {name: [min(ps)] for name, ps in fresh.items()}
            assert len(signatures) == len(fresh)


def test_moves_map_positions_forward_and_back() -> None:
    moves = Moves().spliced(2, 4, 1).spliced(0, 1, 3)  # [a b c d e] -> [a b X e] -> [Y Y Y b X e]
    assert [moves.forward(p) for p in range(5)] == [None, 3, None, None, 5]
    assert [moves.back(q) for q in range(6)] == [None, None, None, 1, None, 4]
    assert moves.mapped([0, 1, 2, 4]) == [3, 5]


def test_a_word_list_changed_equals_a_list_of_its_words() -> None:
    rng = random.Random(3)
    pool = [
        "科技",
        "科技型企业",
        "高新技术企业",
        "5g 基站",
        "ai",
        "ai lab",
        "robot laboratory",
        "金水区",
        "x",
    ]
    for _ in range(200):
        words = set(rng.sample(pool, rng.randrange(len(pool))))
        gone, came = set(rng.sample(pool, 3)), set(rng.sample(pool, 2))
        changed = WordList(words).changed(gone, came)
        assert changed.plain() == WordList((words - (gone - came)) | came).plain()
        assert changed.words == WordList((words - (gone - came)) | came).words


def test_the_words_inside_a_keyword_are_those_a_word_list_finds() -> None:
    keywords = {"科技", "科技型企业", "型企", "ai", "ai lab", "lab", "5g", "r&d center", "robot"}
    exact = dict.fromkeys(keywords, 1)
    for text in ["科技型企业", "ai lab 科技", "5g基站", "r&d center", "the ai-lab", "robots"]:
        assert inside(text, exact, {}) == set(WordList(keywords).found(text))
        assert {w for w in keywords if contains(text, w)} == set(WordList(keywords).found(text))


def _same(live: LiveAssistant, facts: Path) -> None:
    router, fresh = live().router, assistant_for(load(facts)).router
    assert dict(router.frames.owners) == dict(fresh.frames.owners)
    assert router.frames.gazetteer.plain() == fresh.frames.gazetteer.plain()
    assert router.scorer.signature_owner == fresh.scorer.signature_owner
    assert router.scorer.signatures.plain() == fresh.scorer.signatures.plain()
    assert router.scorer.subject_words.plain() == fresh.scorer.subject_words.plain()
    assert router.scorer.position == fresh.scorer.position


@pytest.mark.parametrize("stored", [None, b"not marshal", b"\xe9\x00\x00\x00\x00"])
def test_a_snapshot_without_sound_names_counts_is_not_trusted_and_the_next_one_holds_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stored: bytes | None
) -> None:
    facts = Path(shutil.copytree(CHECKOUT_FACTS, tmp_path / "facts"))
    snapshot = tmp_path / "data" / SNAPSHOT_FILE
    with monkeypatch.context() as patched:  # an older tree's snapshot (no blob), or a garbled one
        patched.setattr(KeywordCounts, "plain", lambda self: stored)
        Rebuilder(snapshot=snapshot).start(facts)
    taken = spliced_names(monkeypatch)
    rebuilder = Rebuilder(snapshot=snapshot)
    live = LiveAssistant(facts, rebuilder.start(facts), build=rebuilder, files=rebuilder.files)
    counts = live().router.scorer.counts
    assert counts is not None and not counts.known()
    talent = facts / "talent.yaml"
    text = talent.read_text(encoding="utf-8")
    talent.write_text(text.rstrip("\n") + "\n" + NEW_FACT, encoding="utf-8")
    assert live.reload() == [] and taken == [False]  # every fact read for the names, as before
    _same(live, facts)
    rebuilder.flush()  # the snapshot the reload wrote holds the counts: the next start splices
    again = Rebuilder(snapshot=snapshot)
    live = LiveAssistant(facts, again.start(facts), build=again, files=again.files)
    talent.write_text(text, encoding="utf-8")
    assert live.reload() == [] and taken == [False, True]
    _same(live, facts)


def test_the_first_reload_after_a_full_build_splices_the_names_it_derived(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    facts = Path(shutil.copytree(CHECKOUT_FACTS, tmp_path / "facts"))
    taken = spliced_names(monkeypatch)
    rebuilder = Rebuilder()
    live = LiveAssistant(facts, rebuilder.start(facts), build=rebuilder, files=rebuilder.files)
    talent = facts / "talent.yaml"
    text = talent.read_text(encoding="utf-8")
    for edited in (text.replace("keywords: [", "keywords: [院士新称, ", 1), text + NEW_FACT, text):
        talent.write_text(edited, encoding="utf-8")
        assert live.reload() == []
        _same(live, facts)
    assert taken == [True, True, True]
