"""forking.fan_out: results in order, a failed process gives None, no process left, the collector's
frozen objects as they were (issue 14's pooled build)."""

from __future__ import annotations

import gc
import multiprocessing
import os
from functools import partial

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
