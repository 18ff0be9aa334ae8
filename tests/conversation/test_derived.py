"""Averages, estimates at another scope, totals against additions, numbers the user writes, and
comparisons whose first operand is the figure just given (real facts)."""

from __future__ import annotations

from typing import Any

import pytest

from jinshui_qa.conversation.assistant import Assistant, Session
from jinshui_qa.facts.schema import FactBase
from jinshui_qa.maintenance.computed_audit import audit_reply


def ask(assistant: Assistant, *messages: str) -> dict[str, Any]:
    session, data = Session(), {}
    for message in messages:
        data = assistant.reply(message, session).to_json()
    return data


@pytest.mark.parametrize(
    ("question", "expression"),
    [
        ("重点项目平均每个投资多少亿", "3830亿元 ÷ 233个 ≈ 16.44亿元"),
        (
            "重点项目233个，总投资3830亿，年度计划投资521亿，平均每个项目总投资多少",
            "3830亿元 ÷ 233个 ≈ 16.44亿元",
        ),
        ("重点项目平均每个项目的年度计划投资是多少", "521亿元 ÷ 233个 ≈ 2.24亿元"),
        ("担保贷款平均每家企业多少钱", "9.66亿元 ÷ 5000家 ≈ 19.32万元"),
        (
            "What is the average total investment per key project?",
            "383 billion yuan ÷ 233 ≈ 1.64 billion yuan",
        ),
    ],
)
def test_an_average_is_the_total_over_the_count_with_its_computation(
    assistant: Assistant, question: str, expression: str
) -> None:
    data = ask(assistant, question)
    assert data["status"] == "answer" and data["computed"]["op"] == "average"
    assert data["computed"]["expression"] == expression
    assert expression in data["reply"] and not audit_reply(assistant.base, data["reply"])


def test_an_approximate_input_makes_the_average_approximate(assistant: Assistant) -> None:
    data = ask(assistant, "担保贷款平均每家企业多少钱")
    assert "约19.32万元" in data["reply"] and "5000多家" in data["reply"] and "约数" in data["reply"]
    assert data["computed"]["approximate"] is True and data["computed"]["exact"] is False


def test_no_average_without_both_inputs(assistant: Assistant) -> None:
    data = ask(assistant, "科技型企业平均每家多少钱")
    assert data["status"] == "fallback" and not data.get("computed")
    assert "没法计算平均值" in data["reply"]


@pytest.mark.parametrize(
    "dialog",
    [
        ("科技型企业多少家", "高新技术企业呢", "一共多少", "全市一共多少"),
        ("高新技术企业占全市多少", "那科技型企业呢", "两者差几个百分点", "郑州全市一共有多少家"),
        ("科技型企业和高新技术企业全市一共多少家",),
    ],
)
def test_a_city_total_is_never_a_sum_of_jinshui_figures(
    assistant: Assistant, dialog: tuple[str, ...]
) -> None:
    data = ask(assistant, *dialog)
    assert data["status"] == "fallback" and not data.get("computed")
    assert "2781" not in data["reply"] and "报道没有给出郑州全市的总数" in data["reply"]
    assert "估算值，不是报道给出的数字" in data["reply"] and "723家 ÷ 17.5% ≈ 4131家" in data["reply"]
    assert not audit_reply(assistant.base, data["reply"])


def test_an_estimate_asked_for_is_labelled_with_its_computation(assistant: Assistant) -> None:
    data = ask(assistant, "根据占比算一下郑州全市大概有多少家高新技术企业")
    assert data["computed"]["op"] == "estimate" and data["computed"]["result"] == "4131"
    assert "估算" in data["reply"] and "723家 ÷ 17.5% ≈ 4131家" in data["reply"]


@pytest.mark.parametrize(
    "dialog",
    [
        ("市场主体总量比去年多多少",),
        ("金水区去年新增多少市场主体", "今年呢", "总量呢", "占全市多少", "比去年多多少"),
        ("市场主体总量比一季度新增的多多少户",),
    ],
)
def test_a_total_is_not_compared_with_what_was_added(assistant: Assistant, dialog: tuple[str, ...]) -> None:
    data = ask(assistant, *dialog)
    assert data["status"] == "fallback" and not data.get("computed")
    assert "23.7万" not in data["reply"] and "175424" not in data["reply"]
    assert "新增量" in data["reply"]


def test_figures_named_by_value_of_different_periods_are_not_the_same_figure(assistant: Assistant) -> None:
    data = ask(assistant, "1~3月新增的108576户是4.7万的几倍")
    assert data["status"] == "fallback" and "同一个数字" not in data["reply"]
    assert "2022年1~3月" in data["reply"] and "2021年" in data["reply"] and "时间口径不同" in data["reply"]


def test_above_a_number_is_answered_yes_or_no_with_the_figure(assistant: Assistant) -> None:
    data = ask(assistant, "金水区新签约项目计划投资超过200亿了吗")
    assert data["status"] == "answer" and data["reply"].startswith("是的，超过了")
    assert "突破200亿" in data["reply"] and "报道原文：2022年" not in data["reply"]
    assert ask(assistant, "重点项目总投资超过5000亿了吗")["reply"].startswith("没有超过")


@pytest.mark.parametrize(
    ("dialog", "expression"),
    [
        (("金水区有多少家重点实验室", "工程技术中心呢", "是重点实验室的几倍"), "290家 ÷ 143家 ≈ 2.03"),
        (("专项债资金多少", "比储备项目年度投资少多少"), "133亿元 − 84.6亿元 = 48.4亿元"),
    ],
)
def test_the_figure_just_given_is_the_first_operand(
    assistant: Assistant, dialog: tuple[str, ...], expression: str
) -> None:
    assert ask(assistant, *dialog)["computed"]["expression"] == expression


def test_a_share_of_one_another_picks_the_count(assistant: Assistant) -> None:
    data = ask(assistant, "新开项目占重点项目的百分之多少")
    assert data["computed"]["expression"] == "123个 ÷ 233个 ≈ 52.79%"


def test_a_comparison_part_of_a_longer_message_uses_the_parts_before(assistant: Assistant) -> None:
    data = ask(assistant, "科技型企业多少家，高企多少家，各占全市多少，两者差多少")
    assert "2058家 − 723家 = 1335家" in data["reply"] and "关于“者差”" not in data["reply"]
    assert data["parts"][-1]["status"] == "answer"


def test_the_audit_flags_a_wrong_average_or_estimate(assistant: Assistant) -> None:
    base: FactBase = assistant.base
    assert audit_reply(base, "3830亿元 ÷ 233个 ≈ 16.45亿元")
    assert audit_reply(base, "723家 ÷ 17.5% ≈ 4130家")
    assert not audit_reply(base, "2058家 ÷ 20% = 10290家")
