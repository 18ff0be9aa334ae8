"""The question log: what a row holds, privacy, retention, concurrent writers, and surviving faults."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import sqlite3
import stat
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from sqlite_utils import Database

from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.ports import QuestionRecorder
from jinshui_qa.storage.question_log import QuestionLog, read_questions
from tests.conftest import TEST_HASH_KEY
from tests.support.concurrency import WORKERS, expected_questions, write_from_threads
from tests.support.district import reply

T0 = 1_764_288_000.0


def count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("select count(*) from questions").fetchone()[0])
    finally:
        conn.close()


def test_a_row_holds_the_reply_and_a_keyed_hash(
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


def test_the_hash_is_keyed_and_the_files_are_private(db_path: Path) -> None:
    with QuestionLog(db_path) as log:
        log.record(channel="t", user_id=42, reply=reply(), latency_ms=1)
        first = log.user_hash(42)
        for suffix in ("", "-wal", "-shm"):  # while it is open: SQLite removes the WAL files on close
            assert stat.S_IMODE(Path(f"{db_path}{suffix}").stat().st_mode) == 0o600, suffix
    assert first == hmac.new(TEST_HASH_KEY.encode(), b"42", hashlib.sha256).hexdigest()
    assert first != hashlib.sha256(b"42").hexdigest()
    assert stat.S_IMODE(db_path.parent.stat().st_mode) == 0o700  # the data directory was created here
    assert [p.name for p in db_path.parent.iterdir() if "salt" in p.name or "key" in p.name] == []
    other = QuestionLog(db_path.parent / "elsewhere" / "questions.db")
    assert other.user_hash(42) == first  # the key is not the data directory's: the same user, the same hash
    other.close()


def test_an_old_database_readable_by_others_is_tightened(db_path: Path) -> None:
    db_path.parent.mkdir()
    sqlite3.connect(db_path).close()
    db_path.chmod(0o644)
    with QuestionLog(db_path) as log:
        log.record(channel="t", user_id=1, reply=reply(), latency_ms=1)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


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

    def write(log: QuestionLog, worker: int, n: int) -> None:
        log.record(channel="t", user_id=worker, reply=reply(f"q{worker}-{n}"), latency_ms=n)

    errors = write_from_threads((shared, second), write)
    shared.close()
    second.close()
    assert not errors
    questions = [r.question for r in read_questions(db_path)]
    assert sorted(questions) == sorted(q for w in range(WORKERS) for q in expected_questions(w))


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
    log = QuestionLog(blocker / "questions.db")
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
        "bad \ufffd text",
        "金水区人口有多少",
        "later \ufffd question",
    ]
    assert not log.pending


def test_every_text_field_is_cleaned_and_a_bad_row_is_dropped_alone(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    log = QuestionLog(db_path, clock=lambda: T0)
    spoiled = replace(reply("ok"), reason="not_covered:\udcff", topic="t\ud800", fact_id="f\x00")
    unstorable = replace(reply("a score that is no number"), score=object())  # type: ignore[arg-type]
    with caplog.at_level(logging.WARNING, logger="jinshui_qa.storage.question_log"):
        log.add([(T0, "web", "\udcfe client", spoiled, 1.0), (T0, "t", 1, unstorable, 1.0),
                 (T0, "t", 2, reply("fine"), 1.0)])  # fmt: skip
        log.record(channel="t", user_id=3, reply=reply("next"), latency_ms=1)
        log.close()
    rows = read_questions(db_path)
    assert [r.question for r in rows] == ["ok", "fine", "next"]
    assert (rows[0].reason, rows[0].topic, rows[0].fact_id) == ("not_covered:\ufffd", "t\ufffd", "f\ufffd")
    assert rows[0].user_hash and len(rows[0].user_hash) == 64
    assert log.refused == 1 and not log.pending
    assert caplog.text.count("1 row(s) could not be stored") == 1
    assert len(caplog.records) == 1  # nothing else went wrong: no batch failed, nothing dropped at close


def test_a_row_sqlite_cannot_bind_is_dropped_alone(db_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    log = QuestionLog(db_path, clock=lambda: T0)
    huge = replace(reply("a huge number"), question_id=2**70)  # type: ignore[arg-type]
    with caplog.at_level(logging.WARNING, logger="jinshui_qa.storage.question_log"):
        log.add(
            [(T0, "t", 1, reply("before"), 1.0), (T0, "t", 1, huge, 1.0), (T0, "t", 1, reply("after"), 1.0)]
        )
        log.record(channel="t", user_id=1, reply=reply("later"), latency_ms=1)
    log.close()
    assert [r.question for r in read_questions(db_path)] == ["before", "after", "later"]
    assert log.refused == 1 and caplog.text.count("could not be stored (OverflowError") == 1


def test_close_waits_a_bounded_time_for_another_writer(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    log = QuestionLog(db_path, busy_timeout_ms=50, close_seconds=1.0)
    log.record(channel="t", user_id=1, reply=reply("first"), latency_ms=1)
    blocker = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    blocker.execute("begin immediate")
    log.record(channel="t", user_id=1, reply=reply("queued"), latency_ms=1)
    release = threading.Timer(0.4, lambda: blocker.execute("rollback"))
    release.start()
    log.close()  # the lock goes after 0.4 s: close keeps trying and writes the row
    release.join()
    assert [r.question for r in read_questions(db_path)] == ["first", "queued"]
    blocker.execute("begin immediate")  # now held for good: close gives up after its bound, says how many
    again = QuestionLog(db_path, busy_timeout_ms=50, close_seconds=0.5)
    with caplog.at_level(logging.WARNING, logger="jinshui_qa.storage.question_log"):
        for n in range(3):
            again.record(channel="t", user_id=1, reply=reply(f"lost {n}"), latency_ms=1)
        started = time.monotonic()
        again.close()
    assert 0.4 < time.monotonic() - started < 3
    blocker.execute("rollback")
    blocker.close()
    assert caplog.text.count("3 row(s) could not be written") == 1 and "dropped" in caplog.text


def test_an_unwritable_data_directory_warns_once(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.delenv("JQA_HASH_KEY")  # and no key either: the hash is left out, said once
    monkeypatch.setenv("XDG_CONFIG_HOME", str(unwritable(tmp_path)))
    log = QuestionLog(unwritable(tmp_path) / "data" / "questions.db", retry_seconds=0)
    with caplog.at_level(logging.WARNING, logger="jinshui_qa"):
        for _ in range(20):
            log.record(channel="t", user_id=1, reply=reply(), latency_ms=1)
        log.close()
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 3, warnings  # no key, cannot open, and at close the 20 rows dropped
    assert "without a user hash" in warnings[0] and "cannot open" in warnings[1]
    assert "20 row(s) could not be written" in warnings[2]


def unwritable(tmp_path: Path) -> Path:
    """A directory this process cannot write in (root may write anywhere but /proc)."""
    if os.geteuid() == 0:
        return Path("/proc/jinshui-qa-test")
    place = tmp_path / "read-only"
    place.mkdir(exist_ok=True)
    place.chmod(0o500)
    return place
