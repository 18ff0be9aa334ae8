"""The question log: every question the bot was asked and what it did, in the data directory's SQLite file.

Each row holds the time, channel, a salted SHA-256 hash of the user id (never the raw id or a name),
language, question, status, fact id, topic, score, latency, fallback reason and the offered options.
WAL mode and a busy timeout let the bot write while ``jinshui-qa report`` reads. :meth:`QuestionLog.record`
writes one row at once, :meth:`QuestionLog.add` many in one transaction (the bot's writer thread,
``question_writer``); calls from many threads are serialised on one connection, so none is lost. Neither
raises: when the file is locked or the disk is full, rows wait in memory (a warning says so once) and are
written together a few seconds later; when the file is deleted or corrupted it is recreated. Rows older
than the retention period are pruned once a day.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from jinshui_qa.conversation.assistant import Reply
from jinshui_qa.storage.user_hash import hash_user, load_salt

log = logging.getLogger(__name__)

LOG_FILE = "questions.db"
SALT_FILE = "question_log.salt"
RETENTION_DAYS = 180
MAX_PENDING = 10_000
_DAY = 86_400.0
COLUMNS: dict[str, type] = {
    "id": int, "ts": float, "at": str, "channel": str, "user_hash": str, "lang": str, "question": str,
    "status": str, "fact_id": str, "topic": str, "score": float, "latency_ms": float, "reason": str,
    "options": str, "question_id": str,
}  # fmt: skip
FIELDS = tuple(COLUMNS)[1:]  # a Row holds their values, in this order (the id comes from SQLite)
INSERT = f"insert into questions ({', '.join(FIELDS)}) values ({', '.join('?' for _ in FIELDS)})"
Row = tuple[Any, ...]


@dataclass(frozen=True)
class LoggedQuestion:
    """One row of the log, as the report reads it."""

    ts: float
    channel: str
    user_hash: str | None
    lang: str
    question: str
    status: str
    fact_id: str | None
    topic: str | None
    score: float
    latency_ms: float
    reason: str
    options: tuple[str, ...]
    question_id: str | None = None  # what a vote (storage.feedback) refers to


class QuestionLog:
    """The SQLite question log; implements :class:`jinshui_qa.ports.QuestionRecorder`."""

    def __init__(self, db_path: str | os.PathLike[str], *, salt_path: str | os.PathLike[str] | None = None,
                 retention_days: float = RETENTION_DAYS, busy_timeout_ms: int = 2000,
                 retry_seconds: float = 5.0, clock: Callable[[], float] = time.time) -> None:  # fmt: skip
        self.path = Path(db_path)
        self.salt_path = Path(salt_path) if salt_path else self.path.parent / SALT_FILE
        self.retention_days = retention_days
        self.busy_timeout_ms = busy_timeout_ms
        self.retry_seconds = retry_seconds
        self.clock = clock
        self.pending: deque[Row] = deque(maxlen=MAX_PENDING)
        self.dropped = 0
        self._lock = threading.Lock()
        self._db: Database | None = None
        self._inode: tuple[int, int] | None = None
        self._salt: bytes | None = None
        self._last_prune = 0.0
        self._failing = False
        self._retry_at = 0.0

    @classmethod
    def in_dir(cls, data_dir: str | os.PathLike[str], **kwargs: Any) -> QuestionLog:
        """The log of a data directory: ``questions.db`` with its salt beside it."""
        return cls(Path(data_dir) / LOG_FILE, **kwargs)

    # -- connection -------------------------------------------------------------------------------------
    def _open(self) -> Database:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=self.busy_timeout_ms / 1000, check_same_thread=False)
        try:
            conn.execute(f"pragma busy_timeout = {int(self.busy_timeout_ms)}")
            conn.execute("pragma journal_mode = wal")
            db = Database(conn)
            table = db.table("questions")
            if not table.exists():
                table.create(COLUMNS, pk="id", if_not_exists=True)
                table.create_index(["ts"], if_not_exists=True)
            for name in COLUMNS.keys() - table.columns_dict.keys():  # a log from an older version
                table.add_column(name, COLUMNS[name])
        except BaseException:
            conn.close()
            raise
        stat = self.path.stat()
        self._inode = (stat.st_dev, stat.st_ino)
        return db

    def _connection(self) -> Database:
        """The open connection, reopened when the file was deleted or replaced behind our back."""
        if self._db is not None:
            try:
                stat = self.path.stat()
                same = (stat.st_dev, stat.st_ino) == self._inode
            except OSError:
                same = False
            if not same:
                log.warning("question log: %s was deleted or replaced; recreating it", self.path)
                self._close_db()
        if self._db is None:
            self._db = self._open()
        return self._db

    def _close_db(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def close(self) -> None:
        """Write what is pending (if possible) and close the connection; never raises."""
        with self._lock:
            try:
                if self.pending:
                    self._flush()
            except Exception:  # the rows are counted below; the caller is shutting down
                log.exception("question log: writing the last rows failed")
            if self.pending:
                log.warning("question log: %d row(s) could not be written to %s and are dropped",
                            len(self.pending), self.path)  # fmt: skip
                self.pending.clear()
            self._close_db()

    def __enter__(self) -> QuestionLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------------------
    def user_hash(self, user_id: str | int | None) -> str | None:
        if self._salt is None:
            self._salt = load_salt(self.salt_path)
        return hash_user(self._salt, user_id)

    def record(self, *, channel: str, user_id: str | int | None, reply: Reply, latency_ms: float) -> None:
        """Record one answered message now; never raises (failures are logged and the row kept for later)."""
        self.add([(self.clock(), channel, user_id, reply, latency_ms)])

    def add(self, entries: list[tuple[float, str, str | int | None, Reply, float]]) -> None:
        """Write ``(ts, channel, user_id, reply, latency_ms)`` entries in one transaction; never raises."""
        try:
            rows = [self._as_row(*entry) for entry in entries]
            with self._lock:
                now = self.clock()
                over = len(self.pending) + len(rows) - MAX_PENDING  # beyond that the oldest rows go
                if over > 0 and (self.dropped == 0 or self.dropped // 1000 != (self.dropped + over) // 1000):
                    log.warning("question log: %d row(s) dropped while %s is unwritable",
                                self.dropped + over, self.path)  # fmt: skip
                self.dropped += max(0, over)
                self.pending.extend(rows)
                if self.pending and now >= self._retry_at:  # after a failure, rows queue up for a while
                    self._flush()
                if now - self._last_prune > _DAY and not self.pending:
                    self._prune(now)
        except Exception:  # the log must never take the bot down
            log.exception("question log: could not record a question")

    def _as_row(self, ts: float, channel: str, user: str | int | None, reply: Reply, ms: float) -> Row:
        at = dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="seconds")
        options = json.dumps([o.fact_id for o in reply.options]) if reply.options else None
        return (ts, at, channel, self._safe_hash(user), reply.lang, _text(reply.question), reply.status,
                reply.fact_id, reply.topic, float(reply.score), round(float(ms), 2),
                reply.reason or None, options, reply.question_id)  # fmt: skip

    def _safe_hash(self, user_id: str | int | None) -> str | None:
        try:
            return self.user_hash(user_id)
        except OSError as exc:  # no salt, no hash: never fall back to the raw id
            log.warning("question log: cannot read or create the salt %s (%s)", self.salt_path, exc)
            return None

    def _flush(self) -> None:
        rows = list(self.pending)
        for attempt in (1, 2):
            try:
                db = self._connection()
                with db.conn:
                    db.conn.executemany(INSERT, rows)
            except sqlite3.DatabaseError as exc:
                self._close_db()
                if attempt == 1 and _is_corrupt(exc) and self.path.exists():
                    aside = self.path.with_name(f"{self.path.name}.corrupt-{int(self.clock())}")
                    log.warning(
                        "question log: %s is not a usable database (%s); moved to %s", self.path, exc, aside
                    )
                    with contextlib.suppress(OSError):
                        os.replace(self.path, aside)
                    continue
                if attempt == 1 and "no such table" in str(exc):  # dropped behind our back: reopen, recreate
                    continue
                self._fail(f"cannot write to {self.path} ({exc})", len(rows))
                return
            except OSError as exc:
                self._close_db()
                self._fail(f"cannot open {self.path} ({exc})", len(rows))
                return
            self.pending.clear()
            if self._failing:
                log.warning("question log: writing to %s again (%d row(s) caught up)", self.path, len(rows))
            self._failing = False
            return

    def _fail(self, what: str, rows: int) -> None:
        """Say so once per outage; keep the rows and wait ``retry_seconds`` before trying again."""
        if not self._failing:
            log.warning("question log: %s; keeping %d row(s) in memory and retrying later", what, rows)
        self._failing = True
        self._retry_at = self.clock() + self.retry_seconds

    def prune(self, days: float | None = None) -> int:
        """Delete rows older than ``days`` (default: the retention period); returns how many."""
        with self._lock:
            return self._prune(self.clock(), days)

    def _prune(self, now: float, days: float | None = None) -> int:
        cutoff = now - _DAY * (self.retention_days if days is None else days)
        try:
            db = self._connection()
            with db.conn:
                deleted = db.execute("delete from questions where ts < ?", [cutoff]).rowcount
        except (sqlite3.DatabaseError, OSError) as exc:
            log.warning("question log: could not prune %s (%s)", self.path, exc)
            return 0
        self._last_prune = now
        return int(deleted)


def _text(value: str) -> str:
    """``value`` as SQLite can store it: lone surrogates and NULs replaced (one such row spoiled a batch)."""
    return value.encode("utf-8", "replace").decode("utf-8").replace("\0", "\ufffd")


def _is_corrupt(exc: sqlite3.DatabaseError) -> bool:
    return any(sign in str(exc).lower() for sign in ("not a database", "malformed"))


def read_questions(
    db_path: str | os.PathLike[str], since: float = 0.0, until: float | None = None
) -> list[LoggedQuestion]:
    """Logged questions with ``since <= ts < until``, oldest first; empty when there is no log yet."""
    path = Path(db_path)
    if not path.is_file():
        return []
    with contextlib.closing(sqlite3.connect(path, timeout=5.0)) as conn:
        db = Database(conn)
        if not db.table("questions").exists():
            return []
        sql = "select * from questions where ts >= ? and ts < ? order by ts, id"
        return [_row(r) for r in db.query(sql, [since, until if until is not None else float("inf")])]


def _row(r: dict[str, Any]) -> LoggedQuestion:
    options = tuple(json.loads(r["options"])) if r.get("options") else ()
    return LoggedQuestion(float(r["ts"]), r["channel"] or "", r["user_hash"], r["lang"] or "",
                          r["question"] or "", r["status"] or "", r["fact_id"], r["topic"],
                          float(r["score"] or 0.0), float(r["latency_ms"] or 0.0), r["reason"] or "",
                          options, r.get("question_id"))  # fmt: skip
