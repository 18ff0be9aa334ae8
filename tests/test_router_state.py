"""The router's per-fact state in the snapshot (routing/state.py, rebuilder.py): a start from the
snapshot derives nothing per fact and replies as a fresh build; a reload derives only the edited file's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from jinshui_qa.bootstrap import Rebuilder, assistant_for
from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.facts.live import LiveAssistant
from jinshui_qa.facts.loader import load
from jinshui_qa.facts.records import Records
from jinshui_qa.routing import router as router_module
from jinshui_qa.routing.placement import pairs
from jinshui_qa.routing.scoring import Scorer
from jinshui_qa.routing.spliced import both_held, holds_both
from jinshui_qa.routing.state import COUNTS, MONEY, PackedSlots, amounts
from jinshui_qa.routing.wordlist import WordList
from jinshui_qa.text.normalize import fold
from tests.support.live_facts import NEW_FACT
from tests.support.oracles import same_as_a_full_build, spliced_names

DEV = Path(__file__).parent / "eval" / "dev.yaml"


def _replies(assistant: Assistant) -> list[tuple[str, str, str | None, str]]:
    questions = [entry["q"] for entry in yaml.safe_load(DEV.read_text(encoding="utf-8"))["questions"]]
    assert len(questions) > 100
    out = []
    for text in questions:
        r = assistant.router.route(text)
        out.append((text, r.status, r.fact_id, f"{r.score} {r.reason} {assistant.reply(text).text}"))
    return out


def test_a_router_from_the_snapshot_derives_no_per_fact_state_and_replies_as_a_fresh_one(
    facts: Path, snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = assistant_for(load(facts))
    Rebuilder(snapshot=snapshot).start(facts)

    def derived(*args: object) -> object:
        raise AssertionError("derived from the facts although the snapshot holds it")

    monkeypatch.setattr(router_module, "fact_slots", derived)
    monkeypatch.setattr(Scorer, "_signature_keywords", derived)
    restored = Rebuilder(snapshot=snapshot).start(facts)
    assert restored.router.slots == fresh.router.slots
    assert restored.router.placement.english_words == fresh.router.placement.english_words
    assert restored.router.scorer.signature_owner == fresh.router.scorer.signature_owner
    assert _replies(restored) == _replies(fresh)


def test_a_reload_derives_slots_for_the_edited_file_only(
    facts: Path, snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rebuilder = Rebuilder(snapshot=snapshot)
    live = LiveAssistant(facts, rebuilder.start(facts), build=rebuilder, files=rebuilder.files)
    derived: list[str] = []
    real = router_module.fact_slots
    monkeypatch.setattr(
        router_module, "fact_slots", lambda fact, *a: derived.append(fact.id) or real(fact, *a)
    )
    talent = facts / "talent.yaml"
    talent.write_text(talent.read_text(encoding="utf-8").rstrip("\n") + "\n" + NEW_FACT, encoding="utf-8")
    assert live.reload() == []
    edited = {f.id for f in live().base.facts if f.file == "talent.yaml"}
    assert derived and set(derived) <= edited and "robot_labs" in derived
    monkeypatch.setattr(router_module, "fact_slots", real)
    assert _replies(live()) == _replies(assistant_for(load(facts)))
    rebuilder.flush()  # the reload writes the snapshot in the background
    restarted = Rebuilder(snapshot=snapshot).start(facts)  # the reload's snapshot holds the new state
    assert restarted.router.slots == live().router.slots


def test_a_start_from_a_fresh_snapshot_parses_no_yaml_but_an_edit_is_still_seen(
    facts: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    code = (
        "import sys\nfrom jinshui_qa.bootstrap import bootstrap\n"
        f"a = bootstrap({str(facts)!r}, data={str(data)!r})\n"
        "print('yaml' in sys.modules, len(a.base.facts))"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}

    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        return done.stdout.strip()

    count = len(load(facts).facts)
    assert run() == f"True {count}"  # the first start builds from the YAML
    assert run() == f"False {count}"  # the next takes the validated base from the snapshot
    talent = facts / "talent.yaml"
    talent.write_text(talent.read_text(encoding="utf-8").rstrip("\n") + "\n" + NEW_FACT, encoding="utf-8")
    assert run() == f"True {count + 1}"  # an edited file is read (and validated) again


def _built(words: WordList) -> tuple[object, ...]:
    return (words.words, words._cjk_form, words._cjk, words._latin, words._cjk_lengths, words._latin_words)


def test_a_start_from_the_snapshot_makes_no_fact_and_its_stored_parts_equal_the_built_ones(
    facts: Path, snapshot: Path
) -> None:
    fresh = assistant_for(load(facts)).router
    Rebuilder(snapshot=snapshot).start(facts)
    router = Rebuilder(snapshot=snapshot).start(facts).router
    stored, slots = router.base.facts, router.slots
    assert isinstance(stored, Records) and isinstance(slots, Records)
    assert stored.made() == 0 and slots.made() == 0  # nothing per fact made by the start
    assert dict(router.frames.owners) == fresh.frames.owners
    assert _built(router.frames.gazetteer) == _built(fresh.frames.gazetteer)
    scorer, built = router.scorer, fresh.scorer
    assert scorer.position == built.position and scorer.signature_owner == built.signature_owner
    assert _built(scorer.signatures) == _built(built.signatures)
    assert _built(scorer.subject_words) == _built(built.subject_words)
    assert router.placement.english_words == fresh.placement.english_words
    assert router._known_text() == fresh._known_text() and slots.made() == 0  # stored joined, none made
    assert fresh._pairs is None and router._pairs == pairs(fresh._known_text())  # stored, as made
    assert isinstance(slots, PackedSlots) and bytes(slots.amounts) == amounts(fresh.slots)  # stored, as made
    for owners in fresh.frames.owners.values():  # every subject name's owners: read as the slots say
        assert slots.hold_both(owners) == both_held(fresh.slots[i].attributes for i in owners)
    assert slots.made() == 0
    assert router.checks.held_attributes() == fresh.checks.held_attributes()
    for i, fact in enumerate(fresh.base.facts):  # fact by fact, each made from its record
        assert (
            stored[i] == fact and slots[i] == fresh.slots[i] and stored.ids[i] == fact.id
        )  # scoring names by ids
        assert router.base.get(fact.id) is stored[i]
    assert router.base == fresh.base and router.base.get("no such fact") is None


def test_amounts_say_which_slots_hold_a_count_and_an_amount() -> None:
    slots = assistant_for(load()).router.slots
    flags = amounts(slots)
    assert len(flags) == len(slots) and {COUNTS, MONEY} <= set(flags)
    for flag, held in zip(flags, slots, strict=True):
        assert bool(flag & COUNTS) == ("count" in held.attributes) and bool(flag & MONEY) == (
            "money" in held.attributes
        )


class _GrowsWhileRead(dict[tuple[str, bool, bool], str]):
    """A memo another thread folds into while it is read: a key is added after the first item."""

    def items(self):  # type: ignore[override]
        for i, item in enumerate(super().items()):
            yield item
            if i == 0:
                self[("another question", True, True)] = "another question"


def test_keeping_the_names_forms_reads_a_copy_of_a_memo_other_threads_fold_into(facts: Path) -> None:
    rebuilder = Rebuilder()
    rebuilder.start(facts)
    name = rebuilder.last.base.facts[0].keywords[0] if rebuilder.last else ""
    memo = _GrowsWhileRead({(name, True, True): "folded", ("not a name", True, True): "x"})
    rebuilder._keep(memo)
    assert rebuilder._folded == {(name, True, True): "folded"}


def test_the_first_reload_after_a_start_from_the_snapshot_makes_only_the_edited_files_facts_and_slots(
    facts: Path, snapshot: Path
) -> None:
    from jinshui_qa.facts.runs import Chain
    from jinshui_qa.name_forms import composed, names_of

    Rebuilder(snapshot=snapshot).start(facts)
    rebuilder = Rebuilder(snapshot=snapshot)
    started = rebuilder.start(facts)
    rebuilder.snapshot = None  # no snapshot written in the background (it reads every fact)
    stored, packed = started.base.facts, started.router.slots
    assert isinstance(stored, Records) and isinstance(packed, Records)
    live = LiveAssistant(facts, started, build=rebuilder, files=rebuilder.files)
    talent = facts / "talent.yaml"
    text = talent.read_text(encoding="utf-8")
    talent.write_text(text.replace("verified: 2026-11-30", "verified: 2026-11-02", 1), encoding="utf-8")
    assert live.reload() == []
    edited = sum(f.file == "talent.yaml" for f in load(facts).facts)
    router = live().router
    assert isinstance(router.base.facts, Chain) and isinstance(router.slots, Chain)
    assert stored.made() == edited and packed.made() == edited  # the edited file's, to compare them
    assert router.index.layout is not started.router.index.layout  # the edited fact indexed again
    fresh = assistant_for(load(facts))
    assert router.base == fresh.base and router.base.phrasing_count == fresh.base.phrasing_count
    assert router.checks.held_attributes() == fresh.router.checks.held_attributes()
    assert router._known_text() == fresh.router._known_text() and packed.made() == edited
    for owners in fresh.router.frames.owners.values():  # every name's owners: the packed runs' stored bytes
        assert holds_both(router.slots, owners) == both_held(fresh.router.slots[i].attributes for i in owners)
    assert packed.made() == edited
    assert (
        router.slots == fresh.router.slots and router.index.english_words == fresh.router.index.english_words
    )
    assert _replies(live()) == _replies(fresh)
    assert rebuilder._forms is not None  # the names' forms not read: no name is read again
    # a fact that comes and goes: its names are counted, its forms kept and dropped; the frame reader's and
    # scorer's names are spliced from the facts that left and came, so the snapshot's forms stay unread
    talent.write_text(text.rstrip("\n") + "\n" + NEW_FACT, encoding="utf-8")
    assert live.reload() == [] and _replies(live()) == _replies(assistant_for(load(facts)))
    talent.write_text(text, encoding="utf-8")
    assert live.reload() == [] and live().base == load(facts)
    counts: dict[str, int] = {}
    for fact in live().base.facts:
        for name in names_of(fact):
            counts[name] = counts.get(name, 0) + 1
    assert rebuilder._names == counts and rebuilder._forms is not None
    folded, canonical = composed(
        rebuilder._forms, rebuilder._folded, rebuilder._canonical, rebuilder._dropped
    )
    assert set(canonical) <= set(counts) and {key[0] for key in folded} <= set(counts)
    assert all(fold(key[0], simplify=key[1], numerals=key[2]) == form for key, form in folded.items())
    assert "机器人实验室" not in canonical and set(counts) <= set(canonical) | {k[0] for k in folded}


def test_reloads_of_different_files_after_a_start_from_the_snapshot_equal_full_builds(
    facts: Path, snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edits of one or two files at a time (dates, an answer, keywords and subjects renamed, a fact added,
    a file emptied of one fact, a file added and deleted), then a fact moved between files, each reload
    spliced over the last: the same base, slots, index words, names, scorer parts and replies as a full
    build; every reload that changed names updated them from the facts that left and came."""
    import random
    import re

    taken = spliced_names(monkeypatch)
    Rebuilder(snapshot=snapshot).start(facts)
    rebuilder = Rebuilder(snapshot=snapshot)
    live = LiveAssistant(facts, rebuilder.start(facts), build=rebuilder, files=rebuilder.files)
    rebuilder.snapshot = None
    names = ["business_services.yaml", "innovation.yaml", "market.yaml", "rankings.yaml", "talent.yaml"]
    original = {n: (facts / n).read_text(encoding="utf-8") for n in names}
    related = set(re.findall(r"[\w]+", " ".join(re.findall(r"related: \[([^]]*)\]", "".join(
        p.read_text(encoding="utf-8") for p in facts.glob("*.yaml"))))))  # fmt: skip
    added = facts / "robots.yaml"
    rng, seen = random.Random(5), set()
    for step in range(10):
        for name in rng.sample(names, rng.choice((1, 2))):
            text = original[name]
            kind = rng.choice(
                ["date", "answer", "english", "alias", "subject", "remove", "add", "file", "restore"]
            )
            seen.add(kind)
            if kind == "date":
                text = re.sub(r"verified: 2026-\d\d-\d\d", f"verified: 2026-10-{step + 10}", text, count=1)
            elif kind == "answer":
                text = text.replace("。", "，据报道。", 1)
            elif kind == "english":  # an English answer reworded (new words, a word dropped)
                text = re.sub(r"(answer:\n +zh: [^\n]*\n +en: )\S+ ", rf"\1Reworded{step} ", text, count=1)
            elif kind == "alias":  # a keyword added, changed or removed
                text = re.sub(r"keywords: \[([^],]*), ", rng.choice([r"keywords: [新别名, \1, ",
                              r"keywords: [\1改, ", r"keywords: ["]), text, count=1)  # fmt: skip
            elif kind == "subject":  # a subject renamed: its own, or one another fact has
                text = re.sub(r"subject: \{zh: ([^,]*),", rng.choice([r"subject: {zh: \1改,", r"subject: {zh: 领军人才,"]),
                              text, count=1)  # fmt: skip
            elif kind == "remove":  # a fact no other fact relates to
                blocks = re.split(r"(?=\n  - id: )", text)
                ids = [re.findall(r"id: (\S+)", b)[0] for b in blocks[1:]]
                alone = [k for k, i in enumerate(ids, 1) if i not in related]
                if alone:  # (every fact of market.yaml is related to)
                    del blocks[rng.choice(alone)]
                text = "".join(blocks)
            elif kind == "add" and name == "talent.yaml":
                text = text.rstrip("\n") + "\n" + NEW_FACT
            elif kind == "file":  # a new file, or a file deleted (and put back at a later step)
                if added.exists():
                    added.unlink()
                else:
                    header = "topic:\n  id: robots\n  title: {zh: 机器人, en: Robots}\nfacts:\n"
                    added.write_text(header + NEW_FACT.lstrip("\n"), encoding="utf-8")
            (facts / name).write_text(text, encoding="utf-8")
        assert live.reload() == []
        same_as_a_full_build(live().router, facts)
    assert {"alias", "subject", "remove", "add", "file"} <= seen
    assert _replies(live()) == _replies(assistant_for(load(facts)))
    for name in names:  # a fact moved to another file, and back
        (facts / name).write_text(original[name], encoding="utf-8")
    if added.exists():
        added.unlink()
    assert live.reload() == []
    source, target = facts / "innovation.yaml", facts / "talent.yaml"
    before = {p: p.read_text(encoding="utf-8") for p in (source, target)}
    blocks = re.split(r"(?=\n  - id: )", before[source])
    block = blocks[2]  # (a fact related to stays where it is named: ids are global)
    source.write_text(before[source].replace(block, "", 1), encoding="utf-8")
    target.write_text(before[target].rstrip("\n") + block + "\n", encoding="utf-8")
    assert live.reload() == []
    same_as_a_full_build(live().router, facts)
    for path, text in before.items():
        path.write_text(text, encoding="utf-8")
    assert live.reload() == []
    same_as_a_full_build(live().router, facts)
    assert _replies(live()) == _replies(assistant_for(load(facts)))
    assert len(taken) >= 8 and all(taken)


