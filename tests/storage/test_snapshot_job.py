"""A reload's snapshot written by another process (storage/snapshot_job.py): the serving process only
starts it; the snapshot it writes is the next start's, over the edited files, equal to a full build;
a newer reload ends the older writer without leaving its temporary file; invalid files leave the
snapshot as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinshui_qa.bootstrap import Rebuilder
from jinshui_qa.facts.live import LiveAssistant
from jinshui_qa.storage import snapshot_writer
from jinshui_qa.storage.index_store import SNAPSHOT_FILE
from jinshui_qa.storage.snapshot_job import SeparateWriter
from tests.support.oracles import same_as_a_full_build


def _serving(facts: Path, snapshot: Path) -> tuple[Rebuilder, LiveAssistant]:
    rebuilder = Rebuilder(snapshot=snapshot)
    live = LiveAssistant(facts, rebuilder.start(facts), build=rebuilder, files=rebuilder.files)
    rebuilder.apart = 0  # every base is large enough: the 62 facts take the separate writer
    return rebuilder, live


def _redate(facts: Path, day: int) -> None:
    path = facts / "innovation.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("verified: 2026-11-30", f"verified: 2026-10-{day:02d}", 1), encoding="utf-8")


def test_the_serving_process_only_starts_the_writer_and_its_snapshot_is_the_next_start(
    facts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot = tmp_path / "data" / SNAPSHOT_FILE
    rebuilder, live = _serving(facts, snapshot)
    written = snapshot.stat().st_mtime_ns

    def no_write(*args: object) -> None:
        raise AssertionError("the serving process wrote the snapshot itself")

    monkeypatch.setattr(snapshot_writer, "write", no_write)
    _redate(facts, 3)
    assert live.reload() == []
    writer = rebuilder._writer
    assert isinstance(writer, SeparateWriter)
    assert writer.join() == 0
    rebuilder.flush()
    assert snapshot.stat().st_mtime_ns != written
    monkeypatch.undo()

    again = Rebuilder(snapshot=snapshot)
    started = again.start(facts)
    assert not again.files.parsed  # the snapshot is of the edited files: nothing parsed
    assert "2026-10-03" in {str(f.verified) for f in started.base.facts if f.topic == "industry"}
    same_as_a_full_build(started.router, facts)


def test_a_newer_reload_ends_the_older_writer_and_its_temporary_file(facts: Path, tmp_path: Path) -> None:
    snapshot = tmp_path / "data" / SNAPSHOT_FILE
    rebuilder, live = _serving(facts, snapshot)
    _redate(facts, 4)
    assert live.reload() == []
    first = rebuilder._writer
    assert isinstance(first, SeparateWriter)
    _redate(facts, 5)
    assert live.reload() == []
    assert first.process.returncode is not None  # ended (or done) before the second started
    rebuilder.flush()
    assert sorted(p.name for p in snapshot.parent.iterdir()) == [SNAPSHOT_FILE]
    again = Rebuilder(snapshot=snapshot)
    again.start(facts)
    assert not again.files.parsed


def test_files_invalid_when_the_writer_reads_them_leave_the_snapshot(facts: Path, tmp_path: Path) -> None:
    snapshot = tmp_path / "data" / SNAPSHOT_FILE
    rebuilder, _ = _serving(facts, snapshot)
    before = snapshot.read_bytes()
    (facts / "innovation.yaml").write_text("topic: [unclosed\n", encoding="utf-8")
    writer = SeparateWriter(facts, snapshot, rebuilder.settings)
    assert writer.join() == 1
    assert snapshot.read_bytes() == before
