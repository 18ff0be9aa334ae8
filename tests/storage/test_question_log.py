"""The question log: what a row holds, privacy, retention, concurrent writers, and surviving faults."""

from __future__ import annotations

import logging
import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest
from sqlite_utils import Database

from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.ports import QuestionRecorder
from jinshui_qa.storage.question_log import SALT_FILE, QuestionLog, read_questions
from tests.support.district import reply

T0 = 1_764_288_000.0


def count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("select count(*) from questions").fetchone()[0])
    finally:
        conn.close()


def test_a_row_holds_the_reply_and_a_salted_hash(
    fresh_db: QuestionLog, db_path: Path, assistant: Assistant
) -> None:
    recorder: QuestionRecorder = fresh_db
    answer = assistant.reply("金标准人才有多少")
    recorder.record(channel="telegram", user_id=123456789, reply=answer, latency_ms=12.345)
    recorder.record(channel="console", user_id=None, reply=reply("金水区人口有多少"), latency_ms=3)
    first, second = read_questions(db_path)
    assert (first.channel, first.lang, first.question, first.status) == (
        "telegram",
        "zh",
        "金标准人才有多少",
        "answer",
    )
    assert (first.fact_id, first.topic, first.score, first.latency_ms) == (
        "gold_talent",
        "talent",
        answer.score,
        12.35,
    )
    assert first.user_hash is not None and len(first.user_hash) == 64
    assert first.user_hash == fresh_db.user_hash("123456789") != fresh_db.user_hash(123456788)
    assert (second.user_hash, second.status, second.reason) == (None, "fallback", "not_covered:人口")
    raw = db_path.read_bytes() + (db_path.parent / "questions.db-wal").read_bytes()
    assert b"123456789" not in raw


def test_the_salt_is_created_once_and_kept_private(db_path: Path) -> None:
    with QuestionLog(db_path) as log:
        log.record(channel="t", user_id=42, reply=reply(), latency_ms=1)
        first = log.user_hash(42)
    salt = db_path.parent / SALT_FILE
    assert stat.S_IMODE(salt.stat().st_mode) == 0o600
    with QuestionLog(db_path) as again:
        assert again.user_hash(42) == first
    other = QuestionLog(db_path.parent / "elsewhere" / "questions.db")
    assert other.user_hash(42) != first  # another data directory, another salt
    other.close()


def test_clarify_options_are_kept(fresh_db: QuestionLog, db_path: Path) -> None:
    from jinshui_qa.conversation.assistant import Option

    options = (Option("high_tech", "高新技术企业"), Option("key_labs", "重点实验室"))
    fresh_db.record(
        channel="t", user_id=1, reply=reply("企业", "clarify", options=options, reason="vague"), latency_ms=1
    )
    assert read_questions(db_path)[0].options == ("high_tech", "key_labs")


def test_retention_prunes_old_rows(db_path: Path) -> None:
    now = [1_000_000_000.0]
    log = QuestionLog(db_path, retention_days=180, clock=lambda: now[0])
    log.record(channel="t", user_id=1, reply=reply("old"), latency_ms=1)
    now[0] += 179 * 86_400
    log.record(channel="t", user_id=1, reply=reply("middle"), latency_ms=1)
    now[0] += 2 * 86_400  # the first row is now 181 days old; a day has passed since the last prune
    log.record(channel="t", user_id=1, reply=reply("new"), latency_ms=1)
    assert [r.question for r in read_questions(db_path)] == ["middle", "new"]
    assert log.prune(days=1) == 1
    assert [r.question for r in read_questions(db_path)] == ["new"]
    log.close()


def test_threads_writing_at_once_never_lose_a_row(db_path: Path) -> None:
    shared = QuestionLog(db_path)
    second = QuestionLog(db_path)  # another connection to the same file, as a second process would have
    errors: list[BaseException] = []

    def write(log: QuestionLog, worker: int) -> None:
        try:
            for n in range(150):
                log.record(channel="t", user_id=worker, reply=reply(f"q{worker}-{n}"), latency_ms=n)
        except BaseException as exc:  # pragma: no cover - record never raises
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(shared if w % 2 else second, w)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    shared.close()
    second.close()
    assert not errors
    questions = [r.question for r in read_questions(db_path)]
    assert len(questions) == 8 * 150
    assert len(set(questions)) == 8 * 150


def test_reading_a_missing_log_gives_nothing(tmp_path: Path) -> None:
    assert read_questions(tmp_path / "nope.db") == []
    assert not (tmp_path / "nope.db").exists()


# -- faults: the bot keeps answering, says so in its log, and the rows arrive later ----------------------


