"""Votes on answers (👍/👎 and an optional comment), in the question log's SQLite file, table ``feedback``.

A vote refers to a logged question by its ``question_id`` (``Reply.question_id``, a random 32-hex id the
adapter sets before it records the reply). One vote per question and voter: voting again replaces the
earlier vote. The voter is stored as a keyed hash (the question log's ``user_hash``), never a raw id or
address. :meth:`FeedbackLog.vote` raises :class:`~jinshui_qa.errors.StoreError` when the file cannot be
written (the adapters say so politely); :func:`read_votes` and :func:`tallies` are what ``report`` reads.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from jinshui_qa.errors import StoreError
from jinshui_qa.storage.private_files import private_db
from jinshui_qa.storage.question_log import LOG_FILE, QuestionLog
from jinshui_qa.storage.question_rows import clean_row
from jinshui_qa.storage.question_writer import BackgroundQuestionLog

Vote = Literal["up", "down"]
VOTES: tuple[Vote, ...] = ("up", "down")
MAX_COMMENT = 500
Hasher = Callable[[str | int | None], str | None]
_SCHEMA = """
create table if not exists feedback (
    id integer primary key, ts float not null, at text not null, question_id text not null,
    channel text not null, voter_hash text not null default '', vote text not null, comment text,
    unique (question_id, voter_hash)
);
create index if not exists feedback_ts on feedback (ts);
"""
_UPSERT = """insert into feedback (ts, at, question_id, channel, voter_hash, vote, comment)
values (?, ?, ?, ?, ?, ?, ?) on conflict (question_id, voter_hash)
do update set ts = excluded.ts, at = excluded.at, vote = excluded.vote, comment = excluded.comment"""


def new_question_id() -> str:
    """A fresh question id: 32 random hex digits (unguessable, so only the asker can vote on it)."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class LoggedVote:
    """One vote as stored."""

    ts: float
    question_id: str
    channel: str
    vote: Vote
    comment: str | None


@dataclass
class Tally:
    """Every vote on one question."""

    up: int = 0
    down: int = 0
    comments: list[str] = field(default_factory=list)

    @property
    def marked_wrong(self) -> bool:
        """More down-votes than up-votes."""
        return self.down > self.up


class FeedbackLog:
    """Writes votes into ``db_path`` (the question log's file); safe to call from several threads."""

    def __init__(self, db_path: str | os.PathLike[str], *, hasher: Hasher | None = None,
                 busy_timeout_ms: int = 2000, clock: Callable[[], float] = time.time) -> None:  # fmt: skip
        self.path = Path(db_path)
        self.hasher = hasher
        self.busy_timeout_ms = busy_timeout_ms
        self.clock = clock
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    @classmethod
    def in_dir(cls, data_dir: str | os.PathLike[str], **kwargs: Any) -> FeedbackLog:
        return cls(Path(data_dir) / LOG_FILE, **kwargs)

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None or not self.path.exists():
            self.close()
            private_db(self.path)  # owner-only, as the question log
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout_ms / 1000, check_same_thread=False)
            try:
                conn.execute("pragma journal_mode = wal")
                conn.executescript(_SCHEMA)
                columns = {row[1] for row in conn.execute("pragma table_info(questions)")}
                if "question_id" in columns:
                    conn.execute("create index if not exists questions_qid on questions (question_id)")
            except sqlite3.Error:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def vote(self, *, question_id: str, vote: Vote, channel: str, voter: str | int | None = None,
             comment: str | None = None) -> None:  # fmt: skip
        """Store (or replace) ``voter``'s vote on ``question_id``; raises StoreError when it cannot."""
        if vote not in VOTES:
            raise ValueError(f"vote must be one of {VOTES}, not {vote!r}")
        voter_hash = (self.hasher(voter) if self.hasher is not None and voter is not None else None) or ""
        text = (comment or "").strip()[:MAX_COMMENT] or None
        now = self.clock()
        at = dt.datetime.fromtimestamp(now, dt.UTC).isoformat(timespec="seconds")
        with self._lock:
            try:
                conn = self._connection()
                with conn:
                    conn.execute(_UPSERT, clean_row((now, at, question_id, channel, voter_hash, vote, text)))
            except (sqlite3.Error, OSError) as exc:
                self.close()
                raise StoreError(f"cannot store the vote in {self.path} ({exc})") from None

    def question(self, question_id: str) -> dict[str, Any] | None:
        """The logged question with this id (question, status, fact_id, channel, lang), or None."""
        with self._lock:
            try:
                conn = self._connection()
                conn.row_factory = sqlite3.Row
                row = conn.execute(
                    "select question, status, fact_id, channel, lang from questions where question_id = ?",
                    (question_id,),
                ).fetchone()
            except sqlite3.OperationalError as exc:
                if "no such" in str(exc):  # no question logged yet (or an old log without ids)
                    return None
                self.close()
                raise StoreError(f"cannot read {self.path} ({exc})") from None
            except (sqlite3.Error, OSError) as exc:
                self.close()
                raise StoreError(f"cannot read {self.path} ({exc})") from None
        return dict(row) if row is not None else None

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None


def feedback_for(recorder: object) -> FeedbackLog | None:
    """A FeedbackLog beside a question recorder's file, hashing voters with its key (None for fakes)."""
    log = recorder.log if isinstance(recorder, BackgroundQuestionLog) else recorder
    if not isinstance(log, QuestionLog):
        return None
    return FeedbackLog(log.path, hasher=log.user_hash)


def read_votes(
    db_path: str | os.PathLike[str], since: float = 0.0, until: float | None = None
) -> list[LoggedVote]:
    """Votes cast with ``since <= ts < until``, oldest first; empty when there are none (or no file)."""
    path = Path(db_path)
    if not path.is_file():
        return []
    end = until if until is not None else float("inf")
    with contextlib.closing(sqlite3.connect(path, timeout=5.0)) as conn:
        try:
            rows = conn.execute(
                "select ts, question_id, channel, vote, comment from feedback where ts >= ? and ts < ? "
                "order by ts, id",
                (since, end),
            ).fetchall()
        except sqlite3.OperationalError:  # no feedback table yet
            return []
    return [LoggedVote(float(ts), qid, channel, vote, comment) for ts, qid, channel, vote, comment in rows]


def tallies(votes: list[LoggedVote]) -> dict[str, Tally]:
    """Votes counted per question id."""
    out: dict[str, Tally] = {}
    for v in votes:
        tally = out.setdefault(v.question_id, Tally())
        if v.vote == "up":
            tally.up += 1
        else:
            tally.down += 1
        if v.comment:
            tally.comments.append(v.comment)
    return out
