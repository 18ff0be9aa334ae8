"""The question log: every question the bot was asked and what it did, in the data directory's SQLite file.

Each row holds the time, channel, a keyed hash of the user id (HMAC-SHA256, key outside the data directory:
``user_hash``; never the raw id or a name), language, question, status, fact id, topic, score, latency,
fallback reason and the offered options. The file is readable by its owner only (``private_files``).
WAL mode and a busy timeout let the bot write while ``jinshui-qa report`` reads. :meth:`QuestionLog.record`
writes one row at once, :meth:`QuestionLog.add` many in one transaction (the bot's writer thread,
``question_writer``); calls from many threads are serialised on one connection, so none is lost. Neither
raises: when the file is locked, read-only or the disk is full, rows wait in memory (a warning says so once
per outage) and are written together a few seconds later; when the file is deleted or corrupted it is
recreated. A row that cannot be stored at all is dropped alone, never its batch, and counted in one
warning. :meth:`QuestionLog.close` keeps trying for ``close_seconds`` and then says exactly how many rows
it drops. Rows older than the retention period are pruned once a day.
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
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from jinshui_qa.conversation.assistant import Reply
from jinshui_qa.errors import ConfigError
from jinshui_qa.storage.private_files import private_db
from jinshui_qa.storage.question_rows import COLUMNS, INSERT, LoggedQuestion, Row, clean_row, read_questions
from jinshui_qa.storage.user_hash import UserHasher, load_hasher, retire_salt

__all__ = ["LOG_FILE", "RETENTION_DAYS", "LoggedQuestion", "QuestionLog", "read_questions"]
log = logging.getLogger(__name__)

LOG_FILE = "questions.db"
RETENTION_DAYS = 180
MAX_PENDING = 10_000
_DAY = 86_400.0
Entry = tuple[float, str, str | int | None, Reply, float]


class QuestionLog:
    """The SQLite question log; implements :class:`jinshui_qa.ports.QuestionRecorder`."""

    def __init__(self, db_path: str | os.PathLike[str], *, hasher: UserHasher | None = None,
                 retention_days: float = RETENTION_DAYS, busy_timeout_ms: int = 2000, retry_seconds: float = 5.0,
                 close_seconds: float = 5.0, clock: Callable[[], float] = time.time) -> None:  # fmt: skip
        """``hasher``: the keyed user hash (default: :func:`user_hash.load_hasher` for the data directory,
        on first use); ``close_seconds``: how long :meth:`close` keeps trying to write what is pending."""
        self.path = Path(db_path)
        self.hasher = hasher
        self.retention_days = retention_days
        self.busy_timeout_ms = busy_timeout_ms
        self.retry_seconds = retry_seconds
        self.close_seconds = close_seconds
        self.clock = clock
        self.pending: deque[Row] = deque(maxlen=MAX_PENDING)
        self.dropped = 0  # rows pushed out of a full queue while the file could not be written
        self.refused = 0  # rows that could not be stored at all (dropped alone, never their batch)
        self._lock = threading.Lock()
        self._db: Database | None = None
        self._inode: tuple[int, int] | None = None
        self._no_hasher = False  # the key could not be loaded (said once; rows keep no user hash)
        self._last_prune = 0.0
        self._failing = False
        self._locked = False  # the last failure was another connection's lock: worth waiting for at close
        self._last_failure = f"cannot write to {self.path}"
        self._retry_at = 0.0

    @classmethod
    def in_dir(cls, data_dir: str | os.PathLike[str], **kwargs: Any) -> QuestionLog:
        """The log of a data directory: ``questions.db``."""
        return cls(Path(data_dir) / LOG_FILE, **kwargs)

    # -- connection -------------------------------------------------------------------------------------
    def _open(self) -> Database:
        private_db(self.path)  # 0600 in a 0700 directory when created here; -wal and -shm follow
        retire_salt(self.path.parent)
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
        """Write what is pending, trying again for up to ``close_seconds`` (another connection may hold the
        write lock), then close the connection; the rows still unwritten are counted in one warning.
        Never raises."""
        with self._lock:
            deadline = time.monotonic() + self.close_seconds
            while self.pending:
                try:
                    self._flush()
                except Exception:  # the rows are counted below; the caller is shutting down
                    log.exception("question log: writing the last rows failed")
                    break
                if not self.pending or not self._locked or time.monotonic() >= deadline:
                    break
                time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
            if self.pending:
                waited = f", still locked after {self.close_seconds:g} s" if self._locked else ""
                log.warning("question log: %d row(s) could not be written (%s%s) and are dropped",
                            len(self.pending), self._last_failure, waited)  # fmt: skip
                self.pending.clear()
            with contextlib.suppress(Exception):
                self._close_db()

    def __enter__(self) -> QuestionLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------------------
    def user_hash(self, user_id: str | int | None) -> str | None:
        """The keyed hash stored for ``user_id`` (64 hex digits; None for no user). Raises ConfigError when
        no key can be loaded (:mod:`jinshui_qa.storage.user_hash`)."""
        if self.hasher is None:
            self.hasher = load_hasher(self.path.parent)
        return self.hasher(user_id)

    def record(self, *, channel: str, user_id: str | int | None, reply: Reply, latency_ms: float) -> None:
        """Record one answered message now; never raises (failures are logged and the row kept for later)."""
        self.add([(self.clock(), channel, user_id, reply, latency_ms)])

    def add(self, entries: list[Entry]) -> None:
        """Write ``(ts, channel, user_id, reply, latency_ms)`` entries in one transaction; never raises."""
        try:
            rows = self._rows(entries)
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

    def _rows(self, entries: list[Entry]) -> list[Row]:
        """The entries as rows; one that cannot be made into a row is dropped alone (and counted)."""
        rows: list[Row] = []
        for entry in entries:
            try:
                rows.append(self._as_row(*entry))
            except Exception as exc:
                self._bad_rows(1, exc)
        return rows

    def _as_row(self, ts: float, channel: str, user: str | int | None, reply: Reply, ms: float) -> Row:
        at = dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="seconds")
        options = json.dumps([o.fact_id for o in reply.options]) if reply.options else None
        return clean_row((ts, at, channel, self._safe_hash(user), reply.lang, reply.question, reply.status,
                          reply.fact_id, reply.topic, float(reply.score), round(float(ms), 2),
                          reply.reason or None, options, reply.question_id))  # fmt: skip

    def _safe_hash(self, user_id: str | int | None) -> str | None:
        if self._no_hasher:
            return None
        try:
            return self.user_hash(user_id)
        except ConfigError as exc:  # no key, no hash: never fall back to the raw id; said once
            self._no_hasher = True
            log.warning("question log: rows are kept without a user hash: %s", exc)
            return None

    def _bad_rows(self, count: int, exc: BaseException) -> None:
        self.refused += count
        log.warning("question log: %d row(s) could not be stored (%s: %s) and are dropped; the others are kept",
                    count, type(exc).__name__, str(exc)[:200])  # fmt: skip

    def _insert(self, db: Database, rows: list[Row]) -> None:
        """All rows in one transaction; when a row is refused for itself (not the database), the rows are
        inserted one by one and only the refused ones are dropped."""
        try:
            with db.conn:
                db.conn.executemany(INSERT, rows)
            return
        except sqlite3.DatabaseError:
            raise
        except Exception:  # one row is at fault (a value SQLite cannot bind): find it
            pass
        bad: list[BaseException] = []
        with db.conn:
            for row in rows:
                try:
                    db.conn.execute(INSERT, row)
                except sqlite3.DatabaseError:
                    raise
                except Exception as exc:
                    bad.append(exc)
        if bad:
            self._bad_rows(len(bad), bad[0])

    def _flush(self) -> None:
        rows = list(self.pending)
        for attempt in (1, 2):
            try:
                db = self._connection()
                self._insert(db, rows)
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
            self._locked = False
            if self._failing:
                log.warning("question log: writing to %s again (%d row(s) caught up)", self.path, len(rows))
            self._failing = False
            return

    def _fail(self, what: str, rows: int) -> None:
        """Say so once per outage; keep the rows and wait ``retry_seconds`` before trying again."""
        self._locked = "locked" in what or "busy" in what
        self._last_failure = what
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


def _is_corrupt(exc: sqlite3.DatabaseError) -> bool:
    return any(sign in str(exc).lower() for sign in ("not a database", "malformed"))
