"""Compound and comparison replies end to end: the Assistant, ``ask --json`` and the console."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest

import jinshui_qa.bootstrap
from jinshui_qa.cli import main
from jinshui_qa.console.repl import run_console
from jinshui_qa.conversation.assistant import Assistant, Session
from jinshui_qa.maintenance.computed_audit import audit_reply
from tests.support.tiny import REAL_FACTS


@pytest.fixture
def cli_assistant(assistant: Assistant, monkeypatch: pytest.MonkeyPatch, no_facts_env: None) -> Assistant:
    """``ask`` reuses the session's assistant over the real facts."""
    original = jinshui_qa.bootstrap.bootstrap

    def bootstrap(facts: str | os.PathLike[str] | None = None, **_: object) -> Assistant:
        return assistant if facts is None or Path(facts).resolve() == REAL_FACTS else original(facts)

    monkeypatch.setattr(jinshui_qa.bootstrap, "bootstrap", bootstrap)
    return assistant


def ask_json(question: str, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert main(["ask", "--json", question]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_two_questions_get_two_answers_in_order_and_one_source(
    cli_assistant: Assistant, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ask_json("重点实验室和研发机构各有几家", capsys)
    assert data["status"] == "answer"
    parts = data["parts"]
    assert isinstance(parts, list)
    assert [(p["fact_id"], p["status"], p["figure"], p["period"]) for p in parts] == [
        ("key_labs", "answer", "143家", "2022年"),
        ("rd_institutions", "answer", "12家", "2022年"),
    ]
    reply = str(data["reply"])
    assert reply.index("143家") < reply.index("12家")
    assert reply.count("来源") == 1 and data["computed"] is None


def test_a_part_that_cannot_be_answered_says_so_in_its_place(
    cli_assistant: Assistant, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ask_json("孵化载体有多少家？金水区常住人口有多少？", capsys)
    assert data["status"] == "partial"
    parts = data["parts"]
    assert isinstance(parts, list)
    assert [p["status"] for p in parts] == ["answer", "fallback"]
    assert parts[1]["reason"] and parts[1]["fact_id"] is None
    lines = str(data["reply"]).splitlines()
    assert lines[0].startswith("1. ") and "63家" in lines[0]
    assert lines[1].startswith("2. ") and "人口" in lines[1] and "人口" not in lines[0]


def test_a_difference_shows_both_figures_the_computation_and_that_it_is_computed(
    cli_assistant: Assistant, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ask_json("重点实验室比孵化载体多多少家", capsys)
    assert data["status"] == "answer"
    assert data["computed"] == {"op": "difference", "expression": "143家 − 63家 = 80家", "result": "80",
                                "unit": "家", "exact": True, "larger": "key_labs",
                                "computed_from_report": True}  # fmt: skip
    reply = str(data["reply"])
    assert "重点实验室：143家（2022年）" in reply and "孵化载体：63家（2022年）" in reply
    assert "计算得出，报道本身并未给出" in reply and "来源" in reply


@pytest.mark.parametrize(
    ("question", "expression"),
    [
        ("科技型企业和高新技术企业占全市比重相差多少个百分点", "20% − 17.5% = 2.5个百分点"),
        ("重点项目总投资是年度计划投资的几倍", "3830亿元 ÷ 521亿元 ≈ 7.35"),
        ("重点实验室和研发机构一共有多少家", "143家 + 12家 = 155家"),
        ("How many more key labs than incubation carriers are there?", "143家 − 63家 = 80家"),
    ],
)
def test_computations_are_right_and_pass_the_audit(
    assistant: Assistant, question: str, expression: str
) -> None:
    reply = assistant.reply(question, Session())
    assert reply.status == "answer"
    assert reply.to_json()["computed"]["expression"] == expression
    assert audit_reply(assistant.base, reply.text) == []


@pytest.mark.parametrize(
    ("question", "reason", "says"),
    [
        (
            "2021年新增市场主体和2022年一季度新增市场主体哪个多",
            "incomparable:period",
            "一个是2021年的数字，一个是2022年1~3月的数字",
        ),
        ("重点实验室和专项债资金一共多少", "incomparable:kinds", "一个是企业或机构的数量，一个是金额"),
        ("双创示范基地排名和创新百强区排名相差几名", "incomparable:not_a_quantity", "名次"),
        ("新开项目和重点项目一共多少个", "incomparable:part_of", "重复计算"),
    ],
)
def test_incomparable_figures_get_a_reason_and_no_result(
    assistant: Assistant, question: str, reason: str, says: str
) -> None:
    reply = assistant.reply(question, Session())
    data = reply.to_json()
    assert (reply.status, reply.reason) == ("fallback", reason)
    assert data["computed"] is None and says in reply.text
    assert not re.search(r"[=≈]", reply.text)
    assert audit_reply(assistant.base, reply.text) == []


def test_a_comparison_with_one_unknown_side_computes_nothing(assistant: Assistant) -> None:
    reply = assistant.reply("重点实验室比中原科技城的实验室多多少", Session())
    assert reply.status != "answer" and reply.to_json()["computed"] is None
    assert not re.search(r"[=≈]", reply.text)


def test_the_session_continues_from_the_last_part(assistant: Assistant) -> None:
    session = Session()
    assistant.reply("重点实验室和研发机构各有几家", session, now=1.0)
    assert session.pending == () and session.context is not None
    assert assistant.reply("那孵化载体呢", session, now=2.0).fact_id == "incubators"


def test_two_questions_one_fact_answers_are_answered_once(assistant: Assistant) -> None:
    question = "科技型企业数量和占比是多少"
    reply, alone = assistant.reply(question, Session()), assistant.reply_one(question, Session())
    assert (reply.status, reply.fact_id, reply.text) == ("answer", "tech_enterprises", alone.text)
    assert [p["fact_id"] for p in reply.to_json()["parts"]] == ["tech_enterprises", "tech_enterprises"]


def test_single_questions_are_untouched(assistant: Assistant) -> None:
    for question in (
        "金水区有多少家科技型企业",
        "金水的孵化载体一共多少个啊",
        "请问贵区科技型企业数量及其占全市比重为何？",
        "科技型企业占比较高吗",
        "科技型企业在全市占比是多少",
    ):
        assert assistant.reply(question, Session()) == assistant.reply_one(question, Session())


def test_more_than_eight_questions_are_never_dropped_silently(assistant: Assistant) -> None:
    subjects = ["重点实验室", "研发机构", "孵化载体", "工程技术中心", "科技型企业", "高新技术企业", "重点项目",
                "新开项目", "储备项目", "专项债项目"]  # fmt: skip
    data = assistant.reply("？".join(f"{s}有多少个" for s in subjects), Session()).to_json()
    assert data["status"] == "partial"
    assert [p["reason"] for p in data["parts"]][-3:] == [None, "too_many_parts", "too_many_parts"]
    assert len(data["parts"]) == 10 and "还有2个问题我没有回答" in data["reply"]


def test_the_console_prints_the_compound_reply(assistant: Assistant) -> None:
    stdout = io.StringIO()
    stdin = io.StringIO("重点实验室和研发机构各有几家\n重点实验室比孵化载体多多少家\n")
    assert run_console(lambda: assistant, stdin=stdin, stdout=stdout) == 0
    shown = stdout.getvalue()
    assert (
        "1. 据2022年的报道，金水区共有重点实验室143家" in shown
        and "2. 据2022年的报道，金水区有研发机构12家" in shown
    )
    assert "143家 − 63家 = 80家" in shown


def test_a_qualifier_the_fact_never_mentions_is_not_answered_by_it(assistant: Assistant) -> None:
    data = assistant.reply("重点实验室有几家，其中国家级的有几家", Session()).to_json()
    assert data["status"] == "partial"
    assert [(p["fact_id"], p["status"]) for p in data["parts"]] == [
        ("key_labs", "answer"),
        (None, "fallback"),
    ]
    assert data["parts"][1]["question"] == "其中国家级的有几家" and "国家级" in data["reply"]


def test_a_slip_in_a_name_still_splits(assistant: Assistant) -> None:
    data = assistant.reply("金水区重点实验室和研法机构各有几家", Session()).to_json()
    assert [p["fact_id"] for p in data["parts"]] == ["key_labs", "rd_institutions"]


def test_a_share_of_one_another_is_a_percentage(assistant: Assistant) -> None:
    reply = assistant.reply("高新技术企业占科技型企业的比例是多少", Session())
    assert reply.to_json()["computed"]["expression"] == "723家 ÷ 2058家 ≈ 35.13%"
    assert audit_reply(assistant.base, reply.text) == []
    assert assistant.reply("科技型企业占全市的比例是多少", Session()).fact_id == "tech_enterprises"


def test_the_gate_lets_every_compound_question_through(assistant: Assistant) -> None:
    """Every compound question passes the compound gate, but a formula (「（重点实验室+研发机构）/2」) or a
    power of one figure, which the formula and scalar readers answer before the gate is asked."""
    import yaml

    from jinshui_qa.conversation.gate import may_be_compound
    from tests.support.tiny import REPO

    items = yaml.safe_load((REPO / "tests" / "eval" / "dev_compound.yaml").read_text(encoding="utf-8"))[
        "compound"
    ]
    asked = [str(item["q"]) for item in items]
    replies = {q: assistant.reply(q, Session()) for q in asked}
    formulas = {q for q, r in replies.items() if r.reason in ("formula_not_computed", "meaningless:power")
                or (getattr(r, "computed", None) or {}).get("op") == "formula"}  # fmt: skip
    assert 0 < len(formulas) < 10
    assert all(may_be_compound(q) for q in asked if q not in formulas)
    assert not may_be_compound("金水区有多少家科技型企业") and not may_be_compound("What is Jin Xiao'er?")
