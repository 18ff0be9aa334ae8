"""The bot's question log writer: record() only queues, one thread writes batches, and no row is lost."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jinshui_qa.ports import FlushingRecorder
from jinshui_qa.storage.question_log import QuestionLog, read_questions
from jinshui_qa.storage.question_writer import BackgroundQuestionLog, Entry
from tests.support.concurrency import ROWS, WORKERS, expected_questions, write_from_threads
from tests.support.district import reply


def questions(db: Path) -> list[str]:
    return [r.question for r in read_questions(db)]


def eventually(condition: Callable[[], bool], timeout: float = 30.0) -> None:  # the interval is 60 s
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


class CountingLog(QuestionLog):
    """A QuestionLog that counts the batches handed to it."""

    def __init__(self, db_path: Path, **kwargs: Any) -> None:
        super().__init__(db_path, **kwargs)
        self.batches: list[int] = []

    def add(self, entries: list[Entry]) -> None:
        if entries:
            self.batches.append(len(entries))
        super().add(entries)


def test_rows_are_written_in_order_in_a_few_batches(db_path: Path) -> None:
    engine = CountingLog(db_path)
    writer = BackgroundQuestionLog(engine, interval=0.05)
    assert isinstance(writer, FlushingRecorder) and not isinstance(engine, FlushingRecorder)
    started = time.perf_counter()
    for n in range(1000):
        writer.record(channel="telegram", user_id=n % 7, reply=reply(f"q{n}"), latency_ms=1.5)
    queued_in = time.perf_counter() - started
    assert writer.flush(timeout=10)
    assert questions(db_path) == [f"q{n}" for n in range(1000)]
    assert sum(engine.batches) == 1000 and len(engine.batches) <= 20  # not a transaction per row
    assert queued_in < 0.5  # about a microsecond each; generous for a busy machine
    rows = read_questions(db_path)
    assert rows[1].user_hash == engine.user_hash(1) and rows[0].channel == "telegram"
    writer.close()


def test_a_full_batch_is_written_without_waiting_for_the_interval(db_path: Path) -> None:
    with BackgroundQuestionLog(QuestionLog(db_path), interval=60, batch=100) as writer:
        for n in range(250):
            writer.record(channel="t", user_id=1, reply=reply(f"q{n}"), latency_ms=1)
        eventually(lambda: db_path.exists() and len(questions(db_path)) >= 200)


def test_close_writes_everything_still_queued(db_path: Path) -> None:
    writer = BackgroundQuestionLog(QuestionLog(db_path), interval=60)  # nothing would be written for a minute
    for n in range(300):
        writer.record(channel="t", user_id=n, reply=reply(f"q{n}"), latency_ms=1)
    writer.close()
    assert questions(db_path) == [f"q{n}" for n in range(300)]
    assert writer._thread is None
    writer.record(channel="t", user_id=1, reply=reply("after close"), latency_ms=1)  # written at once
    assert questions(db_path)[-1] == "after close"


def test_rows_queued_at_interpreter_exit_are_written(db_path: Path) -> None:
    script = (
        "import sys\n"
        "from jinshui_qa.conversation.assistant import Reply\n"
        "from jinshui_qa.storage.question_log import QuestionLog\n"
        "from jinshui_qa.storage.question_writer import BackgroundQuestionLog\n"
        "writer = BackgroundQuestionLog(QuestionLog(sys.argv[1]), interval=60)\n"
        "for n in range(50):\n"
        "    writer.record(channel='t', user_id=n, reply=Reply(f'q{n}', 'fallback', '…', 'zh'), latency_ms=1)\n"
    )  # no close(): the exit handler writes them
    subprocess.run([sys.executable, "-c", script, str(db_path)], check=True, timeout=60)
    assert questions(db_path) == [f"q{n}" for n in range(50)]


def test_threads_recording_at_once_never_lose_a_row(db_path: Path) -> None:
    shared = BackgroundQuestionLog(QuestionLog(db_path), interval=0.01, batch=64)
    second = BackgroundQuestionLog(QuestionLog(db_path), interval=0.01)  # as a second process would write

    def write(writer: BackgroundQuestionLog, worker: int, n: int) -> None:
        writer.record(channel="t", user_id=worker, reply=reply(f"q{worker}-{n}"), latency_ms=n)
        if n % 50 == 0:
            writer.flush()

    errors = write_from_threads((shared, second), write)
    shared.close()
    second.close()
    assert not errors
    logged = questions(db_path)
    assert len(logged) == len(set(logged)) == WORKERS * ROWS
    for worker in range(WORKERS):  # each thread's rows in the order it recorded them
        assert [q for q in logged if q.startswith(f"q{worker}-")] == expected_questions(worker)


def test_a_locked_database_never_blocks_record_and_the_rows_arrive_later(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine = QuestionLog(db_path, busy_timeout_ms=300, retry_seconds=0.2)
    writer = BackgroundQuestionLog(engine, interval=0.01)
    writer.record(channel="t", user_id=1, reply=reply("first"), latency_ms=1)
    assert writer.flush(timeout=5)
    blocker = sqlite3.connect(db_path, isolation_level=None)
    try:
        blocker.execute("begin immediate")
        with caplog.at_level(logging.WARNING, logger="jinshui_qa.storage.question_log"):
            started = time.perf_counter()
            for n in range(200):
                writer.record(channel="t", user_id=1, reply=reply(f"locked {n}"), latency_ms=1)
            assert time.perf_counter() - started < 0.2  # the writer waits for the lock, record never does
            assert not writer.flush(timeout=5)  # handed over, but the log could not write them yet
        assert "database is locked" in caplog.text and engine.pending
    finally:
        blocker.execute("rollback")
        blocker.close()
    # no new question, no flush: the writer retries by itself once the retry delay is over
    eventually(lambda: len(questions(db_path)) == 201)
    assert questions(db_path) == ["first"] + [f"locked {n}" for n in range(200)]
    writer.close()


def test_the_database_deleted_while_running_is_recreated(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with BackgroundQuestionLog(QuestionLog(db_path), interval=0.01) as writer:
        writer.record(channel="t", user_id=1, reply=reply("before"), latency_ms=1)
        assert writer.flush(timeout=5)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        with caplog.at_level(logging.WARNING, logger="jinshui_qa.storage.question_log"):
            writer.record(channel="t", user_id=1, reply=reply("after"), latency_ms=1)
            assert writer.flush(timeout=5)
    assert "deleted or replaced; recreating it" in caplog.text
    assert questions(db_path) == ["after"]


def test_an_unwritable_place_keeps_rows_until_close(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the data directory should be")
    writer = BackgroundQuestionLog(QuestionLog(blocker / "questions.db"))
    with caplog.at_level(logging.WARNING, logger="jinshui_qa.storage.question_log"):
        for _ in range(3):
            writer.record(channel="t", user_id=1, reply=reply(), latency_ms=1)
        assert not writer.flush(timeout=5)
        writer.close()  # tries once more, says so, never raises
    assert caplog.text.count("retrying later") == 1  # the outage said once, not for every row
    assert caplog.text.count("3 row(s) could not be written") == 1  # the exact number dropped, once
