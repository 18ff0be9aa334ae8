"""``jinshui-qa audit``: numbers in facts against the source report, unit conversions, stale facts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jinshui_qa.facts.loader import load, read_files
from jinshui_qa.facts.validation import build_factbase
from jinshui_qa.maintenance.audit import audit, quantities, stale_facts
from tests.support.district import FILES, MARKET, PROJECTS, REPORT, TALENT, WriteFacts


def line_of(text: str, needle: str) -> int:
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(hits) == 1, hits
    return hits[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19.2万人", [192_000]),
        ("192,000 talents", [192_000]),
        ("3830亿元 = 383 billion yuan", [383e9, 383e9]),
        ("9.66亿元, 966 million", [966e6, 966e6]),
        ("千亿级, a 100-billion-yuan scale", [1e11, 1e11]),
        ("1000万以上, over 10 million", [1e7, 1e7]),
        ("5000多家", [5000]),
        ("十九点二万", [192_000]),
        ("第八名, 8th, 全国第二", [8, 8, 2]),
        ("百强区", [100]),
        ("1~3月", [1, 3]),
        ("２０５８家", [2058]),
    ],
)
def test_numbers_and_unit_conversions(text: str, expected: list[float]) -> None:
    assert [q.value for q in quantities(text)] == pytest.approx(expected)


def test_percentages_are_their_own_kind() -> None:
    found = quantities("占全市17.5%，百分之二十, 20 percent")
    assert [(q.value, q.percent) for q in found] == [(17.5, True), (20.0, True), (20.0, True)]


def test_list_markers_are_not_numbers() -> None:
    assert [q.value for q in quantities("1. 首先\n2) 高企723家\n（3）重点\n① 孵化")] == [723.0]


def test_the_test_facts_are_all_supported() -> None:
    result = audit(build_factbase(FILES), REPORT, FILES)
    assert result.unsupported == []
    assert [(q.raw, q.line) for q in result.uncovered] == [("54", line_of(REPORT, "54"))]
    assert result.lines("report.txt") == [
        "unsupported numbers: none",
        "uncovered source figures (1):",
        "report.txt:9: 54  …专项债项目申报54个。今年1~3月新增市场…",
    ]


def test_an_unsupported_number_names_file_line_and_fact() -> None:
    # each figure edited with its answers (check refuses a figure its answer does not state)
    talent = TALENT.replace("辖区人才达19.2万人", "辖区人才达19.3万人").replace("192,000", "193,000")
    talent = talent.replace("{value: 19.2,", "{value: 19.3,")
    projects = PROJECTS.replace("233 key projects", "234 key projects").replace(
        "{value: 233,", "{value: 234,"
    )
    projects = projects.replace("重点项目233个", "重点项目234个")
    files = {**FILES, "talent.yaml": talent, "projects.yaml": projects}
    result = audit(build_factbase(files), REPORT, files)
    assert [str(u) for u in result.unsupported] == [
        f"projects.yaml:{line_of(projects, '重点项目234个')}: key_projects: 234",
        f"projects.yaml:{line_of(projects, 'value: 234')}: key_projects: 234个",
        f"talent.yaml:{line_of(talent, '19.3万人。')}: gold_talent: 19.3万 (= 193,000)",
        f"talent.yaml:{line_of(talent, '193,000')}: gold_talent: 193,000",
        f"talent.yaml:{line_of(talent, 'value: 19.3')}: gold_talent: 19.3万人 (= 193,000)",
    ]
    assert [q.raw for q in result.uncovered] == ["19.2万", "233", "54"]  # no answer states them now


def test_quoted_names_count_only_when_the_source_has_them() -> None:
    renamed = PROJECTS.replace("“5+5+X”", "“6+6+X”")
    files = {**FILES, "projects.yaml": renamed}
    assert [str(u.quantity.raw) for u in audit(build_factbase(files), REPORT, files).unsupported] == ["6"]


def test_relative_years_of_the_source_support_absolute_ones() -> None:
    # The report says 今年 (this year); it is a 2022 report, so 2022 is supported, 2021 is not.
    market = MARKET.replace("counts: 2022年1~3月新增市场主体", "counts: 2021年1~3月新增市场主体")
    files = {**FILES, "market.yaml": market}
    assert [u.quantity.raw for u in audit(build_factbase(files), REPORT, files).unsupported] == ["2021"]
    last_year = REPORT.replace("今年1~3月", "去年1~3月")
    assert audit(build_factbase(files), last_year, files).unsupported == []


def test_stale_facts(facts_dir: Path) -> None:
    base = load(facts_dir)
    assert [f.id for f in stale_facts(base, 365, today=dt.date(2026, 11, 28))] == ["academicians"]
    assert stale_facts(base, 365 * 3, today=dt.date(2026, 11, 28)) == []
    assert len(stale_facts(base, 0, today=dt.date(2027, 1, 1))) == 8


def test_a_facts_directory_against_a_report_of_its_own(write_facts: WriteFacts, tmp_path: Path) -> None:
    """What `make audit SOURCE=...` does (facts read from a directory, the report from a file), on the
    test facts and a small report written for them: every number found; one dropped from the report, the
    fact stating it is named with its file and line."""
    facts = write_facts()
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    result = audit(load(facts), report.read_text(encoding="utf-8"), read_files(facts))
    assert result.checked > 30 and result.unsupported == []
    report.write_text(REPORT.replace("19.2万", "十余万"), encoding="utf-8")
    result = audit(load(facts), report.read_text(encoding="utf-8"), read_files(facts))
    line = line_of(TALENT, "辖区人才达19.2万人")
    assert str(result.unsupported[0]) == f"talent.yaml:{line}: gold_talent: 19.2万 (= 192,000)"
