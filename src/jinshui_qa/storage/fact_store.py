"""The fact base as an SQLite file (``jinshui-qa build``), for the sqlite-utils CLI, Datasette and tools.

Tables: ``facts``, ``topics``, ``phrasings``, ``keywords``, ``figures``, ``sources``, ``words`` and
``meta``. Two full-text indexes find unsegmented Chinese: ``phrasings`` carries a trigram FTS5 index
(``phrasings_fts``) that matches any substring of three characters or more; a trigram index cannot match
two characters, so ``words`` holds every phrasing, keyword, title and answer with its characters and
character pairs spelled out as tokens (``bigrams``), under a plain ``unicode61`` FTS5 index
(``words_fts``): ``sqlite-utils search facts.db words 院士`` and Datasette's search box on ``words`` find
two-character words (院士, 高企); ``sqlite-utils search facts.db phrasings 科技型企业`` longer ones. The file is written next to its destination and moved into
place, so a reader never sees a half-built store. :func:`ensure_store` rebuilds it only when the YAML
changed (a cheap stat signature first, then the fact base fingerprint).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from jinshui_qa.errors import StoreError
from jinshui_qa.facts.loader import load
from jinshui_qa.facts.schema import Fact, FactBase
from jinshui_qa.storage.private_files import private_db, private_dir
from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import fold

STORE_FILE = "facts.db"
SCHEMA_VERSION = "3"  # 3: the full-text indexes kept current by triggers
_CJK_RUN = lazy_re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


@dataclass(frozen=True)
class StoreInfo:
    """What :func:`build_store` wrote."""

    path: Path
    fingerprint: str
    facts: int
    phrasings: int
    keywords: int
    figures: int
    topics: int
    fts: bool

    def summary(self) -> str:
        counts = f"{self.facts} facts, {self.phrasings} phrasings, {self.keywords} keywords"
        return (
            f"built {self.path}: {counts}, {self.figures} figures, {self.topics} topics ({self.fingerprint})"
        )


def facts_signature(directory: Path) -> str:
    """A cheap signature of the YAML files (names, sizes, modification and change times, inodes): changes
    on any edit, also one that puts the modification time back (the change time cannot be set)."""
    parts = []
    for path in sorted(directory.glob("*.yaml")):
        with contextlib.suppress(OSError):
            stat = path.stat()
            parts.append(
                f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\0{stat.st_ino}"
            )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


@contextlib.contextmanager
def _database(path: Path) -> Iterator[Database]:
    db = Database(path)
    try:
        yield db
    finally:
        db.close()


def bigram_tokens(text: str) -> str:
    """``text`` as space-separated tokens for ``words_fts``: each Chinese character and each pair of
    neighbouring characters, as written and folded, plus the Latin words (二手房 -> 二 手 房 二手 手房 ...)."""
    tokens: list[str] = []
    for form in (text.lower(), fold(text)):  # as written (二手) and folded (金水區 -> 金水区, 二 -> 2)
        for run in _CJK_RUN.findall(form):
            tokens += [*run, *(run[i : i + 2] for i in range(len(run) - 1))]
        tokens += _CJK_RUN.sub(" ", form).split()
    return " ".join(dict.fromkeys(tokens))


def _words(fact: Any) -> list[dict[str, Any]]:
    texts = [("title", "zh", fact.title.zh), ("title", "en", fact.title.en),
             ("answer", "zh", fact.answer.zh), ("answer", "en", fact.answer.en),
             *(("question", "zh", q) for q in fact.questions_zh), *(("question", "en", q) for q in fact.questions_en),
             *(("keyword", "", k) for k in dict.fromkeys(fact.keywords))]  # fmt: skip
    return [{"fact_id": fact.id, "field": field, "lang": lang, "text": text, "bigrams": bigram_tokens(text)}
            for field, lang, text in texts]  # fmt: skip


def _rows(base: FactBase) -> dict[str, list[dict[str, Any]]]:
    return fact_rows(base.facts) | base_rows(base)


def fact_rows(of: Iterable[Fact]) -> dict[str, list[dict[str, Any]]]:
    """The rows of the tables keyed by fact (``facts``, ``phrasings``, ``keywords``, ``figures``,
    ``words``) for the facts ``of``."""
    facts, phrasings, keywords, figures, words = [], [], [], [], []
    for fact in of:
        facts.append({
            "id": fact.id, "topic": fact.topic, "audience": fact.audience,
            "title_zh": fact.title.zh, "title_en": fact.title.en,
            "subject_zh": fact.subject.zh if fact.subject else None,
            "subject_en": fact.subject.en if fact.subject else None,
            "answer_zh": fact.answer.zh, "answer_en": fact.answer.en, "time": fact.time,
            "report": fact.source.report, "section": fact.source.section,
            "verified": fact.verified.isoformat(), "file": fact.file, "line": fact.line,
            "related": json.dumps(list(fact.related), ensure_ascii=False),
        })  # fmt: skip
        for lang, questions in (("zh", fact.questions_zh), ("en", fact.questions_en)):
            phrasings += [{"fact_id": fact.id, "lang": lang, "text": q, "folded": fold(q)} for q in questions]
        keywords += [
            {"fact_id": fact.id, "keyword": k, "folded": fold(k)} for k in dict.fromkeys(fact.keywords)
        ]
        words += _words(fact)
        for position, figure in enumerate(fact.figures, 1):
            figures.append({"fact_id": fact.id, "position": position, "value": figure.value,
                            "unit": figure.unit, "counts": figure.counts, "share": figure.share,
                            "rank": figure.rank})  # fmt: skip
    return {"facts": facts, "phrasings": phrasings, "keywords": keywords, "figures": figures, "words": words}


def base_rows(base: FactBase) -> dict[str, list[dict[str, Any]]]:
    """The rows of the tables of the whole base (``topics``, ``sources``)."""
    topics = [{"id": t.id, "title_zh": t.title.zh, "title_en": t.title.en, "file": t.file,
               "facts": len(base.facts_of(t.id))} for t in base.topics]  # fmt: skip
    sources = [{"report": r.id, "section": section, "heading": heading, "title": r.title,
                "publisher": r.publisher, "publisher_en": r.publisher_en, "year": r.year,
                "date": r.date or None, "url": r.url or None}
               for r in base.reports.values() for section, heading in r.sections.items()]  # fmt: skip
    return {"topics": topics, "sources": sources}


def _write(db: Database, base: FactBase, signature: str) -> bool:
    rows = _rows(base)
    db.table("topics").insert_all(rows["topics"], pk="id")
    db.table("sources").insert_all(rows["sources"], pk=("report", "section"))
    db.table("facts").insert_all(rows["facts"], pk="id", foreign_keys=[("topic", "topics", "id")])
    fk = [("fact_id", "facts", "id")]
    text_columns = {"id": int, "fact_id": str, "lang": str, "text": str, "folded": str}
    db.table("phrasings").insert_all(rows["phrasings"], pk="id", foreign_keys=fk, columns=text_columns)
    db.table("keywords").insert_all(rows["keywords"], pk=("fact_id", "keyword"), foreign_keys=fk)
    db.table("figures").insert_all(rows["figures"], pk=("fact_id", "position"), foreign_keys=fk,
                             columns={"fact_id": str, "position": int, "value": float, "unit": str,
                                      "counts": str, "share": str, "rank": str})  # fmt: skip
    for table, column in (("phrasings", "fact_id"), ("keywords", "fact_id"), ("figures", "fact_id"),
                          ("facts", "topic")):  # fmt: skip
        db.table(table).create_index([column], if_not_exists=True)
    db.table("words").insert_all(rows["words"], foreign_keys=fk,
                                 columns={"fact_id": str, "field": str, "lang": str, "text": str, "bigrams": str})  # fmt: skip
    # triggers keep both indexes current when a reload updates the rows (storage/store_update.py)
    db.table("words").enable_fts(["bigrams"], tokenize="unicode61", create_triggers=True)
    fts = True
    try:
        db.table("phrasings").enable_fts(["text", "folded"], tokenize="trigram", create_triggers=True)
    except sqlite3.OperationalError:  # SQLite older than 3.34 has no trigram tokenizer
        fts = False
    meta = {"schema": SCHEMA_VERSION, "fingerprint": base.fingerprint, "signature": signature,
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "fts": "trigram" if fts else ""}  # fmt: skip
    db.table("meta").insert_all([{"key": k, "value": v} for k, v in meta.items()], pk="key")
    return fts


def build_store(base: FactBase, db_path: str | os.PathLike[str], *, signature: str = "") -> StoreInfo:
    """Write ``base`` into a fresh SQLite file at ``db_path`` (replacing it atomically).

    Raises :class:`StoreError` (one line, naming the path) when the file cannot be written there: a
    directory in the way, no permission, a full disk.
    """
    path = Path(db_path)
    if path.is_dir():
        raise StoreError(f"cannot write the fact store {path}: it is a directory (give a file name)")
    blocker = next((p for p in path.parents if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise StoreError(f"cannot write the fact store {path}: {blocker} is a file, not a directory")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        private_dir(path.parent)  # 0700 when created here, as every data directory
        tmp.unlink(missing_ok=True)
        private_db(tmp)  # owner-only, like the question log
        try:
            with _database(tmp) as db, db.conn:
                fts = _write(db, base, signature)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise StoreError(f"cannot write the fact store {path}: {reason}") from None
    counts = {k: len(v) for k, v in _rows(base).items()}
    return StoreInfo(path, base.fingerprint, counts["facts"], counts["phrasings"], counts["keywords"],
                     counts["figures"], counts["topics"], fts)  # fmt: skip


def read_meta(db_path: str | os.PathLike[str]) -> dict[str, str]:
    """The store's ``meta`` table; empty when the file is missing, not a store, or unreadable."""
    path = Path(db_path)
    if not path.is_file():
        return {}
    try:
        with _database(path) as db:
            if not db.table("meta").exists():
                return {}
            return {str(row["key"]): str(row["value"]) for row in db.table("meta").rows}
    except sqlite3.DatabaseError:
        return {}


