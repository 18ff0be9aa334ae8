"""A full build's snapshot written by two processes (the layout renumbered, the pairs of characters, the
blobs after the layout's and the files' digest made by a forked one, :mod:`jinshui_qa.storage.snapshot_writer`)
is the one process's, byte for byte."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from jinshui_qa.facts.loader import CHECKOUT_FACTS
from jinshui_qa.storage.index_store import SNAPSHOT_FILE

SRC = Path(__file__).resolve().parents[2] / "src"
# every stage shared with forked processes however small the base (the thresholds lowered), or none
BUILD = """import sys, pathlib
from jinshui_qa import forking
from jinshui_qa.facts import read_ahead
from jinshui_qa.rebuilder import Rebuilder
from jinshui_qa.routing import pool
from jinshui_qa.storage import snapshot_writer
read_ahead.MIN_BYTES, pool.MIN_FACTS, snapshot_writer.MIN_FACTS = 1, 1, 1
forked = []
real = forking.fan_out
forking.fan_out = lambda here, away: forked.append(len(away)) or real(here, away)
rebuilder = Rebuilder(snapshot=pathlib.Path(sys.argv[2]))
assistant = rebuilder.start(pathlib.Path(sys.argv[1]))
print(sum(forked), len(assistant.router.known_pairs()))
"""


def test_a_snapshot_written_by_two_processes_is_the_one_process_snapshot(tmp_path: Path) -> None:
    written, told = [], []
    for workers in ("1", "2"):
        out = tmp_path / workers / SNAPSHOT_FILE
        env = dict(os.environ, JINSHUI_QA_BUILD_WORKERS=workers, PYTHONPATH=str(SRC))
        done = subprocess.run([sys.executable, "-c", BUILD, str(CHECKOUT_FACTS), str(out)], check=True, env=env,
                              capture_output=True, text=True)  # fmt: skip
        told.append(done.stdout.split())
        written.append(out.read_bytes())
    assert told[0][0] == "0" and int(told[1][0]) >= 4  # the files, the index, the slots, the snapshot
    assert told[0][1] == told[1][1] != "0"  # the pairs the forked process made, known to the router
    assert written[0] == written[1]
