"""The SQLite store of ``jinshui-qa build``: its tables, its trigram index, and when it is rebuilt."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from jinshui_qa.errors import FactsInvalid, StoreError
from jinshui_qa.facts.loader import load
from jinshui_qa.storage.fact_store import (
    bigram_tokens,
    build_store,
    ensure_store,
    facts_signature,
    read_meta,
    search_phrasings,
)
from tests.support.district import TALENT, WriteFacts


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_build_writes_every_table(facts_dir: Path, tmp_path: Path) -> None:
    base = load(facts_dir)
    info = build_store(base, tmp_path / "out" / "facts.db")
    db = info.path
    assert (info.facts, info.phrasings, info.topics, info.figures) == (8, base.phrasing_count, 4, 9)
    tables = {row[0] for row in query(db, "select name from sqlite_master where type = 'table'")}
    assert {
        "facts",
        "phrasings",
        "keywords",
        "figures",
        "sources",
        "topics",
        "meta",
        "phrasings_fts",
    } <= tables
    assert query(db, "select count(*) from phrasings") == [(base.phrasing_count,)]
    row = query(db, "select topic, answer_zh, verified, related, file from facts where id = 'gold_talent'")
    assert row == [("talent", "按“金标准”认定，辖区人才达19.2万人。", "2026-11-28", "[]", "talent.yaml")]
    assert query(db, "select value, unit from figures where fact_id = 'key_projects' order by position") == [
        (233.0, "个"),
        (3830.0, "亿元"),
    ]
    assert query(db, "select heading from sources where report = 'test-report' and section = 'people'") == [
        ("人才",)
    ]
    assert query(db, "select facts from topics where id = 'enterprises'") == [(3,)]
    assert read_meta(db)["fingerprint"] == base.fingerprint
    assert info.summary().startswith(f"built {db}: 8 facts, ")
    assert [p.name for p in db.parent.iterdir()] == ["facts.db"]  # no temporary file left behind


def test_foreign_keys_link_phrasings_to_facts(facts_dir: Path, tmp_path: Path) -> None:
    db = build_store(load(facts_dir), tmp_path / "facts.db").path
    fks = query(db, "select * from pragma_foreign_key_list('phrasings')")
    assert [(fk[2], fk[3], fk[4]) for fk in fks] == [("facts", "fact_id", "id")]
    assert query(db, "select count(*) from phrasings where fact_id not in (select id from facts)") == [(0,)]


def test_trigram_search_finds_chinese_phrasings(facts_dir: Path, tmp_path: Path) -> None:
    db = build_store(load(facts_dir), tmp_path / "facts.db").path
    assert search_phrasings(db, "金标准人才有几个")[0] == ("gold_talent", "金标准人才有多少")
    assert search_phrasings(db, "重点项目")[0][0] == "key_projects"
    assert {f for f, _ in search_phrasings(db, "院士")} == {"academicians"}  # two characters: words_fts
    for hostile in ['"', "AND OR NOT", "-x", "a:b", "((", "?", "", "\0金标准\0"]:
        search_phrasings(db, hostile)  # never an OperationalError


def test_the_sqlite_utils_cli_opens_it(facts_dir: Path, tmp_path: Path) -> None:
    db = build_store(load(facts_dir), tmp_path / "facts.db").path
    run = subprocess.run([sys.executable, "-m", "sqlite_utils", "tables", str(db), "--counts"],
                         capture_output=True, text=True, check=True)  # fmt: skip
    counts = {row["table"]: row["count"] for row in json.loads(run.stdout)}
    assert counts["facts"] == 8
    assert counts["topics"] == 4


def test_ensure_store_rebuilds_only_when_the_yaml_changes(write_facts: WriteFacts, tmp_path: Path) -> None:
    facts = write_facts()
    db = tmp_path / "data" / "facts.db"
    assert ensure_store(facts, db) is True
    assert ensure_store(facts, db) is False
    first = read_meta(db)
    assert first["signature"] == facts_signature(facts)

    talent = facts / "talent.yaml"
    os.utime(talent, ns=(talent.stat().st_atime_ns, talent.stat().st_mtime_ns + 5_000_000_000))
    assert ensure_store(facts, db) is False  # newer but the same text: same fingerprint, no rebuild
    assert read_meta(db)["signature"] == facts_signature(facts) != first["signature"]

    before = facts_signature(facts)
    kept = talent.stat()
    talent.write_text(talent.read_text(encoding="utf-8").replace("有多少", "有几多", 1), encoding="utf-8")
    os.utime(talent, ns=(kept.st_atime_ns, kept.st_mtime_ns))  # the same size and modification time
    assert talent.stat().st_size == kept.st_size and facts_signature(facts) != before  # the change time moved

    write_facts(**{"talent.yaml": TALENT.replace("金标准人才有多少", "金标准人才一共有多少")})
    assert ensure_store(facts, db) is True
    assert read_meta(db)["fingerprint"] != first["fingerprint"]
    assert query(db, "select count(*) from phrasings where text = '金标准人才一共有多少'") == [(1,)]


def test_ensure_store_keeps_the_old_store_when_the_yaml_is_invalid(
    write_facts: WriteFacts, tmp_path: Path
) -> None:
    facts = write_facts()
    db = tmp_path / "facts.db"
    ensure_store(facts, db)
    before = read_meta(db)
    write_facts(**{"talent.yaml": TALENT.replace("    audience: both\n", "    audience: [both\n", 1)})
    with pytest.raises(FactsInvalid):
        ensure_store(facts, db)
    assert read_meta(db) == before


def test_ensure_store_replaces_a_corrupt_file(facts_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "facts.db"
    db.write_bytes(b"this is not a database" * 100)
    assert read_meta(db) == {}
    assert ensure_store(facts_dir, db) is True
    assert query(db, "select count(*) from facts") == [(8,)]


def sqlite_utils_search(db: Path, table: str, query: str) -> list[dict[str, str]]:
    """``sqlite-utils search DB TABLE QUERY`` as a maintainer types it; its JSON rows."""
    run = subprocess.run([sys.executable, "-m", "sqlite_utils", "search", str(db), table, query, "-c", "fact_id",
                          "-c", "text"], capture_output=True, text=True, check=True)  # fmt: skip
    rows: list[dict[str, str]] = json.loads(run.stdout)
    return rows


def test_two_character_words_are_found_by_sqlite_utils_search(facts_dir: Path, tmp_path: Path) -> None:
    db = build_store(load(facts_dir), tmp_path / "facts.db").path
    assert sqlite_utils_search(db, "phrasings", "院士") == []  # a trigram index cannot match two characters
    found = sqlite_utils_search(db, "words", "院士")
    assert found and {row["fact_id"] for row in found} == {"academicians"}
    assert all("院士" in row["text"] for row in found)
    assert {row["fact_id"] for row in sqlite_utils_search(db, "words", "高企")} == {"high_tech"}
    assert sqlite_utils_search(db, "words", "high") != []  # English words are tokens as they are
    longer = sqlite_utils_search(db, "phrasings", "高新技术")  # three characters and more: the trigram index
    assert longer and {row["fact_id"] for row in longer} == {"high_tech"}


def test_bigram_tokens() -> None:
    assert bigram_tokens("二手房 Price").split()[:6] == ["二", "手", "房", "二手", "手房", "price"]
    assert {"金水", "水區", "水区"} <= set(bigram_tokens("金水區").split())  # as written and folded


def test_an_unwritable_destination_is_a_store_error(facts_dir: Path, tmp_path: Path) -> None:
    base = load(facts_dir)
    with pytest.raises(
        StoreError, match=r"^cannot write the fact store .*: it is a directory \(give a file name\)$"
    ):
        build_store(base, tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(
        StoreError, match=r"^cannot write the fact store .*file/facts\.db: .*file is a file, not a directory$"
    ):
        build_store(base, blocker / "facts.db")
    read_only = tmp_path / "ro"
    read_only.mkdir()
    read_only.chmod(0o500)
    try:
        # root writes anywhere: then use a path the kernel refuses to everyone
        target = Path("/proc/facts.db") if os.access(read_only, os.W_OK) else read_only / "facts.db"
        with pytest.raises(StoreError, match=r"^cannot write the fact store "):
            build_store(base, target)
    finally:
        read_only.chmod(0o700)