def ensure_store(facts_dir: str | os.PathLike[str], db_path: str | os.PathLike[str],
                 base: FactBase | None = None) -> bool:  # fmt: skip
    """Rebuild the store when the YAML changed since it was built; True when it was rebuilt.

    Raises ``FactsInvalid`` (and leaves the old store alone) when the YAML does not validate.
    """
    directory = Path(facts_dir)
    signature = facts_signature(directory)
    meta = read_meta(db_path)
    current = meta.get("schema") == SCHEMA_VERSION
    if current and base is None and meta.get("signature") == signature:
        return False
    base = base if base is not None else load(directory)
    if current and meta.get("fingerprint") == base.fingerprint:
        if meta.get("signature") != signature:  # touched, not changed: remember the new signature
            with contextlib.suppress(sqlite3.DatabaseError), _database(Path(db_path)) as db, db.conn:
                db.table("meta").upsert({"key": "signature", "value": signature}, pk="key")
        return False
    build_store(base, db_path, signature=signature)
    return True


def search_phrasings(db_path: str | os.PathLike[str], text: str, limit: int = 10) -> list[tuple[str, str]]:
    """Phrasings sharing character trigrams with ``text``, best first, as (fact_id, phrasing).

    Two characters (院士) go to the ``words_fts`` index, which holds character pairs; one character, or a
    store without FTS, is looked up with LIKE.
    """
    folded = fold(text).replace("\0", "")
    with _database(Path(db_path)) as db:
        if len(folded) == 2 and _CJK_RUN.fullmatch(folded) and db.table("words_fts").exists():
            sql = ("select words.fact_id, words.text from words_fts join words on words.rowid = words_fts.rowid "
                   "where words_fts match ? and words.field = 'question' order by rank limit ?")  # fmt: skip
            return [(r[0], r[1]) for r in db.execute(sql, [f'"{folded}"', limit]).fetchall()]
        if len(folded) < 3 or not db.table("phrasings_fts").exists():
            if not folded:
                return []
            sql = "select fact_id, text from phrasings where folded like ? order by length(text) limit ?"
            return [(r[0], r[1]) for r in db.execute(sql, [f"%{folded}%", limit]).fetchall()]
        grams = dict.fromkeys(folded[i : i + 3] for i in range(len(folded) - 2))
        query = " OR ".join('"' + g.replace('"', '""') + '"' for g in grams)
        sql = ("select phrasings.fact_id, phrasings.text from phrasings_fts join phrasings "
               "on phrasings.rowid = phrasings_fts.rowid "
               "where phrasings_fts match ? order by rank limit ?")  # fmt: skip
        return [(r[0], r[1]) for r in db.execute(sql, [query, limit]).fetchall()]
