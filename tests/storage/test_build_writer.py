"""A full build's snapshot written by a process forked once the assistant is built
(:class:`~jinshui_qa.storage.snapshot_job.ForkedWriter`): the same bytes as the foreground write, what the
write makes that serves questions taken back, ``flush`` waits for it, a reload meanwhile ends it and
writes its own, a writer killed mid-write leaves the file as it was and no temporary file, and a base
under the threshold (or one core, or a fork refused) is written before ``start`` returns.

Each build runs in a fresh process (:mod:`tests.support.forked_build`): a writer is forked only from a
process of one thread, whatever this session left running. The threshold is the Rebuilder's attribute
``forked``, lowered for the checkout's 62 facts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from jinshui_qa.facts.loader import load
from jinshui_qa.rebuilder import Rebuilder
from jinshui_qa.storage.index_store import SNAPSHOT_FILE
from jinshui_qa.storage.snapshot_job import Chained, ForkedWriter
from tests.support.oracles import same_as_a_full_build

REPO = Path(__file__).resolve().parents[2]


def _build(tmp_path: Path, name: str, facts: Path, workers: str = "2", **config: Any) -> dict[str, Any]:
    """One build in a fresh process (``config`` as :mod:`tests.support.forked_build` reads it); its
    summary, with ``writers``: the ids of the processes that wrote a snapshot, and ``exits``: those that
    ran their atexit handlers."""
    log = tmp_path / f"{name}.log"
    config = {"facts": str(facts), "snapshot": str(tmp_path / name / SNAPSHOT_FILE), "log": str(log)} | config
    env = dict(os.environ, JINSHUI_QA_BUILD_WORKERS=workers,
               PYTHONPATH=os.pathsep.join((str(REPO / "src"), str(REPO))))  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "tests.support.forked_build", json.dumps(config)], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:-1] == ["before the build"], done.stdout  # the parent's buffered output printed once
    out: dict[str, Any] = json.loads(lines[-1])
    logged = log.read_text(encoding="utf-8").split("\n") if log.exists() else []
    out["writers"] = [int(line) for line in logged if line.isdigit()]
    out["exits"] = [int(line.split()[1]) for line in logged if line.startswith("atexit")]
    return out


def test_the_forked_writer_writes_the_foreground_bytes_and_sends_back_the_pairs(
    facts: Path, tmp_path: Path
) -> None:
    here = _build(tmp_path, "here", facts, forked=None)
    away = _build(tmp_path, "away", facts, forked=0, write_fan_out=1)  # the child forks the layout's part
    assert here["writer"] == "NoneType" and here["on_disk_at_return"] and here["writers"] == [here["pid"]]
    assert away["writer"] == "ForkedWriter" and away["status"] == 0
    assert len(away["writers"]) == 1 and away["writers"] != [away["pid"]]  # written by the forked process
    assert away["exits"] == [away["pid"]] and here["exits"] == [here["pid"]]  # none in the child
    assert away["files"] == [SNAPSHOT_FILE]
    written = (tmp_path / "here" / SNAPSHOT_FILE).read_bytes()
    assert (tmp_path / "away" / SNAPSHOT_FILE).read_bytes() == written
    # what the write made that serves questions, taken back by the router as a foreground write leaves it
    assert here["pairs"] is not None and here["spelled"] is not None
    assert (away["pairs"], away["spelled"]) == (here["pairs"], here["spelled"])


def test_flush_waits_for_the_forked_writer(facts: Path, tmp_path: Path) -> None:
    gate = tmp_path / "gate"
    out = _build(tmp_path, "data", facts, forked=0, gate=str(gate), then="open")
    assert out["writer"] == "ForkedWriter" and not out["on_disk_at_return"]  # returned before the write
    [held] = out["held"]  # the temporary file, written, its rename held at the gate
    assert held.startswith(f".{SNAPSHOT_FILE}.") and held.endswith(".tmp")
    assert out["files"] == [SNAPSHOT_FILE] and out["status"] == 0  # as flush returned
    again = Rebuilder(snapshot=tmp_path / "data" / SNAPSHOT_FILE)
    again.start(facts)
    assert not again.files.parsed  # the forked writer's snapshot is sound: nothing parsed


def test_a_reload_meanwhile_ends_the_forked_writer_and_its_snapshot_is_the_next_start(
    facts: Path, tmp_path: Path
) -> None:
    gate = tmp_path / "gate"  # never opened: the build's writer would hold its file until ended
    out = _build(tmp_path, "data", facts, forked=0, gate=str(gate), then="reload")
    assert out["problems"] == 0
    assert out["status_after_reload"] == 1  # ended (SIGTERM) before the reload wrote its own
    assert out["files"] == [SNAPSHOT_FILE]  # the ended writer's temporary file removed
    again = Rebuilder(snapshot=tmp_path / "data" / SNAPSHOT_FILE)
    started = again.start(facts)
    assert not again.files.parsed  # the snapshot is the reload's, of the edited files
    assert "2026-10-07" in {str(f.verified) for f in started.base.facts}
    same_as_a_full_build(started.router, facts)


def test_a_reload_meanwhile_with_a_separate_writer_starts_it_from_the_forked_writer_s_snapshot(
    facts: Path, tmp_path: Path
) -> None:
    gate = tmp_path / "gate"  # opened after the reload: the build's writer finishes, then the reload's
    out = _build(
        tmp_path, "data", facts, forked=0, apart=0, gate=str(gate), then="reload", open_after_reload=True
    )
    assert out["problems"] == 0
    assert out["status_after_reload"] is None and out["writer_after_reload"] == "Chained"  # not ended
    assert out["status"] == 0 and out["files"] == [SNAPSHOT_FILE]  # both wrote; no temporary file
    assert len(out["writers"]) == 1  # the forked writer; the separate one is a fresh process, not logged
    again = Rebuilder(snapshot=tmp_path / "data" / SNAPSHOT_FILE)
    started = again.start(facts)
    assert not again.files.parsed  # the separate writer's snapshot, of the edited files
    assert "2026-10-07" in {str(f.verified) for f in started.base.facts}
    same_as_a_full_build(started.router, facts)


def test_the_forked_writer_writes_the_snapshot_when_this_process_has_exited_before_it_sent_back(
    facts: Path, tmp_path: Path
) -> None:
    # `ask` at 10,000 facts with no snapshot exits once it has answered: the writer, finding nobody to
    # send the pairs to, logged BrokenPipeError and wrote nothing, so every `ask` built in full again
    out = _build(tmp_path, "data", facts, forked=0, then="exit")  # returns once the writer has ended
    assert out["writer"] == "ForkedWriter" and not out["on_disk_at_return"]
    snapshot = tmp_path / "data" / SNAPSHOT_FILE
    assert sorted(p.name for p in snapshot.parent.iterdir()) == [SNAPSHOT_FILE]
    again = Rebuilder(snapshot=snapshot)
    again.start(facts)
    assert not again.files.parsed  # the snapshot the writer wrote on its own is sound


@pytest.mark.parametrize("previous", [None, b"JQASNAP\0 a previous file, not a snapshot"])
def test_a_killed_writer_leaves_the_file_as_it_was_and_no_temporary_file(
    facts: Path, tmp_path: Path, previous: bytes | None
) -> None:
    snapshot = tmp_path / "data" / SNAPSHOT_FILE
    if previous is not None:  # a damaged file: the start builds in full (never trusted) and forks a writer
        snapshot.parent.mkdir()
        snapshot.write_bytes(previous)
    out = _build(tmp_path, "data", facts, forked=0, gate=str(tmp_path / "gate"), then="kill")
    assert out["writer"] == "ForkedWriter" and out["status"] == 1  # SIGTERM: its SystemExit, cleaned up
    assert out["files"] == ([] if previous is None else [SNAPSHOT_FILE])
    if previous is not None:
        assert snapshot.read_bytes() == previous
    rebuilt = Rebuilder(snapshot=snapshot)
    rebuilt.start(facts)
    assert rebuilt.files.parsed  # nothing usable: built in full, and the snapshot written
    again = Rebuilder(snapshot=snapshot)
    again.start(facts)
    assert not again.files.parsed


@pytest.mark.parametrize(
    ("over", "workers", "no_fork"), [(1, "2", False), (None, "1", False), (None, "2", True)]
)
def test_under_the_threshold_on_one_core_or_with_no_fork_the_snapshot_is_written_before_start_returns(
    facts: Path, tmp_path: Path, over: int | None, workers: str, no_fork: bool
) -> None:
    forked = 0 if over is None else len(load(facts).facts) + over  # one fact short of it, or none
    out = _build(tmp_path, "data", facts, workers, forked=forked, no_fork=no_fork)
    assert out["writer"] == "NoneType" and out["on_disk_at_return"] and out["writers"] == [out["pid"]]


def test_the_product_s_threshold_keeps_small_bases_in_the_foreground() -> None:
    rebuilder = Rebuilder()
    assert rebuilder.forked is not None and rebuilder.forked > 1000  # the checkout's 62 facts: by far


class _Held(ForkedWriter):
    """A forked writer still writing until ``done`` is set (no process: ``Chained`` only joins it)."""

    def __init__(self) -> None:  # not the forking one
        self.status = None
        self.done = threading.Event()

    def join(self) -> int:
        self.done.wait(10)
        self.status = 0
        return 0


class _Separate:
    def __init__(self, started: list[str], name: str) -> None:
        self.name, self.ended = name, False
        started.append(name)

    def join(self) -> int:
        return 0

    def end(self) -> None:
        self.ended = True


def test_a_second_reload_during_the_forked_write_replaces_the_first_reload_s_chain() -> None:
    started: list[str] = []
    first = _Held()
    one = Chained.after(first, (started, "one"), _Separate)
    two = Chained.after(one, (started, "two"), _Separate)
    assert isinstance(one, Chained) and isinstance(two, Chained) and two.first is first  # after the same
    assert started == []  # nothing started while the forked writer writes
    first.done.set()
    assert one.join() == 1 and two.join() == 0
    assert started == ["two"]  # the first reload's separate writer never started
    three = Chained.after(two, (started, "three"), _Separate)  # the forked writer done: ended, started now
    assert isinstance(three, _Separate) and two.second is not None and two.second.ended
    assert started == ["two", "three"]
