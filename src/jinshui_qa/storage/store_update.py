"""A reload's change to the SQLite fact store: the rows of the facts that changed, not the whole file.

:func:`~jinshui_qa.storage.fact_store.build_store` writes every row of every fact (folding each
phrasing, spelling each text's character pairs): at 10,000 facts 19.7 s of CPU, which a bot paid after
every reload, holding the interpreter while it answered questions. :func:`update_store` takes the base
the store holds and the new one and, in one transaction (a reader sees the old store or the new one),
deletes the rows of each fact that left or changed and inserts those of each fact that came or changed;
the full-text indexes follow through their triggers. Facts are compared by identity first (a reload
keeps the objects of the files it did not read again), then by equality.

A store that does not hold ``old`` (another fingerprint, an older schema, no triggers, unreadable) is
built whole instead. Raises :class:`~jinshui_qa.errors.StoreError` as ``build_store`` does.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from jinshui_qa.errors import StoreError
from jinshui_qa.facts.schema import Fact, FactBase
from jinshui_qa.storage.fact_store import (
    SCHEMA_VERSION,
    _database,
    base_rows,
    build_store,
    fact_rows,
    read_meta,
)

_BY_FACT = (("phrasings", "fact_id"), ("keywords", "fact_id"), ("figures", "fact_id"), ("words", "fact_id"))
_TRIGGERS = ("words_ai", "words_ad", "phrasings_ai", "phrasings_ad")


def changed_facts(old: FactBase, new: FactBase) -> tuple[set[str], list[Fact]]:
    """The ids whose rows go (facts of ``old`` not in ``new`` as they are) and the facts whose rows
    come (facts of ``new`` not in ``old`` as they are). Only the facts between the runs both share at
    their ends are looked at (a snapshot's records outside them are not made: facts/runs.py)."""
    from jinshui_qa.facts.runs import shared_ends

    lo, end = shared_ends(old.facts, new.facts)
    olds, news = old.facts[lo : len(old.facts) - end], new.facts[lo : len(new.facts) - end]
    kept = {id(f) for f in olds}
    came = [f for f in news if id(f) not in kept]
    now = {id(f) for f in news}
    left = {f.id: f for f in olds if id(f) not in now}
    equal = {f.id for f in came if left.get(f.id) == f}  # read again, but equal: its rows stay
    came = [f for f in came if f.id not in equal]
    return (set(left) - equal) | {f.id for f in came}, came


def update_store(old: FactBase, new: FactBase, db_path: str | os.PathLike[str]) -> bool:
    """Bring the store at ``db_path``, built from ``old``, to ``new``; True when updated in place,
    False when it was built whole (it did not hold ``old``)."""
    path = Path(db_path)
    meta = read_meta(path)
    if meta.get("schema") != SCHEMA_VERSION or meta.get("fingerprint") != old.fingerprint:
        build_store(new, path)
        return False
    gone, came = changed_facts(old, new)
    rows = fact_rows(came) | base_rows(new)
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    rows["meta"] = [{"key": "fingerprint", "value": new.fingerprint}, {"key": "built_at", "value": stamp},
                    {"key": "signature", "value": ""}]  # fmt: skip
    try:
        with _database(path) as db:
            names = {row[0] for row in db.execute("select name from sqlite_master where type = 'trigger'")}
            if not set(_TRIGGERS if meta.get("fts") == "trigram" else _TRIGGERS[:2]) <= names:
                raise sqlite3.DatabaseError("full-text indexes without triggers")
            conn = db.conn
            with conn:  # one transaction: a reader sees the old store or the new one
                ids = sorted(gone)
                for at in range(0, len(ids), 500):
                    chunk = ids[at : at + 500]
                    marks = ",".join("?" * len(chunk))
                    for table, column in (*_BY_FACT, ("facts", "id")):
                        conn.execute(f"delete from [{table}] where [{column}] in ({marks})", chunk)
                conn.execute("delete from topics")
                conn.execute("delete from sources")
                conn.execute("delete from meta where key in ('fingerprint', 'built_at', 'signature')")
                for table in (
                    "topics",
                    "sources",
                    "facts",
                    "phrasings",
                    "keywords",
                    "figures",
                    "words",
                    "meta",
                ):
                    if rows[table]:
                        columns = list(rows[table][0])
                        sql = (f"insert into [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
                               f"values ({', '.join('?' * len(columns))})")  # fmt: skip
                        conn.executemany(sql, ([row[c] for c in columns] for row in rows[table]))
    except sqlite3.DatabaseError:  # damaged, or not ours: built whole
        build_store(new, path)
        return False
    except OSError as exc:
        raise StoreError(f"cannot write the fact store {path}: {exc.strerror or exc}") from None
    return True
