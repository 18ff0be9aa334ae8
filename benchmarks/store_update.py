"""The SQLite fact store after a reload: built whole (as before) or updated with the changed facts' rows.

    PYTHONPATH=src python benchmarks/store_update.py /work/bench/facts10k

Reads the facts directory (not timed), edits one fact's ``verified`` date in the first synthetic topic
file (in memory), builds the store from the original base, then updates it to the edited one; prints
the CPU and wall seconds of each (``storage/fact_store.build_store``, ``storage/store_update.update_store``).
"""

from __future__ import annotations

import argparse
import re
import resource
import tempfile
import time
from pathlib import Path

from jinshui_qa.facts.fast_load import FileCache
from jinshui_qa.facts.loader import read_files
from jinshui_qa.storage.fact_store import build_store
from jinshui_qa.storage.store_update import update_store


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    args = parser.parse_args()
    files = read_files(args.directory)
    cache = FileCache()
    old = cache.build(dict(files))
    name = sorted(n for n in files if n not in ("sources.yaml", "vocabulary.yaml"))[0]
    edited = dict(files)
    edited[name] = re.sub(r"verified: \S+", "verified: 2026-11-29", files[name], count=1)
    new = cache.build(edited)
    store = Path(tempfile.mkdtemp()) / "facts.db"
    cpu, wall = _cpu(), time.perf_counter()
    build_store(old, store)
    print(
        f"build_store, {len(old.facts)} facts: {_cpu() - cpu:.2f} s CPU, {time.perf_counter() - wall:.2f} s wall"
    )
    cpu, wall = _cpu(), time.perf_counter()
    in_place = update_store(old, new, store)
    print(f"update_store, one fact changed: {_cpu() - cpu:.3f} s CPU, {time.perf_counter() - wall:.3f} s wall"
          f" (in place: {in_place})")  # fmt: skip


if __name__ == "__main__":
    main()
