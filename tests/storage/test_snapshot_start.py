"""A start from the snapshot: the files' bytes hashed as read, the snapshot checked by a thread meanwhile,
the phrasing keys of the checks across files decoded at the first reload only."""

from __future__ import annotations

import gc
import marshal
import os
import threading
from pathlib import Path

import pytest

from jinshui_qa.bootstrap import Rebuilder, assistant_for
from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.errors import FactsInvalid
from jinshui_qa.facts.live import LiveAssistant
from jinshui_qa.facts.loader import TextCache, file_digest, load, read_files
from jinshui_qa.facts.plain_base import files_digest
from jinshui_qa.storage.index_store import SNAPSHOT_FILE, read_snapshot, write_snapshot
from jinshui_qa.storage.snapshot_read import Checking, Deferred, check, in_background
from tests.support.live_facts import NEW_FACT


def _decisions(assistant: Assistant) -> list[tuple[str, str | None, float]]:
    texts = [f.questions_zh[0] for f in assistant.base.facts] + ["金水区有多少家高新技术企业", "你好"]
    return [(r.status, r.fact_id, r.score) for r in map(assistant.router.route, texts)]


def test_the_digest_of_the_bytes_read_is_the_digest_of_their_texts(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes("\ufeffa: 金水区\r\nb: x\n".encode())
    (tmp_path / "b.yaml").write_bytes(b"c: plain\n")
    (tmp_path / "c.yaml").write_bytes("d: 𠀀 \u2028 é\n".encode())
    raw: dict[str, bytes] = {}
    cache = TextCache()
    files = read_files(tmp_path, cache, raw)
    assert raw == {name: text.encode() for name, text in files.items()}
    first = raw["a.yaml"]
    assert files_digest(files, raw) == files_digest(files) and raw == {}  # each taken out once hashed
    again: dict[str, bytes] = {}
    assert read_files(tmp_path, cache, again) == files and again == {}  # unchanged: from the cache, not read
    assert files_digest(files, again) == files_digest(files, {"a.yaml": first}) == files_digest(files)
    (tmp_path / "b.yaml").write_bytes(b"c: other\n")
    changed = read_files(tmp_path, cache, again)
    assert list(again) == ["b.yaml"] and files_digest(changed, again) == files_digest(
        changed
    ) != files_digest(files)
    each: dict[str, bytes] = {}  # every file's own digest: the one the snapshot stores per topic file
    assert files_digest(changed, None, each) == files_digest(changed)
    assert each == {name: file_digest(name, text) for name, text in changed.items()}


@pytest.mark.parametrize("same_stat", [False, True])
def test_a_file_changed_since_the_snapshot_is_noticed_even_with_its_size_and_times_put_back(
    facts: Path, tmp_path: Path, same_stat: bool
) -> None:
    snapshot = tmp_path / "data" / SNAPSHOT_FILE
    Rebuilder(snapshot=snapshot).start(facts)
    talent = facts / "talent.yaml"
    before = talent.stat()
    text = talent.read_text(encoding="utf-8")
    edited = text.replace("2026-11-30", "2026-11-29", 1)
    assert edited != text and len(edited.encode()) == len(text.encode())
    talent.write_text(edited, encoding="utf-8")
    if same_stat:  # the same size and modification time: a start trusts no stat, it hashes every file
        os.utime(talent, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert talent.stat().st_mtime_ns == before.st_mtime_ns and talent.stat().st_size == before.st_size
    rebuilder = Rebuilder(snapshot=snapshot)
    started = rebuilder.start(facts)
    assert rebuilder.files.parsed == ["talent.yaml"]
    assert started.base == load(facts) and _decisions(started) == _decisions(assistant_for(load(facts)))


def test_invalid_facts_stop_the_check_of_the_snapshot(facts: Path, tmp_path: Path) -> None:
    snapshot = tmp_path / "data" / SNAPSHOT_FILE
    Rebuilder(snapshot=snapshot).start(facts)
    (facts / "talent.yaml").write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(FactsInvalid):
        Rebuilder(snapshot=snapshot).start(facts)
    assert not [t for t in threading.enumerate() if t.name == "index-snapshot-check"]


def test_the_check_by_a_thread_gives_what_the_check_gives_and_refuses_damage(tmp_path: Path) -> None:
    path = tmp_path / SNAPSHOT_FILE
    write_snapshot(path, "k" * 64, {"a": 1}, [os.urandom(3 << 20), b"xyz"])
    direct, threaded = check(path), Checking(path).result()
    assert direct is not None and threaded is not None
    assert (direct.header, direct.data) == (threaded.header, threaded.data) and direct.key() == b"k" * 64
    stopped = threading.Event()
    stopped.set()
    assert check(path, stopped) is None  # given up: not checked, not trusted
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x10  # inside the first blob
    path.write_bytes(bytes(data))
    assert check(path) is None and Checking(path).result() is None and read_snapshot(path, "k" * 64) is None


def test_a_stored_dict_is_decoded_when_first_read_and_foreign_bytes_read_as_empty() -> None:
    held = Deferred(marshal.dumps({"a.yaml": (("k",), 1, ())}), 1)
    assert len(held) == 1 and held._blob is not None  # its length known, nothing decoded
    assert dict(held) == {"a.yaml": (("k",), 1, ())} and held._blob is None
    for foreign in (b"\x00garbage", marshal.dumps([1, 2]), b""):
        assert dict(Deferred(foreign, 3)) == {}


def test_a_start_decodes_no_phrasing_key_and_the_first_reload_adopts_them(
    facts: Path, tmp_path: Path
) -> None:
    snapshot = tmp_path / "data" / SNAPSHOT_FILE
    Rebuilder(snapshot=snapshot).start(facts)
    rebuilder = Rebuilder(snapshot=snapshot)
    live = LiveAssistant(facts, rebuilder.start(facts), build=rebuilder, files=rebuilder.files)
    pending = rebuilder.files._keys
    assert pending is not None and isinstance(pending[0], Deferred) and pending[0]._blob is not None
    talent = facts / "talent.yaml"
    talent.write_text(talent.read_text(encoding="utf-8").rstrip("\n") + "\n" + NEW_FACT, encoding="utf-8")
    assert live.reload() == [] and rebuilder.files.tables.valid and rebuilder.files.parsed == ["talent.yaml"]
    full = Rebuilder()
    full.start(facts)
    assert rebuilder.files.tables.keys() == full.files.tables.keys() != {}
    assert live().base == load(facts)


def test_a_start_from_the_snapshot_runs_no_collection_and_leaves_the_collector_on(
    facts: Path, tmp_path: Path
) -> None:
    snapshot = tmp_path / "data" / SNAPSHOT_FILE
    Rebuilder(snapshot=snapshot).start(facts)
    runs: list[int] = []

    def counted(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            runs.append(info["generation"])

    gc.callbacks.append(counted)
    try:
        rebuilder = Rebuilder(snapshot=snapshot)
        rebuilder.start(facts)
    finally:
        gc.callbacks.remove(counted)
    assert rebuilder.files.parsed == [] and runs == [] and gc.isenabled()
    (facts / "talent.yaml").write_bytes(b"\xff not utf-8")
    with pytest.raises(FactsInvalid):
        Rebuilder(snapshot=snapshot).start(facts)
    assert gc.isenabled()


def test_work_in_background_gives_its_result_or_raises_its_error() -> None:
    assert in_background(lambda: sum(range(10)))() == 45

    def fails() -> int:
        raise KeyError("x")

    with pytest.raises(KeyError):
        in_background(fails)()
