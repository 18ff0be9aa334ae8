"""FileCache: the same fact base as load(), reading again only the files that changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinshui_qa.errors import FactsInvalid
from jinshui_qa.facts.fast_load import FileCache
from jinshui_qa.facts.loader import load


def test_the_cache_builds_what_load_builds_and_reads_only_changed_files(facts: Path) -> None:
    cache = FileCache()
    assert cache.load(facts) == load(facts)
    assert cache.load(facts) == load(facts) and cache.parsed == []
    market = facts / "market.yaml"
    text = market.read_text(encoding="utf-8")
    market.write_text(text.replace("verified: 2026-11-30", "verified: 2026-10-30", 1), encoding="utf-8")
    edited = cache.load(facts)
    assert edited == load(facts) and cache.parsed == ["market.yaml"]
    assert next(f.verified.month for f in edited.facts if f.file == "market.yaml") == 10


def test_export_and_restore_keep_every_fact_exactly(facts: Path) -> None:
    cache = FileCache()
    base = cache.load(facts)
    restored = FileCache()
    restored.restore(cache.export())
    assert restored.load(facts) == base and restored.parsed == []


def test_a_cross_file_problem_is_found_with_cached_files(facts: Path) -> None:
    cache = FileCache()
    cache.load(facts)
    talent = facts / "talent.yaml"
    first_id = load(facts).facts[0].id
    talent.write_text(talent.read_text(encoding="utf-8").replace("- id: academician_new", f"- id: {first_id}", 1),
                      encoding="utf-8")  # fmt: skip
    with pytest.raises(FactsInvalid) as cached:
        cache.load(facts)
    with pytest.raises(FactsInvalid) as fresh:
        load(facts)
    assert [str(p) for p in cached.value.problems] == [str(p) for p in fresh.value.problems]
    assert any("duplicate fact id" in str(p) for p in cached.value.problems)
