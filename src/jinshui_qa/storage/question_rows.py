"""The question log's rows: the table's columns, text made storable, and reading rows back for ``report``.

:func:`clean` turns any value SQLite cannot store as UTF-8 text into one it can: lone surrogates (from
bytes that were not UTF-8, or a JSON ``"\\ud800"``) become U+FFFD, NUL becomes U+FFFD. Every text field of
a row goes through it, not only the question, so no field a user can influence spoils a batch.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from jinshui_qa.text import lazy_re

COLUMNS: dict[str, type] = {
    "id": int, "ts": float, "at": str, "channel": str, "user_hash": str, "lang": str, "question": str,
    "status": str, "fact_id": str, "topic": str, "score": float, "latency_ms": float, "reason": str,
    "options": str, "question_id": str,
}  # fmt: skip
FIELDS = tuple(COLUMNS)[1:]  # a Row holds their values, in this order (the id comes from SQLite)
INSERT = f"insert into questions ({', '.join(FIELDS)}) values ({', '.join('?' for _ in FIELDS)})"
Row = tuple[Any, ...]
_UNSTORABLE = lazy_re.compile("[\0\ud800-\udfff]")


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


def clean(value: Any) -> Any:
    """A text value as SQLite can store it (lone surrogates and NUL replaced); other values unchanged."""
    if not isinstance(value, str):
        return value
    return _UNSTORABLE.sub("\ufffd", value)


def clean_row(row: Row) -> Row:
    """Every text field of ``row`` cleaned."""
    return tuple(clean(value) for value in row)


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
