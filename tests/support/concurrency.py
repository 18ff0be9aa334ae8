"""Eight threads writing at once, as the question log's tests need (two connections to one file)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

W = TypeVar("W")
WORKERS = 8
ROWS = 150


def write_from_threads(writers: tuple[W, W], write: Callable[[W, int, int], None]) -> list[BaseException]:
    """Run ``write(writer, worker, n)`` for ``n`` in ``range(ROWS)`` in ``WORKERS`` threads at once, the odd
    workers on ``writers[0]`` and the even ones on ``writers[1]``; returns what any of them raised."""
    errors: list[BaseException] = []

    def run(writer: W, worker: int) -> None:
        try:
            for n in range(ROWS):
                write(writer, worker, n)
        except BaseException as exc:  # pragma: no cover - the writers never raise
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(writers[w % 2 == 0], w)) for w in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def expected_questions(worker: int) -> list[str]:
    """The questions worker ``worker`` writes, in order: ``q{worker}-{n}``."""
    return [f"q{worker}-{n}" for n in range(ROWS)]
