"""The facts watcher under slow saves and hostile files: nothing half-written served, each problem
reported once, and the watcher never blocks or dies."""

from __future__ import annotations

import os
import time
from pathlib import Path

from jinshui_qa.facts.live import LiveAssistant
from jinshui_qa.facts.loader import read_files
from jinshui_qa.facts.validation import build_factbase
from tests.facts.test_live import NEW_FACT, Heard, answers, wait_for
from tests.support import district
from tests.support.district import TALENT, WriteFacts

facts_dir = district.facts_dir
write_facts = district.write_facts


def test_a_file_saved_in_two_halves_with_a_pause_is_never_served_half(facts_dir: Path) -> None:
    talent = facts_dir / "talent.yaml"
    full = TALENT + NEW_FACT
    half = TALENT[: TALENT.index("  - id: academicians")]  # a cut that validates: one fact fewer
    assert len(build_factbase({**read_files(facts_dir), "talent.yaml": half}).facts) == 7
    heard = Heard()
    with heard.live(facts_dir, interval=0.02, settle=0.6) as live:
        with talent.open("w", encoding="utf-8") as editor:
            editor.write(half)
            editor.flush()
            time.sleep(0.25)  # the editor pauses for more than ten polls
            editor.write(full[len(half) :])
        wait_for(lambda: answers(live, "人才总量是多少") == "talent_total")
    assert [(r.added, r.removed) for r in heard.reloads] == [(("talent_total",), ())]


def test_an_impossible_date_is_reported_once_and_the_watcher_goes_on(
    facts_dir: Path, write_facts: WriteFacts
) -> None:
    heard = Heard()
    line = TALENT.splitlines().index("    verified: 2026-11-28") + 1
    broken = TALENT.replace("verified: 2026-11-28", "verified: 2026-02-30", 1)
    with heard.live(facts_dir, interval=0.02) as live:
        write_facts(**{"talent.yaml": broken})
        wait_for(lambda: len(heard.problems) == 1)
        assert [str(p) for p in heard.problems[0]] == [
            f"talent.yaml:{line}: malformed YAML: cannot read the value '2026-02-30': "
            f"day is out of range for month (line {line}, column 15)"
        ]
        os.utime(facts_dir / "talent.yaml", ns=(time.time_ns(), time.time_ns() + 10**9))  # touched, same text
        write_facts(**{"talent.yaml": broken + "\n"})  # saved again with the same mistake
        time.sleep(0.3)
        assert len(heard.problems) == 1
        assert answers(live) == "gold_talent"
        write_facts(**{"talent.yaml": TALENT + NEW_FACT})
        wait_for(lambda: answers(live, "人才总量是多少") == "talent_total")
        assert live._thread is not None and live._thread.is_alive()


def test_a_fifo_and_an_alias_bomb_do_not_stop_the_watcher(facts_dir: Path, write_facts: WriteFacts) -> None:
    heard = Heard()
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{c}: &{c} [{','.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    with heard.live(facts_dir, interval=0.02) as live:
        os.mkfifo(facts_dir / "x.yaml")
        wait_for(lambda: len(heard.problems) == 1)
        assert [str(p) for p in heard.problems[0]] == ["x.yaml: refused: not a regular file"]
        (facts_dir / "x.yaml").unlink()
        write_facts(**{"bomb.yaml": bomb})
        wait_for(lambda: len(heard.problems) == 2)
        assert [str(p) for p in heard.problems[1]] == [
            "bomb.yaml:1: malformed YAML: aliases expand to more than 10,000 nodes (line 1, column 50)"
        ]
        write_facts(**{"bomb.yaml": None, "talent.yaml": TALENT + NEW_FACT})
        wait_for(lambda: answers(live, "人才总量是多少") == "talent_total")
    assert live.last_problems == []


def test_the_watcher_reports_an_error_of_its_own_once(facts_dir: Path, caplog: object) -> None:
    live = LiveAssistant(facts_dir, interval=0.01)
    calls: list[int] = []

    def broken(settled: str | None = None) -> str | None:
        calls.append(1)
        raise RuntimeError("disk gone")

    live.poll = broken  # type: ignore[method-assign]
    with live:
        wait_for(lambda: len(calls) >= 10)
    records = [r for r in caplog.records if "watcher hit an error" in r.getMessage()]  # type: ignore[attr-defined]
    assert len(records) == 1
