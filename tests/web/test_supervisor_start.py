"""``jinshui-qa web``'s supervisor: the facts read once, through the data directory's snapshot, in a
process that ends (not a full read and check of every fact at each start, held while serving)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import jinshui_qa.facts.validation as validation
from jinshui_qa.errors import FactsInvalid
from jinshui_qa.facts.loader import load
from jinshui_qa.web.serve import _prepared
from tests.support.tiny import REAL_FACTS


def test_the_supervisor_builds_the_snapshot_once_then_starts_from_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    count = len(load(REAL_FACTS).facts)
    assert _prepared(REAL_FACTS, data) == count
    snapshot = data / "index.snapshot"
    built = snapshot.read_bytes()

    def no_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a topic file parsed although the snapshot applies")

    monkeypatch.setattr(validation, "read_topic_file", no_parse)  # the forked process inherits it
    assert _prepared(REAL_FACTS, data) == count
    assert snapshot.read_bytes() == built


def test_invalid_facts_are_reported_as_load_reports_them(tmp_path: Path) -> None:
    facts = tmp_path / "facts"
    shutil.copytree(REAL_FACTS, facts)
    topic = sorted(p for p in facts.glob("*.yaml") if p.name not in ("sources.yaml", "vocabulary.yaml"))[0]
    topic.write_text(topic.read_text(encoding="utf-8").replace("id:", "idd:", 1), encoding="utf-8")
    with pytest.raises(FactsInvalid) as expected:
        load(facts)
    (tmp_path / "data").mkdir()
    with pytest.raises(FactsInvalid) as found:
        _prepared(facts, tmp_path / "data")
    assert found.value.problems == expected.value.problems
