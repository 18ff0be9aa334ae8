"""The persisted index snapshot and incremental reloads (bootstrap.Rebuilder, storage/index_store.py)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from jinshui_qa.bootstrap import Rebuilder, assistant_for
from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.facts.live import LiveAssistant
from jinshui_qa.facts.loader import load
from jinshui_qa.routing.settings import RouterSettings
from jinshui_qa.storage import index_store
from jinshui_qa.storage.index_store import MAGIC, SNAPSHOT_FILE, read_snapshot, write_snapshot
from tests.support.live_facts import NEW_ANSWER, NEW_FACT, NEW_QUESTION

OTHER = ["金水区的人口有多少", "二七区有多少家高新技术企业", "How many high-tech firms?", "gaoxin qiye you duoshao",
         "金水區2021年的GDP是多少", "你好", "那总投资呢"]  # fmt: skip


def _decisions(assistant: Assistant) -> list[tuple[str, str | None, float, str]]:
    questions = [f.questions_zh[0] for f in assistant.base.facts] + [
        f.questions_en[-1] for f in assistant.base.facts
    ]
    out = []
    for text in questions + OTHER:
        r = assistant.router.route(text)
        out.append((r.status, r.fact_id, r.score, r.reason))
    return out


def _topic_files(facts: Path) -> list[str]:
    return sorted(p.name for p in facts.glob("*.yaml") if p.name not in ("sources.yaml", "vocabulary.yaml"))


def test_a_start_from_the_snapshot_parses_nothing_and_answers_as_a_fresh_build(
    facts: Path, snapshot: Path
) -> None:
    fresh = assistant_for(load(facts))
    first = Rebuilder(snapshot=snapshot)
    first.start(facts)
    assert first.files.parsed == _topic_files(facts) and snapshot.read_bytes().startswith(MAGIC)
    again = Rebuilder(snapshot=snapshot)
    restored = again.start(facts)
    assert again.files.parsed == []
    assert restored.base == fresh.base
    assert _decisions(restored) == _decisions(fresh)


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garble(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    raw[-100] ^= 0xFF
    path.write_bytes(bytes(raw))


def _garble_middle(path: Path) -> None:  # inside the blobs: the index's arrays, the facts, their slots
    raw = bytearray(path.read_bytes())
    for at in (len(raw) // 3, len(raw) // 2, 2 * len(raw) // 3):
        raw[at] ^= 0x01
        path.write_bytes(bytes(raw))
        assert read_snapshot(path, Rebuilder()._key(_files(path))) is None
        raw[at] ^= 0x01
    raw[len(raw) // 2] ^= 0x10
    path.write_bytes(bytes(raw))


def _files(snapshot: Path) -> dict[str, str]:
    from jinshui_qa.facts.loader import read_files

    return read_files(snapshot.parent.parent / "facts")


def _header_only(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: len(MAGIC) + 10])


def _noise(path: Path) -> None:
    path.write_bytes(b"\x00\xff not a snapshot" * 50)


@pytest.mark.parametrize("damage", [_truncate, _garble, _garble_middle, _header_only, _noise])
def test_a_damaged_snapshot_is_rebuilt_never_trusted(
    facts: Path, snapshot: Path, damage: Callable[[Path], None]
) -> None:
    fresh = assistant_for(load(facts))
    Rebuilder(snapshot=snapshot).start(facts)
    damage(snapshot)
    rebuilt = Rebuilder(snapshot=snapshot)
    assert _decisions(rebuilt.start(facts)) == _decisions(fresh)
    assert rebuilt.files.parsed == _topic_files(facts)
    again = Rebuilder(snapshot=snapshot)  # the damaged file was replaced by a good one
    again.start(facts)
    assert again.files.parsed == []


def test_a_well_formed_snapshot_of_the_wrong_shape_is_rebuilt(facts: Path, snapshot: Path) -> None:
    first = Rebuilder(snapshot=snapshot)
    first.start(facts)
    write_snapshot(snapshot, first._key(first.files.texts), {"files": {"talent.yaml": 3}, "parts": {}})
    rebuilt = Rebuilder(snapshot=snapshot)
    assert _decisions(rebuilt.start(facts)) == _decisions(assistant_for(load(facts)))
    assert rebuilt.files.parsed == _topic_files(facts)


@pytest.mark.parametrize("change", ["code", "settings", "vocabulary"])
def test_a_stale_snapshot_is_rebuilt(
    facts: Path, snapshot: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    Rebuilder(snapshot=snapshot).start(facts)
    settings = RouterSettings()
    if change == "code":
        monkeypatch.setattr(index_store, "code_version", lambda: "another version")
    elif change == "settings":
        settings = RouterSettings(pinyin=False)
    else:
        vocabulary = facts / "vocabulary.yaml"
        vocabulary.write_text(vocabulary.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    stale = Rebuilder(settings, snapshot=snapshot)
    assistant = stale.start(facts)
    assert stale.files.parsed == _topic_files(facts)
    assert _decisions(assistant) == _decisions(assistant_for(load(facts), settings))


def test_read_snapshot_of_a_missing_file_or_another_key(tmp_path: Path) -> None:
    path = tmp_path / SNAPSHOT_FILE
    assert read_snapshot(path, "0" * 64) is None
    write_snapshot(path, "1" * 64, {"a": (1, "b")})
    assert read_snapshot(path, "1" * 64) == {"a": (1, "b")}
    assert read_snapshot(path, "0" * 64) is None
    assert [p.name for p in tmp_path.iterdir()] == [SNAPSHOT_FILE]  # no temporary file left


def test_a_write_removes_the_temporary_files_of_writers_killed_mid_write_only(tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    def ended() -> int:  # the id of a process that has ended (reaped)
        process = subprocess.Popen([sys.executable, "-c", "pass"])
        process.wait()
        return process.pid

    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    names = {
        "dead_old": f".{SNAPSHOT_FILE}.{ended()}.tmp",  # kill -9 mid-write, long ago
        "dead_new": f".{SNAPSHOT_FILE}.{ended()}.tmp",  # modified just now: maybe another machine's writer
        "live_old": f".{SNAPSHOT_FILE}.{live.pid}.tmp",  # a live process's
        "other": f".{SNAPSHOT_FILE}x.1.tmp",  # another file's
    }
    try:
        for name, file in names.items():
            (tmp_path / file).write_bytes(b"half a snapshot")
            if name != "dead_new":
                os.utime(tmp_path / file, (time.time() - 3600, time.time() - 3600))
        write_snapshot(tmp_path / SNAPSHOT_FILE, "1" * 64, {"a": 1})
        left = {p.name for p in tmp_path.iterdir()}
    finally:
        live.kill()
        live.wait()
    assert left == {names["dead_new"], names["live_old"], names["other"], SNAPSHOT_FILE}
    assert read_snapshot(tmp_path / SNAPSHOT_FILE, "1" * 64) == {"a": 1}


def test_editing_one_file_reparses_and_reindexes_that_file_only(facts: Path, snapshot: Path) -> None:
    rebuilder = Rebuilder(snapshot=snapshot)
    live = LiveAssistant(facts, rebuilder.start(facts), build=rebuilder, files=rebuilder.files)
    before = live()
    talent = facts / "talent.yaml"
    talent.write_text(talent.read_text(encoding="utf-8").rstrip("\n") + "\n" + NEW_FACT, encoding="utf-8")
    assert live.reload() == []
    assert rebuilder.files.parsed == ["talent.yaml"]
    after = live()
    assert after is not before and NEW_ANSWER.rstrip("。") in after.reply(NEW_QUESTION).text
    assert before.router.route(NEW_QUESTION).fact_id != "robot_labs"  # the old one is untouched
    assert _decisions(after) == _decisions(assistant_for(load(facts)))  # as a build from scratch
    rebuilder.flush()  # the reload writes the snapshot in the background
    restarted = Rebuilder(snapshot=snapshot)  # the reload refreshed the snapshot
    assert _decisions(restarted.start(facts)) == _decisions(after) and restarted.files.parsed == []


def test_a_broken_edit_is_reported_with_its_line_and_not_cached(facts: Path) -> None:
    rebuilder = Rebuilder()
    live = LiveAssistant(facts, rebuilder.start(facts), build=rebuilder, files=rebuilder.files)
    talent = facts / "talent.yaml"
    good = talent.read_text(encoding="utf-8")
    talent.write_text(good.replace("audience: both", "audience: everyone", 1), encoding="utf-8")
    problems = live.reload()
    with pytest.raises(Exception) as raised:
        load(facts)
    assert [str(p) for p in problems] == [str(p) for p in raised.value.problems]  # type: ignore[attr-defined]
    assert problems and all(p.file == "talent.yaml" and p.line > 0 for p in problems)
    assert live.reload() == problems and rebuilder.files.parsed == ["talent.yaml"]  # read again
    talent.write_text(good, encoding="utf-8")
    assert live.reload() == []


def test_a_start_from_the_snapshot_takes_the_names_spelled_in_pinyin_from_it(
    facts: Path, snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = ("gaoxin qiye you duoshao", "jinshui gaoqi duoshao jia")
    fresh = assistant_for(load(facts))
    expected = [(r.status, r.fact_id) for r in map(fresh.router.route, texts)]
    Rebuilder(snapshot=snapshot).start(facts)
    from jinshui_qa.routing.scoring import Scorer

    def spell_again(self: Scorer) -> dict[str, str]:
        raise AssertionError("the names were spelled again")

    monkeypatch.setattr(Scorer, "_spelled_names", spell_again)
    restored = Rebuilder(snapshot=snapshot).start(facts)
    assert [(r.status, r.fact_id) for r in map(restored.router.route, texts)] == expected
