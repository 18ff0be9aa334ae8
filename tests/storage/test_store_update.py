"""A reload's update of the SQLite store (storage/store_update.py): the same tables and search results
as a store built whole from the new base, with only the changed facts' rows written."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from jinshui_qa.facts.fast_load import FileCache
from jinshui_qa.facts.loader import CHECKOUT_FACTS, read_files
from jinshui_qa.storage import store_update
from jinshui_qa.storage.fact_store import build_store, read_meta, search_phrasings
from jinshui_qa.storage.store_update import changed_facts, update_store
from tests.support.live_facts import NEW_FACT

_TABLES = {
    "facts": "id", "topics": "id", "sources": "report, section",
    "phrasings": "fact_id, lang, text", "keywords": "fact_id, keyword", "figures": "fact_id, position",
    "words": "fact_id, field, lang, text",
}  # fmt: skip


def _contents(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows in a stable order (phrasings without their autoincrement id)."""
    conn = sqlite3.connect(db)
    try:
        out = {}
        for table, order in _TABLES.items():
            columns = [
                r[1]
                for r in conn.execute(f"pragma table_info([{table}])")
                if r[1] != "id" or table != "phrasings"
            ]
            out[table] = conn.execute(
                f"select {', '.join(columns)} from [{table}] order by {order}"
            ).fetchall()
        out["meta"] = conn.execute(
            "select key, value from meta where key not in ('built_at') order by key"
        ).fetchall()
        return out
    finally:
        conn.close()


def _edited() -> tuple[dict[str, str], dict[str, str]]:
    files = read_files(CHECKOUT_FACTS)
    edited = dict(files)
    edited["talent.yaml"] = files["talent.yaml"].rstrip("\n") + "\n" + NEW_FACT  # a fact comes
    line = "        - 2021年市场主体增量是多少\n"
    assert line in files["market.yaml"]
    edited["market.yaml"] = files["market.yaml"].replace(line, "")  # a fact changes
    return files, edited


def test_an_update_leaves_the_store_a_whole_build_of_the_new_base_writes(tmp_path: Path) -> None:
    files, edited = _edited()
    cache = FileCache()
    old = cache.build(dict(files))
    new = cache.build(dict(edited))
    gone, came = changed_facts(old, new)
    assert "market_entities_q1" in gone and sorted(f.id for f in came) == sorted(gone)
    store, whole = tmp_path / "facts.db", tmp_path / "whole.db"
    build_store(old, store)
    assert update_store(old, new, store) is True
    build_store(new, whole)
    assert _contents(store) == _contents(whole)
    assert search_phrasings(store, "市场主体增量") == search_phrasings(whole, "市场主体增量")
    fresh = next(f for f in came if f.id != "market_entities_2021")
    assert search_phrasings(store, fresh.questions_zh[0])[0][0] == fresh.id
    assert read_meta(store)["fingerprint"] == new.fingerprint


def test_a_file_read_again_but_equal_writes_no_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = read_files(CHECKOUT_FACTS)
    old = FileCache().build(dict(files))
    again = FileCache().build(dict(files))  # every fact a new object, equal to the old one
    assert changed_facts(old, again) == (set(), [])
    store = tmp_path / "facts.db"
    build_store(old, store)
    before = _contents(store)
    assert update_store(old, again, store) is True
    assert _contents(store) == before


def test_a_store_of_another_base_or_damaged_is_built_whole(tmp_path: Path) -> None:
    files, edited = _edited()
    cache = FileCache()
    old = cache.build(dict(files))
    new = cache.build(dict(edited))
    store, whole = tmp_path / "facts.db", tmp_path / "whole.db"
    build_store(new, whole)
    build_store(new, store)  # holds the new base already, not the old one
    assert update_store(old, new, store) is False and _contents(store) == _contents(whole)
    shutil.copy(whole, store)
    conn = sqlite3.connect(store)
    conn.execute("update meta set value = ? where key = 'fingerprint'", [old.fingerprint])
    conn.execute("drop trigger words_ai")  # a store of the old schema had no triggers
    conn.commit()
    conn.close()
    assert update_store(old, new, store) is False and _contents(store) == _contents(whole)
    store.write_bytes(b"not a database")
    assert update_store(old, new, store) is False and _contents(store) == _contents(whole)


def test_a_failed_update_leaves_the_store_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files, edited = _edited()
    cache = FileCache()
    old = cache.build(dict(files))
    new = cache.build(dict(edited))
    store = tmp_path / "facts.db"
    build_store(old, store)
    before = _contents(store)

    def broken(*args: object) -> object:
        raise sqlite3.OperationalError("disk I/O error")

    rows = store_update.fact_rows

    def half(of: object) -> dict[str, list[dict[str, object]]]:
        out = rows(of)  # type: ignore[arg-type]
        out["words"].append(out["words"][0] | {"text": object()})  # cannot be stored: after the other rows
        return out

    monkeypatch.setattr(store_update, "fact_rows", half)
    monkeypatch.setattr(store_update, "build_store", broken)
    with pytest.raises(sqlite3.OperationalError):
        update_store(old, new, store)
    assert _contents(store) == before
