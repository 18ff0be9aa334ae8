"""forking.fan_out: results in order, a failed process gives None, no process left, the collector's
frozen objects as they were (issue 14's pooled build)."""

from __future__ import annotations

import gc
import multiprocessing
import os
from functools import partial
from pathlib import Path

import pytest

from jinshui_qa import forking


def _square(k: int) -> int:
    return k * k


def _fails() -> int:
    os._exit(5)


def test_results_come_back_in_order_and_a_failed_process_gives_none() -> None:
    mine, theirs = forking.fan_out(partial(_square, 2), [partial(_square, 3), _fails, partial(_square, 4)])
    assert (mine, theirs) == (4, [9, None, 16])
    assert not multiprocessing.active_children()


def test_an_error_here_still_joins_every_process() -> None:
    def boom() -> int:
        raise RuntimeError("here")

    with pytest.raises(RuntimeError):
        forking.fan_out(boom, [partial(_square, 3)])
    assert not multiprocessing.active_children()


def test_the_collectors_frozen_objects_are_as_they_were() -> None:
    gc.unfreeze()
    forking.fan_out(partial(_square, 1), [partial(_square, 2)])
    assert gc.get_freeze_count() == 0  # what was frozen for the jobs is given back
    kept = [object() for _ in range(10)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        forking.fan_out(partial(_square, 1), [partial(_square, 2)])
        assert gc.get_freeze_count() >= frozen  # someone else's freeze stays
    finally:
        gc.unfreeze()
    assert kept


_ORPHANED = """
import os, signal, sys
from jinshui_qa import forking
if sys.argv[1] == "no-death-signal":
    forking._die_with_parent = lambda parent: None
parent = os.getpid()

def outlive_parent():  # waits until the parent is killed, then sends more than a pipe holds
    while os.getppid() == parent:
        os.sched_yield()
    return b"x" * (1 << 20)

def die():
    import multiprocessing
    print(*[p.pid for p in multiprocessing.active_children()], flush=True)
    os.kill(parent, signal.SIGKILL)

forking.fan_out(die, [outlive_parent, outlive_parent])
"""


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    with open(f"/proc/{pid}/stat") as stat:  # a zombie waiting for its new parent counts as gone
        return stat.read().rsplit(")", 1)[1].split()[0] == "Z"


def _death_signal() -> int:
    import ctypes

    told = ctypes.c_int(-1)
    ctypes.CDLL(None, use_errno=True).prctl(2, ctypes.byref(told))  # 2: PR_GET_PDEATHSIG
    return told.value


linux_only = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="reads /proc (Linux)")


@linux_only
@pytest.mark.parametrize("how", ["death-signal", "no-death-signal"])
def test_no_child_is_left_behind_when_the_parent_is_killed(how: str, tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    out, err = tmp_path / "out", tmp_path / "err"
    with out.open("w") as stdout, err.open("w") as stderr:  # files: a child left behind holds no pipe of ours
        subprocess.run([sys.executable, "-c", _ORPHANED, how], stdout=stdout, stderr=stderr, timeout=60)
    children = [int(pid) for pid in out.read_text().split()]
    assert len(children) == 2
    try:
        for _ in range(600):  # a child blocked on a pipe only it reads would be there for ever
            if all(_gone(pid) for pid in children):
                break
            time.sleep(0.05)
        assert all(_gone(pid) for pid in children)
        assert err.read_text() == ""  # no traceback from a child whose parent is gone
    finally:
        for pid in children:
            if not _gone(pid):
                os.kill(pid, signal.SIGKILL)


@linux_only
def test_a_child_is_ended_with_the_process_that_forked_it() -> None:
    import signal

    _, theirs = forking.fan_out(lambda: None, [_death_signal, _death_signal])
    assert theirs == [signal.SIGKILL, signal.SIGKILL]