def test_database_deleted_while_running_is_recreated(
    fresh_db: QuestionLog, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fresh_db.record(channel="t", user_id=1, reply=reply("before"), latency_ms=1)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    with caplog.at_level(logging.WARNING, logger="jinshui_qa.storage.question_log"):
        fresh_db.record(channel="t", user_id=1, reply=reply("after"), latency_ms=1)
    assert "deleted or replaced; recreating it" in caplog.text
    assert [r.question for r in read_questions(db_path)] == ["after"]


def test_data_directory_deleted_while_running(fresh_db: QuestionLog, db_path: Path) -> None:
    fresh_db.record(channel="t", user_id=1, reply=reply("before"), latency_ms=1)
    for path in db_path.parent.iterdir():
        path.unlink()
    db_path.parent.rmdir()
    fresh_db.record(channel="t", user_id=1, reply=reply("after"), latency_ms=1)
    assert [r.question for r in read_questions(db_path)] == ["after"]


def test_locked_database_keeps_rows_until_it_is_free(db_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    now = [T0]
    log = QuestionLog(db_path, busy_timeout_ms=50, retry_seconds=5, clock=lambda: now[0])
    log.record(channel="t", user_id=1, reply=reply("first"), latency_ms=1)
    blocker = sqlite3.connect(db_path, isolation_level=None)
    try:
        blocker.execute("begin immediate")
        with caplog.at_level(logging.WARNING, logger="jinshui_qa.storage.question_log"):
            log.record(channel="t", user_id=1, reply=reply("while locked"), latency_ms=1)  # does not raise
            started = time.monotonic()
            log.record(channel="t", user_id=1, reply=reply("still locked"), latency_ms=1)
            assert time.monotonic() - started < 0.04  # queued without waiting for the lock again
        assert caplog.text.count("database is locked") == 1
        assert len(log.pending) == 2
        blocker.execute("rollback")
    finally:
        blocker.close()
    now[0] += 1
    log.record(channel="t", user_id=1, reply=reply("free again"), latency_ms=1)
    assert len(log.pending) == 3  # still waiting out the retry delay
    now[0] += 5
    log.record(channel="t", user_id=1, reply=reply("later"), latency_ms=1)
    assert not log.pending
    assert "writing to" in caplog.text and "again (4 row(s) caught up)" in caplog.text
    log.close()
    questions = ["first", "while locked", "still locked", "free again", "later"]
    assert [r.question for r in read_questions(db_path)] == questions


def test_close_writes_what_is_pending(db_path: Path) -> None:
    log = QuestionLog(db_path, busy_timeout_ms=50)
    log.record(channel="t", user_id=1, reply=reply("first"), latency_ms=1)
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("begin immediate")
    log.record(channel="t", user_id=1, reply=reply("queued"), latency_ms=1)
    blocker.execute("rollback")
    blocker.close()
    log.close()
    assert [r.question for r in read_questions(db_path)] == ["first", "queued"]


def test_disk_full_keeps_rows_in_memory(
    fresh_db: QuestionLog, db_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh_db.record(channel="t", user_id=1, reply=reply("fits"), latency_ms=1)
    full = [True]
    real_open = QuestionLog._open

    def open_on_a_full_disk(self: QuestionLog) -> Database:
        db = real_open(self)
        if full[0]:  # the file may not grow: as good as a full disk
            db.execute(f"pragma max_page_count = {db.execute('pragma page_count').fetchone()[0]}")
        return db

    monkeypatch.setattr(QuestionLog, "_open", open_on_a_full_disk)
    fresh_db._close_db()
    fresh_db.retry_seconds = 0
    with caplog.at_level(logging.WARNING, logger="jinshui_qa.storage.question_log"):
        fresh_db.record(channel="t", user_id=1, reply=reply("x" * 20_000), latency_ms=1)
        fresh_db.record(channel="t", user_id=1, reply=reply("y" * 20_000), latency_ms=1)
    assert "database or disk is full" in caplog.text
    assert len(fresh_db.pending) == 2
    full[0] = False  # space freed
    fresh_db.record(channel="t", user_id=1, reply=reply("after"), latency_ms=1)
    assert not fresh_db.pending
    assert [r.question[:1] for r in read_questions(db_path)] == ["f", "x", "y", "a"]


def test_a_corrupt_file_is_moved_aside(db_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"garbage, not SQLite " * 500)
    with (
        caplog.at_level(logging.WARNING, logger="jinshui_qa.storage.question_log"),
        QuestionLog(db_path) as log,
    ):
        log.record(channel="t", user_id=1, reply=reply("hello"), latency_ms=1)
    assert "not a usable database" in caplog.text
    assert [r.question for r in read_questions(db_path)] == ["hello"]
    assert len(list(db_path.parent.glob("questions.db.corrupt-*"))) == 1


def test_table_dropped_behind_its_back(fresh_db: QuestionLog, db_path: Path) -> None:
    fresh_db.record(channel="t", user_id=1, reply=reply("one"), latency_ms=1)
    other = sqlite3.connect(db_path)
    other.execute("drop table questions")
    other.commit()
    other.close()
    fresh_db.record(channel="t", user_id=1, reply=reply("two"), latency_ms=1)
    assert [r.question for r in read_questions(db_path)] == ["two"]


def test_an_unwritable_place_never_raises(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the data directory should be")
    log = QuestionLog(blocker / "questions.db", salt_path=tmp_path / "salt")
    with caplog.at_level(logging.WARNING, logger="jinshui_qa.storage.question_log"):
        log.record(channel="t", user_id=1, reply=reply(), latency_ms=1)
        log.record(channel="t", user_id=1, reply=reply(), latency_ms=1)
    assert len(log.pending) == 2
    assert caplog.text.count("cannot open") == 1  # said once, not for every message
    log.close()


def test_a_lone_surrogate_does_not_poison_the_batch_and_close_never_raises(db_path: Path) -> None:
    log = QuestionLog(db_path, clock=lambda: T0)
    log.add(
        [
            (T0, "telegram", 1, reply("bad \ud800 text"), 1.0),
            (T0, "telegram", 2, reply("金水区人口有多少"), 1.0),
        ]
    )
    log.record(channel="console", user_id=None, reply=reply("later \x00 question"), latency_ms=1)
    log.close()
    log.close()
    assert [q.question for q in read_questions(db_path)] == [
        "bad ? text",
        "金水区人口有多少",
        "later \ufffd question",
    ]
    assert not log.pending
