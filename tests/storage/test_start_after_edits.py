"""A start after fact files changed since the snapshot was written (edited while the bot was down): the
snapshot's assistant, over the files it was written from, is the previous one of a reload to the files
now (rebuilder.py's ``_changed``, storage/snapshot_start.py). Only the changed files are parsed, only their
facts' slots derived, the names spliced from the facts that left and came; the router equals a full build
of the edited files fact by fact; the snapshot written after it is the next start's, unchanged; a damaged
snapshot is still rebuilt, never trusted."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

from jinshui_qa.bootstrap import Rebuilder, assistant_for
from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.errors import FactsInvalid
from jinshui_qa.facts.loader import load
from jinshui_qa.routing import router as router_module
from jinshui_qa.routing.scoring import Scorer
from tests.support.live_facts import NEW_FACT
from tests.support.oracles import same_as_a_full_build, spliced_names

NAMES = ["business_services.yaml", "innovation.yaml", "market.yaml", "rankings.yaml", "talent.yaml"]
HEADER = "topic:\n  id: robots\n  title: {zh: 机器人, en: Robots}\nfacts:\n"


def _decisions(assistant: Assistant) -> list[tuple[str, str | None, float, str]]:
    questions = [f.questions_zh[-1] for f in assistant.base.facts] + [
        f.questions_en[0] for f in assistant.base.facts
    ]
    return [(r.status, r.fact_id, r.score, r.reason) for r in map(assistant.router.route, questions)]


def _edit(facts: Path, kind: str, rng: random.Random, step: int) -> set[str]:
    """One edit of ``kind`` to a file of ``facts``; the files it changed (added or removed included)."""
    name = rng.choice(NAMES)
    path = facts / name
    text = path.read_text(encoding="utf-8")
    if kind == "date":  # a figure's fact re-dated: no name changes
        text = re.sub(r"verified: 2026-\d\d-\d\d", f"verified: 2026-10-{step + 10}", text, count=1)
    elif kind == "figure":  # a count changed, in its figure and both answers
        path = facts / "enterprises.yaml"
        text = path.read_text(encoding="utf-8")
        value = int(re.findall(r"value: (\d+), unit: 家, counts: 科技型企业", text)[0])
        text = text.replace(f"{value}家", f"{value + 1}家").replace(
            f"value: {value},", f"value: {value + 1},"
        )
        text = text.replace(f"{value:,} tech", f"{value + 1:,} tech")
    elif kind == "answer":
        text = text.replace("。", "，据报道。", 1)
    elif kind == "alias":  # a keyword added, changed or removed
        text = re.sub(r"keywords: \[([^],]*), ", rng.choice([r"keywords: [新别名, \1, ", r"keywords: [\1改, ",
                      r"keywords: ["]), text, count=1)  # fmt: skip
    elif kind == "subject":
        text = re.sub(r"subject: \{zh: ([^,]*),", r"subject: {zh: \1改,", text, count=1)
    elif kind == "add":  # a fact added (or taken out again when there)
        path = facts / "talent.yaml"
        text = path.read_text(encoding="utf-8")
        text = (
            text.replace(NEW_FACT.rstrip("\n"), "")
            if "robot_labs" in text
            else text.rstrip("\n") + "\n" + NEW_FACT
        )
    elif kind == "remove":  # a fact no other fact relates to
        path = facts / "talent.yaml"
        blocks = re.split(r"(?=\n  - id: )", path.read_text(encoding="utf-8"))
        related = " ".join(re.findall(r"related: \[([^]]*)\]", "".join(p.read_text(encoding="utf-8") for p in facts.glob("*.yaml"))))  # fmt: skip
        alone = [k for k, b in enumerate(blocks[1:], 1) if re.findall(r"id: (\S+)", b)[0] not in related]
        del blocks[rng.choice(alone[:-1] or alone)]
        text = "".join(blocks)
    elif kind == "file":  # a file added, or deleted
        path = facts / "robots.yaml"
        if path.exists():
            path.unlink()
            return {path.name}
        text = HEADER + NEW_FACT.replace("robot_labs", "robot_labs_2").replace(
            "机器人实验室", "机器人工坊"
        ).lstrip("\n")
        text = text.replace("robot laborator", "robot workshop")
    path.write_text(text, encoding="utf-8")
    return {path.name}


def _spied(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[Any], list[int]]:
    """(the facts whose slots were derived, the previous assistant of each build a start made as a reload,
    how many times the scorer read every fact's keywords for its signatures)."""
    derived: list[str] = []
    previous: list[Any] = []
    signatures: list[int] = []
    real_slots, real_call, real_signatures = (
        router_module.fact_slots,
        Rebuilder.__call__,
        Scorer._signature_keywords,
    )
    monkeypatch.setattr(
        router_module, "fact_slots", lambda fact, *a: derived.append(fact.id) or real_slots(fact, *a)
    )

    def call(self: Rebuilder, base: Any) -> Assistant:
        previous.append(self.last)
        return real_call(self, base)

    def every(self: Scorer, *a: Any) -> Any:
        signatures.append(len(self.base.facts))
        return real_signatures(self, *a)

    monkeypatch.setattr(Rebuilder, "__call__", call)
    monkeypatch.setattr(Scorer, "_signature_keywords", every)
    return derived, previous, signatures


def test_starts_after_random_edits_equal_full_builds_and_take_the_reload_path(
    facts: Path, snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each step edits one or two files while "down" (a figure, a date, an answer, a keyword, a subject, a
    fact added or removed, a file added or deleted), then starts from the snapshot the last start wrote:
    only the edited files parsed and their facts' slots derived, the snapshot's assistant the previous one
    of a reload (names spliced, no signature read over every fact), and the router a full build's."""
    Rebuilder(snapshot=snapshot).start(facts)
    taken = spliced_names(monkeypatch)
    derived, previous, signatures = _spied(monkeypatch)
    rng, seen = random.Random(11), set()
    kinds = ["date", "figure", "answer", "alias", "subject", "add", "remove", "file"]
    for step in range(12):
        changed: set[str] = set()
        for kind in [kinds[step % len(kinds)], *rng.sample(kinds, rng.choice((0, 1)))]:
            seen.add(kind)
            changed |= _edit(facts, kind, rng, step)
        before = len(load(facts).facts)
        derived.clear()
        previous.clear()
        signatures.clear()
        rebuilder = Rebuilder(snapshot=snapshot)
        started = rebuilder.start(facts)
        assert signatures == []  # the scorer's signatures spliced, not read over every fact
        rebuilder.flush()  # the snapshot it writes in the background: the next step starts from it
        edited = {f.id for f in started.base.facts if f.file in changed}
        assert set(rebuilder.files.parsed) == changed & {p.name for p in facts.glob("*.yaml")}
        assert set(derived) <= edited and len(previous) == 1 and previous[0] is not None
        assert previous[0].base != started.base and len(started.base.facts) == before
        same_as_a_full_build(started.router, facts)
        assert _decisions(started) == _decisions(assistant_for(load(facts)))
    assert seen == set(kinds)
    assert len(taken) >= 6 and all(taken)  # every start that changed names spliced them
    again = Rebuilder(snapshot=snapshot)  # the last start's snapshot: the files as they are now
    restored = again.start(facts)
    assert again.files.parsed == [] and _decisions(restored) == _decisions(assistant_for(load(facts)))


def test_a_start_after_an_edit_hashes_no_unchanged_file_again(
    facts: Path, snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jinshui_qa.facts import fast_load

    Rebuilder(snapshot=snapshot).start(facts)
    hashed: list[str] = []
    real = fast_load.file_digest
    monkeypatch.setattr(fast_load, "file_digest", lambda name, text: hashed.append(name) or real(name, text))
    _edit(facts, "date", random.Random(1), 0)
    rebuilder = Rebuilder(snapshot=snapshot)
    rebuilder.start(facts)
    topics = [name for name in hashed if name not in ("sources.yaml", "vocabulary.yaml")]  # (small, shared)
    assert topics == rebuilder.files.parsed and len(topics) == 1  # the edited file, compared by its digest


def test_invalid_edits_are_reported_as_a_load_reports_them(facts: Path, snapshot: Path) -> None:
    Rebuilder(snapshot=snapshot).start(facts)
    talent = facts / "talent.yaml"
    talent.write_text(talent.read_text(encoding="utf-8").replace("audience: both", "audience: everyone", 1))
    with pytest.raises(FactsInvalid) as raised:
        load(facts)
    rebuilder = Rebuilder(snapshot=snapshot)
    with pytest.raises(FactsInvalid) as started:
        rebuilder.start(facts)
    assert [str(p) for p in started.value.problems] == [str(p) for p in raised.value.problems]
    assert rebuilder.last is None


def _garbled_forms(rebuilder: Rebuilder) -> None:
    rebuilder._forms, rebuilder._counts = memoryview(b"not marshal"), memoryview(b"\xe9\x00\x00")


@pytest.mark.parametrize("failing", [False, True])
def test_a_snapshot_unsound_under_the_splice_is_rebuilt_or_its_caches_computed_again(
    facts: Path, snapshot: Path, monkeypatch: pytest.MonkeyPatch, failing: bool
) -> None:
    """A snapshot whose caches (names' forms and counts) do not decode: computed again; a splice that
    raises: a full build of every file. Either way the router a full build's."""
    Rebuilder(snapshot=snapshot).start(facts)
    _edit(facts, "alias", random.Random(2), 0)
    rebuilder = Rebuilder(snapshot=snapshot)
    real = Rebuilder._first

    def first(self: Rebuilder, files: dict[str, str], payload: Any) -> Assistant:
        made = real(self, files, payload)
        if payload is not None:
            _garbled_forms(self)
        return made

    def fail(self: Rebuilder, base: Any) -> Assistant:
        raise ValueError("a snapshot part that decoded but is not sound")

    monkeypatch.setattr(Rebuilder, "_first", first)
    if failing:
        monkeypatch.setattr(Rebuilder, "__call__", fail)
    started = rebuilder.start(facts)
    if failing:
        assert len(rebuilder.files.parsed) == len(list(facts.glob("*.yaml"))) - 2  # every topic file
    rebuilder.flush()
    same_as_a_full_build(started.router, facts)
    assert _decisions(started) == _decisions(assistant_for(load(facts)))


def test_a_damaged_snapshot_of_other_files_is_rebuilt_never_spliced(
    facts: Path, snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Rebuilder(snapshot=snapshot).start(facts)
    raw = bytearray(snapshot.read_bytes())
    raw[len(raw) // 2] ^= 0x10
    snapshot.write_bytes(bytes(raw))
    _edit(facts, "add", random.Random(3), 0)
    _, previous, _ = _spied(monkeypatch)
    rebuilder = Rebuilder(snapshot=snapshot)
    started = rebuilder.start(facts)
    assert previous == [] and len(rebuilder.files.parsed) == len(list(facts.glob("*.yaml"))) - 2
    assert _decisions(started) == _decisions(assistant_for(load(facts)))
