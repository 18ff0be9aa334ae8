"""Blobs read from the snapshot file by the slice (index_store.Unmapped) read as the mapped views do."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from jinshui_qa.bootstrap import Rebuilder, assistant_for
from jinshui_qa.facts.loader import CHECKOUT_FACTS, load
from jinshui_qa.facts.records import Records
from jinshui_qa.storage.index_store import SNAPSHOT_FILE, Unmapped, read_parts, write_snapshot


def test_an_unmapped_blob_reads_as_its_mapped_view(tmp_path: Path) -> None:
    rng = random.Random(7)
    blobs = [rng.randbytes(n) for n in (0, 1, 13, 4096, 70_001)]
    path = tmp_path / SNAPSHOT_FILE
    write_snapshot(path, "k" * 64, {"a": (1, "b")}, blobs)
    parts = read_parts(path, "k" * 64, lambda payload: range(len(blobs)))
    assert parts is not None
    payload, views, unmapped = parts
    assert payload == {"a": (1, "b")} and sorted(unmapped) == list(range(len(blobs)))
    for k, blob in enumerate(blobs):
        read = unmapped[k]
        assert len(read) == len(blob) and bytes(read) == bytes(views[k]) == blob
        for _ in range(50):
            a, b = sorted(rng.randrange(-5, len(blob) + 5) for _ in range(2))
            assert read[a:b] == blob[a:b]
    path.unlink()  # a replaced or removed snapshot stays readable through the blobs already read
    assert bytes(unmapped[4]) == blobs[4]


def test_a_start_reads_the_facts_records_from_the_file_and_makes_the_same_facts(tmp_path: Path) -> None:
    facts = Path(shutil.copytree(CHECKOUT_FACTS, tmp_path / "facts"))
    snapshot = tmp_path / "data" / SNAPSHOT_FILE
    Rebuilder(snapshot=snapshot).start(facts)
    again = Rebuilder(snapshot=snapshot)
    restored = again.start(facts)
    stored = restored.base.facts
    assert isinstance(stored, Records) and isinstance(stored._blob, Unmapped)
    assert list(stored) == list(assistant_for(load(facts)).base.facts)  # fact by fact
