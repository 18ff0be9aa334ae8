"""A thing the report does not hold is said plainly, never offered as a choice of unrelated facts
(session 10): 「金水区有几个街道」 offered 动态项目库/研发机构/工程技术中心; 「１０００家是什么」 offered the facts
writing 1000万元 (a number said with one unit matched a figure of another)."""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Session
from jinshui_qa.conversation.figure_named import stating


@pytest.mark.parametrize(
    ("question", "word"), [("金水区有几个街道", "街道"), ("金水区一共几个街道啊", "街道")]
)
def test_a_vague_question_about_a_thing_no_fact_holds_says_so(
    assistant: Assistant, question: str, word: str
) -> None:
    reply = assistant.reply(question, Session())
    assert reply.status == "fallback" and not reply.options
    assert f"没有关于“{word}" in reply.text


@pytest.mark.parametrize("question", ["１０００家是什么", "1000家是什么", "2000个是啥"])
def test_a_number_with_a_unit_matches_no_figure_of_another_unit(assistant: Assistant, question: str) -> None:
    reply = assistant.reply(question, Session())
    assert reply.status == "fallback" and not reply.options


@pytest.mark.parametrize(
    ("question", "figure"), [("723家是什么", "723家"), ("233个是什么", "233个"), ("１４３家是什么", "143家")]
)
def test_a_number_with_its_own_unit_is_still_answered(
    assistant: Assistant, question: str, figure: str
) -> None:
    reply = assistant.reply(question, Session())
    assert reply.status == "answer" and figure in reply.text


def test_a_threshold_asked_by_its_value_is_still_offered(assistant: Assistant) -> None:
    reply = assistant.reply("1000万元是什么", Session())  # the threshold of two facts: both written in 元
    assert reply.status == "clarify" and len(reply.options) == 2


def test_stating_reads_the_unit_said(assistant: Assistant) -> None:
    base = assistant.base
    assert [f.id for f in stating(base, "723家是什么")] == ["high_tech_enterprises"]
    assert stating(base, "723元是什么") == []  # a count is no amount of money
