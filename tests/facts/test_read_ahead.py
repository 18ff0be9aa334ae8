"""Topic files read and checked by forked processes give the fact base, or the problems, of one
process (issue 14); a process that fails leaves its files to be read as usual; none is left behind."""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

import pytest

from jinshui_qa.errors import FactsInvalid
from jinshui_qa.facts import read_ahead
from jinshui_qa.facts.fast_load import FileCache
from jinshui_qa.facts.loader import facts_dir, read_files
from jinshui_qa.text.normalize import building

FILES = read_files(facts_dir())


@pytest.fixture(autouse=True)
def pooled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read_ahead, "MIN_BYTES", 1)
    monkeypatch.setenv("JINSHUI_QA_BUILD_WORKERS", "3")


def _load(files: dict[str, str], ahead: bool) -> tuple[Any, FileCache, dict[Any, str]]:
    cache = FileCache()
    if not ahead:
        cache._read_ahead = lambda files: None  # type: ignore[method-assign]
    with building() as memo:
        try:
            base: Any = cache.build(files)
        except FactsInvalid as exc:
            base = [str(p) for p in exc.problems]
        return base, cache, dict(memo.folded)


def test_the_files_read_ahead_give_the_fact_base_of_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    fan_out = read_ahead.forking.fan_out
    monkeypatch.setattr(read_ahead.forking, "fan_out", lambda *a: calls.append(1) or fan_out(*a))
    alone, _, folded = _load(FILES, ahead=False)
    base, cache, pooled_folded = _load(FILES, ahead=True)
    assert calls  # the pool ran
    assert base.facts == alone.facts and base.topics == alone.topics
    assert base.fingerprint == alone.fingerprint
    assert sorted(cache.parsed) == sorted(n for n in FILES if n not in ("sources.yaml", "vocabulary.yaml"))
    asked = _questions(base)  # every question's fold, which the checks across files read, is held here
    checked = {(q, True, True) for q in asked}  # fold(q), as the checks across files call it
    assert {k: v for k, v in pooled_folded.items() if k in checked} == {
        k: v for k, v in folded.items() if k in checked
    }
    assert len(checked) == len({k for k in pooled_folded if k in checked})
    assert not multiprocessing.active_children()
    calls.clear()
    with building():  # a second build of the same cache reads nothing, forks nothing
        assert cache.build(FILES).facts == alone.facts
    assert not cache.parsed and not calls


def test_the_summaries_made_by_the_processes_are_the_tables_of_one_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from jinshui_qa.facts import cross_tables
    from jinshui_qa.facts.cross_tables import CrossTables

    adopted: list[int] = []
    adopt = CrossTables.adopt
    monkeypatch.setattr(CrossTables, "adopt", lambda self, *a: adopted.append(1) or adopt(self, *a))
    made: list[int] = []
    summary = cross_tables.summary
    monkeypatch.setattr(cross_tables, "summary", lambda *a: made.append(1) or summary(*a))
    _, alone, _ = _load(FILES, ahead=False)
    assert len(made) == len(FILES) - 2 and adopted == [1]  # each topic file's summary made here
    made.clear()
    _, pooled, _ = _load(FILES, ahead=True)
    assert not made and adopted == [1, 1]  # the processes' summaries adopted (read_ahead's own name)
    assert pooled.tables.keys() == alone.tables.keys() and pooled.tables.keys()
    assert pooled.tables.files() == alone.tables.files()
    assert pooled.tables.memo() == alone.tables.memo()


def test_a_phrasing_in_two_files_read_ahead_is_reported_as_in_one_process() -> None:
    files = dict(FILES)  # the checks across files read the keys the processes made
    files["talent.yaml"] = files["talent.yaml"].replace(
        "- 金水区新增了几位院士", "- 金水区有多少家科技型企业", 1
    )
    alone, _, _ = _load(files, ahead=False)
    pooled, _, _ = _load(files, ahead=True)
    assert isinstance(alone, list) and any("is also a question of fact" in p for p in alone)
    assert pooled == alone


def _questions(base: Any) -> set[str]:
    return {q for f in base.facts for q in (*f.questions_zh, *f.questions_en)}


def test_a_broken_file_read_ahead_is_reported_as_in_one_process() -> None:
    name = sorted(n for n in FILES if n not in ("sources.yaml", "vocabulary.yaml"))[1]
    files = dict(FILES)
    files[name] = files[name].replace("audience:", "audience: [", 1)
    other = sorted(files)[-1]
    files[other] = files[other].replace("zh:", "zh: 1", 1)
    alone, _, _ = _load(files, ahead=False)
    pooled, _, _ = _load(files, ahead=True)
    assert isinstance(alone, list) and alone
    assert pooled == alone


def test_files_whose_process_failed_are_read_as_usual(monkeypatch: pytest.MonkeyPatch) -> None:
    read = read_ahead._read

    def failing(names: Any, files: Any, seen: int) -> Any:
        if os.getpid() != parent:
            os._exit(3)  # a forked process ends sending nothing
        return read(names, files, seen)

    parent = os.getpid()
    monkeypatch.setattr(read_ahead, "_read", failing)
    alone, _, _ = _load(FILES, ahead=False)
    base, _, _ = _load(FILES, ahead=True)
    assert base.facts == alone.facts and base.fingerprint == alone.fingerprint
    assert not multiprocessing.active_children()


def test_the_files_are_shared_by_size_each_once() -> None:
    names = sorted(FILES)
    for parts in (1, 2, 3, 5):
        groups = read_ahead._groups(names, FILES, parts)
        assert sorted(n for g in groups for n in g) == names
        assert len(groups) <= parts and all(g == sorted(g) for g in groups)
    many = {f"f{k:03}.yaml": "x" * 1000 for k in range(100)}  # this process's group: more, by HERE
    here, there = (sum(len(many[n]) for n in g) for g in read_ahead._groups(sorted(many), many, 2))
    assert abs(here / there - read_ahead.HERE) < 0.05


def test_nothing_is_read_ahead_for_one_core_or_a_small_base(monkeypatch: pytest.MonkeyPatch) -> None:
    names = [n for n in FILES if n.endswith(".yaml")]
    monkeypatch.setenv("JINSHUI_QA_BUILD_WORKERS", "1")
    assert read_ahead.read_ahead(names, FILES) == {}
    monkeypatch.setenv("JINSHUI_QA_BUILD_WORKERS", "2")
    monkeypatch.setattr(read_ahead, "MIN_BYTES", sum(map(len, FILES.values())) + 1)
    assert read_ahead.read_ahead(names, FILES) == {}


def test_a_clean_files_facts_sent_as_records_are_made_equal_fact_by_fact() -> None:
    from jinshui_qa.facts.validation import read_topic_file

    for name in sorted(n for n in FILES if n not in ("sources.yaml", "vocabulary.yaml")):
        problems: list[Any] = []
        read = (*read_topic_file(name, FILES[name], problems), problems)
        sent = read_ahead._records(read)
        assert len(sent) == 3  # the topic's plain data, the records and their ends
        made = read_ahead._made(sent)
        assert made[0] == read[0] and made[2:] == (True, [])
        assert len(made[1]) == len(read[1]) and all(
            a == b and repr(a) == repr(b) for a, b in zip(made[1], read[1], strict=True)
        )  # repr: the same types too (2 is not 2.0)


def test_a_file_with_problems_is_sent_as_read() -> None:
    read = (None, [], False, ["a problem"])
    assert read_ahead._records(read) is read  # type: ignore[arg-type]
    assert read_ahead._made(read) is read  # type: ignore[arg-type]