def test_an_english_answer_reworded_after_a_start_counts_the_english_words_from_the_snapshot(
    facts: Path, snapshot: Path
) -> None:
    """The English words' counts (routing/word_counts.py) come from the snapshot's ``words`` blob: the
    first reload makes only the edited file's facts, and its English words are a full build's."""
    import re

    Rebuilder(snapshot=snapshot).start(facts)
    rebuilder = Rebuilder(snapshot=snapshot)
    started = rebuilder.start(facts)
    rebuilder.snapshot = None
    stored = started.base.facts
    assert isinstance(stored, Records)
    live = LiveAssistant(facts, started, build=rebuilder, files=rebuilder.files)
    talent = facts / "talent.yaml"
    text = talent.read_text(encoding="utf-8")
    reworded = re.sub(r"(answer:\n +zh: [^\n]*\n +en: )As reported", r"\1Newly reported", text, count=1)
    assert reworded != text
    talent.write_text(reworded, encoding="utf-8")
    assert live.reload() == []
    router, fresh = live().router, assistant_for(load(facts)).router
    assert stored.made() == sum(f.file == "talent.yaml" for f in load(facts).facts)
    assert router.index.english_words == fresh.index.english_words and "newly" in router.index.english_words
    assert router.placement.english_words == fresh.placement.english_words
    assert router.words.index == fresh.words.index and router.words.placement == fresh.words.placement
    assert _replies(live()) == _replies(assistant_for(load(facts)))
