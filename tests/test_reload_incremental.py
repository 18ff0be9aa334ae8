"""A reload checks and indexes the edited file, not every fact: the checks across files from tables
(also after a start from the snapshot), the names' forms kept by count, unchanged files not read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import jinshui_qa.facts.validation as validation
from jinshui_qa.bootstrap import Rebuilder, assistant_for
from jinshui_qa.facts.live import LiveAssistant
from jinshui_qa.facts.loader import CHECKOUT_FACTS, TextCache, load, read_all
from jinshui_qa.name_forms import names_of as _names
from jinshui_qa.storage.index_store import SNAPSHOT_FILE
from jinshui_qa.text.normalize import fold
from tests.support.live_facts import NEW_FACT


def _full_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    full = validation._cross_checks

    def counted(facts: list[object], *args: object, **kwargs: object) -> None:
        calls.append(len(facts))
        full(facts, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(validation, "_cross_checks", counted)
    return calls


def _from_a_snapshot(facts: Path, snapshot: Path) -> tuple[Rebuilder, LiveAssistant]:
    """A rebuilder and live facts started from the snapshot of ``facts`` (written first)."""
    Rebuilder(snapshot=snapshot).start(facts)
    rebuilder = Rebuilder(snapshot=snapshot)
    return rebuilder, LiveAssistant(facts, rebuilder.start(facts), build=rebuilder, files=rebuilder.files)


def test_a_start_from_the_snapshot_takes_the_checks_tables_and_a_reload_checks_one_file(
    facts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot = tmp_path / "data" / SNAPSHOT_FILE
    rebuilder, live = _from_a_snapshot(facts, snapshot)
    # the snapshot's keys are held, adopted at the first reload
    assert rebuilder.files.parsed == [] and rebuilder.files.check_keys() and not rebuilder.files.tables.valid
    calls = _full_checks(monkeypatch)
    talent = facts / "talent.yaml"
    talent.write_text(talent.read_text(encoding="utf-8").rstrip("\n") + "\n" + NEW_FACT, encoding="utf-8")
    assert live.reload() == [] and calls == [] and rebuilder.files.parsed == ["talent.yaml"]
    assert live().base == load(facts)
    rebuilder.flush()
    restarted = Rebuilder(snapshot=snapshot)
    restarted.start(facts)
    assert restarted.files.check_keys() == rebuilder.files.tables.keys() != {}
    # a duplicate across files: the tables cannot vouch, the full checks report it as load() does
    market = facts / "market.yaml"
    market.write_text(
        market.read_text(encoding="utf-8").replace("- id: market_entities_q1", "- id: robot_labs")
    )
    calls.clear()
    problems = live.reload()
    assert calls == [len(live().base.facts)]  # every fact checked: the problems as load() reports them
    with pytest.raises(Exception) as raised:
        load(facts)
    assert [str(p) for p in problems] == [str(p) for p in raised.value.problems]  # type: ignore[attr-defined]
    assert any("duplicate fact id 'robot_labs'" in str(p) for p in problems)


def test_the_names_forms_kept_after_a_reload_are_those_of_the_facts_served(facts: Path) -> None:
    rebuilder = Rebuilder()
    live = LiveAssistant(facts, rebuilder.start(facts), build=rebuilder, files=rebuilder.files)
    talent = facts / "talent.yaml"
    text = talent.read_text(encoding="utf-8")
    talent.write_text(text.rstrip("\n") + "\n" + NEW_FACT, encoding="utf-8")
    assert live.reload() == []
    market = facts / "market.yaml"
    market.write_text(
        market.read_text(encoding="utf-8").replace("去年新增市场主体,", "去年新开的市场主体,", 1)
    )
    talent.write_text(text, encoding="utf-8")  # the new fact leaves again
    assert live.reload() == []
    base = live().base
    counts: dict[str, int] = {}
    for fact in base.facts:
        for name in _names(fact):
            counts[name] = counts.get(name, 0) + 1
    assert rebuilder._names == counts
    assert "去年新开的市场主体" in counts and "去年新增市场主体" not in counts
    assert all(key[0] in counts and fold(key[0], simplify=key[1], numerals=key[2]) == form
               for key, form in rebuilder._folded.items())  # fmt: skip
    normalizer = live().router.index.normalizer
    assert all(
        text in counts and normalizer.canonical(text) == form for text, form in rebuilder._canonical.items()
    )
    assert "去年新开的市场主体" in rebuilder._canonical and "robot_labs" not in str(rebuilder._canonical)
    assert assistant_for(load(facts)).base == base


def test_a_file_whose_stat_is_unchanged_is_not_read_again(facts: Path) -> None:
    cache = TextCache()
    first, _ = read_all(facts, cache)
    again, _ = read_all(facts, cache)
    assert all(again[name] is first[name] for name in first)  # the very text objects: not read again
    market = facts / "market.yaml"
    market.write_text(first["market.yaml"].replace("2021", "2020", 1), encoding="utf-8")
    edited, _ = read_all(facts, cache)
    assert edited["market.yaml"] == market.read_text(encoding="utf-8") != first["market.yaml"]
    assert all(edited[name] is first[name] for name in first if name != "market.yaml")
    info = os.stat(market)
    os.utime(market, ns=(info.st_atime_ns, info.st_mtime_ns))  # same mtime, new ctime: read again
    assert read_all(facts, cache)[0]["market.yaml"] is not edited["market.yaml"]
    (facts / "talent.yaml").unlink()
    assert "talent.yaml" not in read_all(facts, cache)[0]


@pytest.mark.parametrize("seed", range(3))
def test_the_state_after_a_reload_looks_only_between_the_shared_ends_and_equals_the_whole_comparison(
    seed: int,
) -> None:
    import random
    from dataclasses import replace

    from jinshui_qa.facts.schema import FactBase
    from jinshui_qa.routing.spliced import after
    from jinshui_qa.routing.state import carried, slots_for

    rng = random.Random(seed)
    old = assistant_for(load(CHECKOUT_FACTS)).router
    facts = list(old.base.facts)
    for _ in range(12):
        edited = list(facts)
        kind, at = rng.choice(["edit", "equal", "add", "remove", "move", "none"]), rng.randrange(len(facts))
        if kind == "edit":
            edited[at] = replace(edited[at], keywords=(*edited[at].keywords, "新词"))
        elif kind == "equal":  # read again from an edited file, unchanged: an equal object
            edited[at] = replace(edited[at])
        elif kind == "add":
            edited.insert(at, replace(edited[at], id="brand_new_fact"))
        elif kind == "remove":
            del edited[at]
        elif kind == "move":
            edited.insert(rng.randrange(len(edited)), edited.pop(at))
        base = FactBase(tuple(edited), old.base.topics, old.base.reports, old.base.vocabulary)
        state = after(old, base)
        by_name = {f.id: (f, s) for f, s in zip(old.base.facts, old.slots, strict=True)}
        assert list(state.slots) == slots_for(base, carried(old), by_name), kind
        unchanged = kind in ("equal", "none")
        assert (state.previous is old) == unchanged, kind
        # the English words: the old ones, or counted by the facts that left and came (routing/word_counts.py)
        fresh = assistant_for(base).router
        assert state.english == fresh.placement.english_words, kind
        assert state.index_english == fresh.index.english_words, kind
        old = fresh if rng.random() < 0.5 else old  # the next edit over a router counted from scratch, or not
        facts = list(old.base.facts)


def test_after_a_start_from_the_snapshot_a_reload_reads_and_hashes_only_the_edited_file(
    facts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jinshui_qa.facts.fast_load as fast_load
    import jinshui_qa.facts.loader as loader

    snapshot = tmp_path / "data" / SNAPSHOT_FILE
    _, live = _from_a_snapshot(facts, snapshot)
    hashed: list[str] = []
    opened: list[str] = []
    digest, open_file = fast_load.file_digest, os.open
    monkeypatch.setattr(
        fast_load, "file_digest", lambda name, text: hashed.append(name) or digest(name, text)
    )
    monkeypatch.setattr(
        loader.os, "open", lambda path, *a: opened.append(Path(path).name) or open_file(path, *a)
    )
    talent = facts / "talent.yaml"
    talent.write_text(talent.read_text(encoding="utf-8").rstrip("\n") + "\n" + NEW_FACT, encoding="utf-8")
    assert live.reload() == [] and live().base == load(facts)
    assert opened[: opened.index("talent.yaml") + 1] == ["talent.yaml"] and "market.yaml" not in hashed
    assert [n for n in hashed if n not in ("sources.yaml", "vocabulary.yaml")] == ["talent.yaml"]
