"""One line-finder for ``audit`` and ``fidelity``: the line of a fact's answer or figure in its file."""

from __future__ import annotations

from pathlib import Path

from jinshui_qa.facts.loader import load, read_files
from jinshui_qa.maintenance.audit import audit
from jinshui_qa.maintenance.fact_lines import entry_lines, key_line
from jinshui_qa.maintenance.fidelity import relative_time
from tests.support.district import TALENT, WriteFacts

FLOW = TALENT.replace(
    "    answer:\n      zh: 今年新增了1名本土“两院”院士。\n      en: 1 new home-grown academician this year.\n",
    "    answer: {zh: 今年新增了1名本土“两院”院士。, en: 1 new home-grown academician this year.}\n",
)


def test_an_answer_written_in_flow_style_is_found_on_its_line(write_facts: WriteFacts) -> None:
    assert FLOW != TALENT
    facts = write_facts(**{"talent.yaml": FLOW})
    line = (
        FLOW.split("\n").index(
            "    answer: {zh: 今年新增了1名本土“两院”院士。, en: 1 new home-grown academician this year.}"
        )
        + 1
    )
    found = [p for p in relative_time(load(facts), read_files(facts)) if p.file == "talent.yaml"]
    assert [(p.line, p.message.split(":")[1].strip()) for p in found] == [
        (line, "answer (zh) says “今年” without an absolute period"),
        (line, "answer (en) says “this year” without an absolute period"),
    ]


def test_an_entry_ends_at_the_next_fact_and_comments_do_not_end_it(facts_dir: Path) -> None:
    base, files = load(facts_dir), read_files(facts_dir)
    gold, academicians = base.fact("gold_talent"), base.fact("academicians")
    rows = entry_lines(gold, files)
    assert rows[0][0] == gold.line and rows[-1][0] < academicians.line
    assert any("# keep this comment" in row for _, row in rows)
    assert entry_lines(academicians, files)[-1][0] == len(TALENT.splitlines())
    answer_zh = TALENT.split("\n").index("      zh: 按“金标准”认定，辖区人才达19.2万人。") + 1
    assert key_line(gold, files, "zh", within="answer") == answer_zh  # not the questions' zh: above it
    title = TALENT.split("\n").index("    title: {zh: 金标准人才, en: Gold standard talents}") + 1
    assert key_line(gold, files, "zh") == title  # the first zh: of the entry, flow style included
    assert key_line(gold, {}, "zh") == gold.line  # without the text: the fact's own line


def test_audit_and_fidelity_point_into_the_same_entry(facts_dir: Path) -> None:
    base, files = load(facts_dir), read_files(facts_dir)
    result = audit(base, "没有数字的报道。", files)
    for unsupported in result.unsupported:
        numbers = [n for n, _ in entry_lines(unsupported.fact, files)]
        assert unsupported.line in numbers, str(unsupported)
    for problem in relative_time(base, files):
        fact = next(
            f for f in base.facts if f.file == problem.file and problem.message.startswith(f.id + ":")
        )
        assert problem.line in [n for n, _ in entry_lines(fact, files)], str(problem)
