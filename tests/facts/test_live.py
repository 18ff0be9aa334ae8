"""Live fact updates: good edits are swapped in, broken ones leave the old fact base answering."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.errors import Problem
from jinshui_qa.facts.live import LiveAssistant, Reloaded
from jinshui_qa.ports import AssistantSource
from tests.support import district
from tests.support.district import PROJECTS, TALENT, WriteFacts

NEW_FACT = """
  - id: talent_total
    audience: both
    title: {zh: 人才总量, en: Total talents}
    questions:
      zh: [人才总量是多少, 人才一共有多少人]
      en: ["What is the total number of talents?"]
    keywords: [人才总量]
    answer:
      zh: 人才总量19.2万人。
      en: 192,000 talents in all.
    figures: []
    time: "2022"
    source: {report: test-report, section: people}
    verified: 2026-11-28
"""

# This folder's conftest serves the tiny set; the live-reload tests use the district set.
facts_dir = district.facts_dir
write_facts = district.write_facts


class Heard:
    """Collects what the callbacks were told."""

    def __init__(self) -> None:
        self.reloads: list[Reloaded] = []
        self.problems: list[list[Problem]] = []

    def live(self, facts: Path, **kwargs: object) -> LiveAssistant:
        return LiveAssistant(facts, on_reload=self.reloads.append, on_problems=self.problems.append, **kwargs)  # type: ignore[arg-type]


def answers(live: AssistantSource, question: str = "金标准人才有多少") -> str | None:
    return live().reply(question).fact_id


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_valid_edit_is_swapped_in(facts_dir: Path, write_facts: WriteFacts) -> None:
    heard = Heard()
    live = heard.live(facts_dir)
    before: Assistant = live()
    write_facts(**{"talent.yaml": TALENT + NEW_FACT})
    assert live.reload() == []
    assert live() is not before
    assert answers(live, "人才总量是多少") == "talent_total"
    assert (
        before.reply("金标准人才有多少").fact_id == "gold_talent"
    )  # a message in flight finishes on the old one
    (event,) = heard.reloads
    assert (event.added, event.removed, event.previous_fingerprint) == (
        ("talent_total",),
        (),
        before.base.fingerprint,
    )
    assert event.summary() == "facts reloaded: 9 facts, 27 phrasings (+1 -0 facts)"
    assert live.reload() == [] and len(heard.reloads) == 1  # nothing changed: no swap, no news


@pytest.mark.parametrize(
    ("name", "broken", "expected"),
    [
        ("talent.yaml", TALENT.replace("    audience: both\n", "    audience: [both\n", 1),
         "talent.yaml:8: malformed YAML"),
        ("projects.yaml", PROJECTS.replace("id: chain_investment", "id: key_projects"),
         f"projects.yaml:{PROJECTS.splitlines().index('  - id: chain_investment') + 1}: "
         "duplicate fact id 'key_projects' (first at projects.yaml:5)"),
        ("talent.yaml", TALENT[: TALENT.index("    answer:")],
         "talent.yaml:6: fact gold_talent: missing key 'answer'"),
        ("talent.yaml", TALENT[: TALENT.index("金标准人才规模多大")] + "金标准人才规模",
         "talent.yaml"),
        ("sources.yaml", "", "sources.yaml:1: the file must hold a mapping"),
    ],
    ids=["invalid-yaml", "duplicate-id", "half-written", "cut-mid-line", "emptied"],
)  # fmt: skip
def test_a_broken_edit_leaves_the_old_facts_answering(
    facts_dir: Path, write_facts: WriteFacts, name: str, broken: str, expected: str
) -> None:
    heard = Heard()
    live = heard.live(facts_dir)
    before = live()
    write_facts(**{name: broken})
    problems = live.reload()
    assert problems
    assert any(str(p).startswith(expected) for p in problems), [str(p) for p in problems]
    assert live() is before
    assert answers(live) == "gold_talent"
    assert heard.problems == [problems]
    assert heard.reloads == []


def test_a_deleted_file_keeps_its_facts_until_reload(facts_dir: Path) -> None:
    heard = Heard()
    live = heard.live(facts_dir, interval=0.02, settle=0)  # two polls in a row are enough here
    before = live()
    (facts_dir / "talent.yaml").unlink()
    pending = live.poll()
    assert live.poll(pending) is None
    assert [str(p) for p in heard.problems[0]] == [
        "talent.yaml: file deleted; its facts keep being served until /reload"
    ]
    assert live() is before and answers(live) == "gold_talent"
    assert live.reload() == []  # an admin's /reload accepts the deletion
    assert heard.reloads[0].removed == ("academicians", "gold_talent")
    assert answers(live) is None


def test_the_facts_directory_removed(facts_dir: Path) -> None:
    heard = Heard()
    live = heard.live(facts_dir)
    shutil.rmtree(facts_dir)
    problems = live.reload()
    assert problems and "does not exist" in problems[0].message
    assert answers(live) == "gold_talent"


def test_a_save_in_progress_is_not_read(facts_dir: Path) -> None:
    heard = Heard()
    live = heard.live(facts_dir, settle=0)
    talent = facts_dir / "talent.yaml"
    full = TALENT + NEW_FACT
    talent.write_text(full[: len(full) // 2], encoding="utf-8")  # the editor has written half
    first = live.poll()
    assert first is not None and heard.problems == [] and heard.reloads == []
    talent.write_text(full, encoding="utf-8")  # ... and now the rest
    second = live.poll(first)
    assert second is not None and second != first  # changed again: wait once more
    assert live.poll(second) is None
    assert heard.problems == []
    assert [r.added for r in heard.reloads] == [("talent_total",)]


def test_the_watcher_reloads_by_itself_and_reports_once(facts_dir: Path, write_facts: WriteFacts) -> None:
    heard = Heard()
    with heard.live(facts_dir, interval=0.02) as live:
        write_facts(**{"talent.yaml": TALENT + NEW_FACT})
        wait_for(lambda: answers(live, "人才总量是多少") == "talent_total")
        write_facts(**{"talent.yaml": TALENT + NEW_FACT + "  - id: [broken\n"})
        wait_for(lambda: len(heard.problems) == 1)
        time.sleep(0.2)  # many more polls: the same problem is not reported again
        assert len(heard.problems) == 1
        assert answers(live, "人才总量是多少") == "talent_total"
    assert len(heard.reloads) == 1
    assert live._thread is None


def test_a_failing_callback_does_not_stop_the_watcher(facts_dir: Path, write_facts: WriteFacts) -> None:
    def explode(event: Reloaded) -> None:
        raise RuntimeError("admin chat unreachable")

    with LiveAssistant(facts_dir, on_reload=explode, interval=0.02) as live:
        write_facts(**{"talent.yaml": TALENT + NEW_FACT})
        wait_for(lambda: answers(live, "人才总量是多少") == "talent_total")
        write_facts(**{"talent.yaml": TALENT})
        wait_for(lambda: answers(live, "人才总量是多少") != "talent_total")


def test_the_store_follows_the_facts(facts_dir: Path, write_facts: WriteFacts, tmp_path: Path) -> None:
    store = tmp_path / "data" / "facts.db"
    live = LiveAssistant(facts_dir, store_path=store)
    write_facts(**{"talent.yaml": TALENT + NEW_FACT})
    assert live.reload() == []
    conn = sqlite3.connect(store)
    try:
        assert conn.execute("select count(*) from facts").fetchone() == (9,)
    finally:
        conn.close()


def test_answering_while_reloading(facts_dir: Path, write_facts: WriteFacts) -> None:
    live = LiveAssistant(facts_dir)
    stop = threading.Event()
    seen: list[str | None] = []
    errors: list[BaseException] = []

    def ask() -> None:
        try:
            while not stop.is_set():
                seen.append(answers(live))
        except BaseException as exc:  # pragma: no cover - would fail the test
            errors.append(exc)

    worker = threading.Thread(target=ask)
    worker.start()
    try:
        for n in range(6):
            write_facts(**{"talent.yaml": TALENT + (NEW_FACT if n % 2 == 0 else "")})
            live.reload()
            write_facts(**{"talent.yaml": TALENT.replace("  - id: academicians", "  - id: [")})
            live.reload()
    finally:
        stop.set()
        worker.join()
    assert not errors
    assert seen and set(seen) == {"gold_talent"}


def test_a_callback_may_reload_again(facts_dir: Path, write_facts: WriteFacts) -> None:
    calls: list[str] = []

    def again(event: Reloaded) -> None:
        calls.append(event.fingerprint)
        live.reload()  # e.g. an admin's /reload racing the watcher: no deadlock, nothing new

    live = LiveAssistant(facts_dir, on_reload=again)
    write_facts(**{"talent.yaml": TALENT + NEW_FACT})
    assert live.reload() == []
    assert calls == [live().base.fingerprint]
