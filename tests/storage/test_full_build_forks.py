"""A full build from YAML reads its files in two processes even while the files' digest, hashed by a
thread beside the snapshot's check, is still running: ``Rebuilder.start`` waits for that thread before
building (a build forks only when no other thread runs, ``forking.usable``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from jinshui_qa.facts.loader import CHECKOUT_FACTS

SRC = Path(__file__).resolve().parents[2] / "src"
BUILD = """import sys, time, pathlib
from jinshui_qa.facts import plain_base, read_ahead
from jinshui_qa.rebuilder import Rebuilder
read_ahead.MIN_BYTES = 1
digest = plain_base.files_digest
plain_base.files_digest = lambda *args: time.sleep(1.5) or digest(*args)  # a slow disk
ahead = read_ahead.read_ahead
read = []
read_ahead.read_ahead = lambda names, files, *more: read.append((len(names), len(got := ahead(names, files, *more)))) or got
Rebuilder(snapshot=pathlib.Path(sys.argv[2])).start(pathlib.Path(sys.argv[1]))
print(*read[0])
"""


def test_the_files_are_read_ahead_by_two_processes_though_the_digest_is_slow(tmp_path: Path) -> None:
    env = dict(os.environ, JINSHUI_QA_BUILD_WORKERS="2", PYTHONPATH=str(SRC))
    done = subprocess.run([sys.executable, "-c", BUILD, str(CHECKOUT_FACTS), str(tmp_path / "snapshot")],
                          check=True, env=env, capture_output=True, text=True)  # fmt: skip
    names, read = map(int, done.stdout.split())
    assert names > 1 and read == names  # every file read ahead (none: the fork was refused)
