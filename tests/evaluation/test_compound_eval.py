"""Scoring of compound and comparison items, the gate on the development set, and the eval command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from jinshui_qa.cli import main
from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.evaluation.compound import CompoundCase, compound_cases, evaluate_compound, grade
from tests.support.tiny import REPO

DEV = REPO / "tests" / "eval" / "dev_compound.yaml"
TWO = CompoundCase("q", "two_part", ("key_labs", "rd_institutions"))
DIFF = CompoundCase("q", "comparison", ("key_labs", "incubators"), "difference", "80", "家")


def reply(
    parts: list[tuple[str | None, str]], status: str = "answer", computed: Any = None
) -> dict[str, Any]:
    return {"status": status, "parts": [{"fact_id": f, "status": s} for f, s in parts], "computed": computed}


def test_two_part_items_need_every_part_in_order() -> None:
    assert grade(TWO, reply([("key_labs", "answer"), ("rd_institutions", "answer")])) == (True, "")
    assert not grade(TWO, reply([("rd_institutions", "answer"), ("key_labs", "answer")]))[0]
    ok, why = grade(TWO, {"status": "answer", "fact_id": "key_labs"})  # a single answer drops a part
    assert not ok and why.startswith("dropped")
    fallback = CompoundCase("q", "two_part", ("key_labs", "fallback"))
    assert grade(fallback, reply([("key_labs", "answer"), (None, "fallback")], "partial"))[0]
    assert not grade(fallback, reply([("key_labs", "answer"), ("rd_institutions", "answer")]))[0]


def test_comparisons_need_the_right_parts_and_result() -> None:
    computed = {"op": "difference", "result": "80", "unit": "家", "larger": "key_labs"}
    assert grade(DIFF, reply([("key_labs", "answer"), ("incubators", "answer")], computed=computed))[0]
    assert grade(DIFF, reply([("incubators", "answer"), ("key_labs", "answer")], computed=computed))[0]
    wrong = {**computed, "result": "81", "expression": "143 − 63 = 81"}
    ok, why = grade(DIFF, reply([("key_labs", "answer"), ("incubators", "answer")], computed=wrong))
    assert not ok and why.startswith("wrong")
    in_wan = CompoundCase("q", "comparison", ("a", "b"), "difference", "3.5", "万元")
    assert grade(
        in_wan, reply([("a", "answer"), ("b", "answer")], computed={"result": "35000", "unit": "元"})
    )[0]
    ratio = CompoundCase("q", "comparison", ("a", "b"), "ratio", "2.3", "倍")
    assert grade(ratio, reply([("a", "answer"), ("b", "answer")], computed={"result": "2.27", "unit": "倍"}))[
        0
    ]
    assert not grade(
        ratio, reply([("b", "answer"), ("a", "answer")], computed={"result": "2.27", "unit": "倍"})
    )[0]


def test_invalid_comparisons_must_compute_nothing() -> None:
    invalid = CompoundCase("q", "comparison_invalid")
    assert grade(invalid, reply([("a", "answer"), ("b", "answer")], "fallback"))[0]
    assert not grade(invalid, reply([("a", "answer"), ("b", "answer")], computed={"result": "1"}))[0]


def test_the_development_set_is_answered() -> None:
    data = yaml.safe_load(Path(DEV).read_text(encoding="utf-8"))
    items = compound_cases(data)
    assert len(items) >= 60
    assert {c.kind for c in items} == {"two_part", "comparison", "comparison_invalid"}
    assert any(c.question.isascii() for c in items) and any(not c.question.isascii() for c in items)


def test_gate_on_the_development_set(assistant: Assistant) -> None:
    report = evaluate_compound(assistant, yaml.safe_load(Path(DEV).read_text(encoding="utf-8")))
    assert report.accuracy >= 0.9, report.lines()
    assert report.wrong_arithmetic == 0 and report.dropped == 0, report.lines()


def test_eval_prints_a_compound_section(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr("jinshui_qa.bootstrap.bootstrap", lambda facts=None: assistant)
    small = tmp_path / "small.yaml"
    small.write_text(
        "questions:\n- {q: 金水区有多少家重点实验室, expect: key_labs}\n"
        "compound:\n- {q: 重点实验室比孵化载体多多少家, parts: [key_labs, incubators], op: difference, "
        "result: 80, unit: 家, kind: comparison}\n",
        encoding="utf-8",
    )
    assert main(["eval", str(small)]) == 0
    out = capsys.readouterr().out
    assert "compound and comparison questions 100.00%  (1/1)" in out
    assert "wrong arithmetic: 0; parts dropped silently: 0" in out
