"""The snapshot's code version (storage/index_store.code_version) and its lazily imported logger."""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import shutil
import sys
from pathlib import Path

import pytest

from jinshui_qa.storage import index_store
from jinshui_qa.storage.index_store import SNAPSHOT_FILE, read_snapshot, write_snapshot

PACKAGE = Path(index_store.__file__).resolve().parents[1]
LAYOUT = (
    "rebuilder.py",
    "bootstrap.py",
    "storage/index_store.py",
    "storage/snapshot_writer.py",
    "storage/snapshot_read.py",
    "storage/snapshot_start.py",
)


def _by_glob(package: Path) -> str:
    """The digest as it was first written (pathlib's glob): the key of every snapshot already stored."""
    digest = hashlib.blake2b(
        f"{sys.version_info[:2]} marshal {marshal.version} {sys.byteorder}".encode(), digest_size=32
    )
    for name in ("text", "routing", "facts"):
        for source in sorted((package / name).glob("*.py")):
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
    for layout in LAYOUT:  # what lays the snapshot out
        if (package / layout).exists():
            digest.update(layout.encode() + b"\0" + (package / layout).read_bytes())
    return digest.hexdigest()


def test_the_code_version_is_the_digest_of_every_source_file_in_order() -> None:
    assert index_store.code_version() == _by_glob(PACKAGE)


@pytest.mark.parametrize(
    "edited",
    [
        "text/normalize.py",
        "routing/frames.py",
        "facts/schema.py",
        "rebuilder.py",
        "storage/index_store.py",
        "storage/snapshot_writer.py",
    ],
)
def test_any_edit_of_a_source_changes_the_code_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edited: str
) -> None:
    copy = tmp_path / "jinshui_qa"
    for name in ("text", "routing", "facts"):
        shutil.copytree(PACKAGE / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "storage").mkdir()
    for layout in LAYOUT:
        shutil.copy(PACKAGE / layout, copy / layout)
    monkeypatch.setattr(index_store, "__file__", str(copy / "storage" / "index_store.py"))
    before = index_store.code_version()
    assert before == _by_glob(copy)
    source = copy / edited
    text = source.read_bytes()
    stat = source.stat()
    source.write_bytes(text.replace(b"def ", b"def_", 1))  # the same size, and the same times below
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert index_store.code_version() != before
    (copy / "routing" / "added.py").write_text("X = 1\n", encoding="utf-8")
    assert index_store.code_version() not in {before, _by_glob(copy / "none")}


def test_a_damaged_snapshot_is_logged_though_logging_is_imported_late(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / SNAPSHOT_FILE
    write_snapshot(path, "k" * 64, {"a": 1})
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))
    with caplog.at_level(logging.INFO, logger="jinshui_qa.storage.index_store"):
        assert read_snapshot(path, "k" * 64) is None
        assert read_snapshot(path, "j" * 64) is None
    assert "is damaged (checksum)" in caplog.text and "is missing its header or stale" in caplog.text


def test_a_fifo_in_the_snapshot_s_place_is_refused_without_waiting(tmp_path: Path) -> None:
    import threading

    path = tmp_path / SNAPSHOT_FILE
    os.mkfifo(path)
    result: list[object] = []
    reader = threading.Thread(target=lambda: result.append(read_snapshot(path, "k" * 64)), daemon=True)
    reader.start()
    reader.join(10)
    assert not reader.is_alive(), "waited on a FIFO for a writer"
    assert result == [None]


def test_a_data_directory_the_snapshot_makes_is_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "data" / SNAPSHOT_FILE
    write_snapshot(path, "k" * 64, {"a": 1})
    assert (path.parent.stat().st_mode & 0o777) == 0o700
    assert read_snapshot(path, "k" * 64) == {"a": 1}
