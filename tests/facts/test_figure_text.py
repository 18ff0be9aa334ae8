"""A figure must be the number its fact's answer tells (facts/figure_text.py), as ``check`` and the loader
apply it: a figure edited without its answer (723 -> 732) is ``file:line: ...`` at the figure's value."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jinshui_qa.cli import main
from jinshui_qa.errors import FactsInvalid
from jinshui_qa.facts.figure_text import answer_numbers, states
from jinshui_qa.facts.loader import load
from jinshui_qa.facts.schema import Figure
from tests.support.tiny import REAL_FACTS


def figure(value: float, unit: str) -> Figure:
    return Figure(value, unit, "counted")


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("金水区有高新技术企业723家，占郑州全市的17.5%。", 723, "家"),
        ("Jinshui is home to 2,058 tech-based enterprises", 2058, "家"),
        ("市场主体总量达28.4万家", 28.4, "万家"),
        ("market entities reached 284,000", 28.4, "万家"),
        ("总投资3830亿元", 3830, "亿元"),
        ("a total investment of 383 billion yuan", 3830, "亿元"),
        ("打造千亿级数字产业集群", 1000, "亿元"),
        ("担保贷款9.66亿元", 96600, "万元"),
        ("位列榜单第八名", 8, "名"),
        ("ranked second in the country", 2, "名"),
        ("新增两千零五十八家", 2058, "家"),
    ],
)
def test_an_answer_states_its_figure_in_any_usual_writing(text: str, value: float, unit: str) -> None:
    assert states(text, figure(value, unit)), answer_numbers(text)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("金水区有高新技术企业723家", 732, "家"),
        ("市场主体总量达28.4万家", 28.4, "家"),  # the scale is part of the number
        ("a cluster worth 100 billion yuan", 100, "亿元"),  # 100亿 is 10 billion
        ("17.5% of Zhengzhou's total", 175, "家"),
    ],
)
def test_a_different_number_is_not_stated(text: str, value: float, unit: str) -> None:
    assert not states(text, figure(value, unit))


def test_check_reports_a_figure_edited_without_its_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = tmp_path / "facts"
    shutil.copytree(REAL_FACTS, facts)
    path = facts / "enterprises.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, 1) if "{value: 723," in line)
    lines[number - 1] = lines[number - 1].replace("{value: 723,", "{value: 732,")
    path.write_text("".join(lines), encoding="utf-8")
    assert main(["check", "--facts", str(facts)]) == 1
    out = capsys.readouterr().out
    expected = (f"enterprises.yaml:{number}: fact high_tech_enterprises: figure 高新技术企业 value 732 does not "
                "appear in the answer (zh/en)")  # fmt: skip
    assert expected in out.splitlines(), out
    with pytest.raises(FactsInvalid):  # the loader refuses it too: the facts in use are kept on a reload
        load(facts)


def test_an_answer_edited_in_one_language_names_that_language(tmp_path: Path) -> None:
    facts = tmp_path / "facts"
    shutil.copytree(REAL_FACTS, facts)
    path = facts / "enterprises.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("has 723 high-tech", "has 732 high-tech"), "utf-8"
    )
    with pytest.raises(FactsInvalid) as caught:
        load(facts)
    assert [p.message for p in caught.value.problems] == [
        "fact high_tech_enterprises: figure 高新技术企业 value 723 does not appear in the answer (en)"
    ]


def test_the_real_facts_state_every_figure() -> None:
    base = load(REAL_FACTS)
    assert sum(len(f.figures) for f in base.facts) > 40
