"""Work of a full build shared with forked processes, on a machine with more than one core (issue 14).

A full build from YAML at 100,000 facts is minutes of the same work per file and per fact (reading
and checking the topic files, tokenising and spelling the facts' texts). :func:`fan_out` runs one
job in this process and each other one in a process forked from it: the child inherits everything as
it is (the facts, the normaliser, every memo: nothing is sent to it) and sends its result back
pickled; the caller merges the results in a fixed order, so the build is the same as in one process.

Used only where it can help and is safe (:func:`usable`): more than one usable core
(``os.sched_getaffinity``, or ``JINSHUI_QA_BUILD_WORKERS``; 1 turns it off), enough work, the
``fork`` start method, and no other thread running (a fork copies locks another thread may hold, so
a reload in a serving process builds in one process). A child that fails or sends nothing gives
None: the caller does that job itself. Every child is joined, or ended, before :func:`fan_out` returns.
Meanwhile the objects that existed before are frozen for the collector (``gc.freeze``, as Python's
documentation advises before a fork), then given back to it (unless some were frozen before).
"""

from __future__ import annotations

import gc
import os
import threading
from bisect import bisect_left
from collections.abc import Callable, Sequence
from itertools import accumulate, pairwise
from typing import Any, TypeVar

MAX_WORKERS = 4
T = TypeVar("T")


def build_workers() -> int:
    """How many processes a full build may use: ``JINSHUI_QA_BUILD_WORKERS`` when set, else the cores
    this process may run on, at most ``MAX_WORKERS``."""
    told = os.environ.get("JINSHUI_QA_BUILD_WORKERS", "").strip()
    if told.isdigit():
        return max(1, int(told))
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def usable(workers: int, enough: bool) -> bool:
    """Whether to fork ``workers - 1`` processes for work that is ``enough`` to be worth it."""
    if workers <= 1 or not enough or threading.active_count() != 1:
        return False  # before importing multiprocessing (with socket, pickle...: 5 ms of `ask`'s start)
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def chunks(n: int, parts: int) -> list[tuple[int, int]]:
    """``range(n)`` in at most ``parts`` contiguous, non-empty chunks of (almost) equal size."""
    bounds = [n * k // parts for k in range(parts + 1)]
    return [(lo, hi) for lo, hi in pairwise(bounds) if hi > lo]


def weighted(costs: Sequence[float], parts: int, away: float = 1.0) -> list[tuple[int, int]]:
    """``range(len(costs))`` in at most ``parts`` contiguous, non-empty chunks of about equal cost (the sum
    of ``costs``, one per item), the first (this process's) to end with the others: each other chunk's
    cost counts ``away`` times (a forked job's own extra work, e.g. sending its result, per item done)."""
    n = len(costs)
    if parts <= 1 or n <= 1:
        return chunks(n, parts)
    ends = list(accumulate(costs))
    total = ends[-1]
    if total <= 0:
        return chunks(n, parts)
    first = (
        away * total / (parts - 1 + away)
    )  # this process's share: first == away * (total - first) / (parts - 1)
    each = (total - first) / (parts - 1)
    bounds = [_nearest(ends, first + each * k) for k in range(parts - 1)]
    return [(lo, hi) for lo, hi in pairwise([0, *bounds, n]) if hi > lo]


def _nearest(ends: Sequence[float], target: float) -> int:
    """The chunk end ``hi`` whose running cost ``ends[hi - 1]`` is nearest ``target`` (``ends`` ascending)."""
    i = bisect_left(ends, target)  # ends[i - 1] < target <= ends[i]
    if i >= len(ends):
        return len(ends)
    below = ends[i - 1] if i else 0.0
    return i + 1 if ends[i] - target <= target - below else i


def _child(conn: Any, job: Callable[[], Any], parent: int, inherited: Sequence[Any]) -> None:
    """A forked job: it stops with the process that forked it (``parent``), and holds no read end of a
    pipe (``inherited``, its own included): else, its parent killed, a result larger than a pipe holds
    would block it for ever, writing to a pipe only it reads."""
    import pickle

    for receiver in inherited:
        receiver.close()
    _die_with_parent(parent)
    try:
        conn.send_bytes(pickle.dumps(job(), protocol=pickle.HIGHEST_PROTOCOL))
    except BrokenPipeError:  # the parent is gone: nobody to tell
        pass
    finally:
        conn.close()


def _die_with_parent(parent: int) -> None:
    """Ask Linux to end this process when its parent ends (``PR_SET_PDEATHSIG``); elsewhere nothing."""
    import signal

    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux
        return
    if os.getppid() != parent:  # the parent ended before the request
        os._exit(0)


def fan_out(here: Callable[[], T], away: Sequence[Callable[[], Any]]) -> tuple[T, list[Any]]:
    """``here()`` in this process while each job of ``away`` runs in a forked process; ``here``'s
    result and theirs, in order (None for a job whose process failed or sent nothing)."""
    import multiprocessing
    import pickle

    context = multiprocessing.get_context("fork")
    started: list[tuple[Any, Any]] = []
    # What exists now is left alone by the collector until every job is done: in a child it would touch
    # each inherited object's header (copying its memory page), here it would walk them again and again
    thawed = not gc.get_freeze_count()  # else someone froze objects before: they stay frozen
    gc.freeze()
    try:
        for job in away:
            receiver, sender = context.Pipe(duplex=False)
            inherited = [r for _, r in started] + [receiver]
            process = context.Process(target=_child, args=(sender, job, os.getpid(), inherited),
                                      name="jinshui-qa-build", daemon=True)  # fmt: skip
            process.start()
            sender.close()
            started.append((process, receiver))
        mine = here()
        results: list[Any] = []
        for _process, receiver in started:
            try:
                results.append(pickle.loads(receiver.recv_bytes()))
            except (EOFError, OSError, pickle.UnpicklingError):
                results.append(None)
        return mine, results
    finally:
        for process, receiver in started:
            receiver.close()
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()
        if thawed:
            gc.unfreeze()
