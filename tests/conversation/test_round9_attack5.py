"""Session 9 attacker findings, each as the general pattern it is, over the real facts.

增加 (一年增加多少, 增加了多少) asks how many were added, like 新增: a fact holding only a total says the
report has no count of the added ones (it used to answer the total as if it were the increase), and a
fact holding an added count answers it.
"""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Reply, Session


def _one(assistant: Assistant, text: str) -> Reply:
    return assistant.reply(text, Session())


# -- 增加 is "added", not the total ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "question",
    [
        "高企一年增加多少家",
        "高企增加了多少",
        "科技型企业增加多少家",
        "重点项目一年增加多少个",
        "研发机构每年增加几家",
    ],
)
def test_increase_of_a_total_is_not_answered_with_the_total(assistant: Assistant, question: str) -> None:
    reply = _one(assistant, question)
    assert reply.status == "fallback"
    assert "没有新增多少的数字" in reply.text


def test_increase_of_an_added_count_is_answered(assistant: Assistant) -> None:
    reply = _one(assistant, "市场主体增加了多少")
    assert reply.status == "answer"
    assert "108576" in reply.text


# -- an exclamation and an emphatic question of the same thing: one answer -------------------------------
@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("咋恁多高企，到底有几家", "723家"),  # the second part asks 到底 of the same subject
        ("高企有多少，目前到底有几家", "723家"),
        ("这么多重点项目啊，总共有几个", "233个"),  # 这么 is not the question particle 么
        ("那么多研发机构，到底有几家", "12家"),
        ("重点实验室有几家，究竟有多少家", "143家"),
    ],
)
def test_emphasis_asks_nothing_new(assistant: Assistant, question: str, figure: str) -> None:
    reply = _one(assistant, question)
    assert reply.status == "answer"
    assert figure in reply.text
    assert "找不到" not in reply.text and "请单独再问" not in reply.text


def test_a_qualifier_the_fact_lacks_still_falls_back_in_its_place(assistant: Assistant) -> None:
    reply = _one(assistant, "高企有多少，国家级的有几家")
    assert reply.status == "partial"
    assert "723家" in reply.text and "国家级" in reply.text


# -- Henan dialect small talk ----------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["中", "中不中", "中不中啊", "弄啥嘞", "恁弄啥咧", "得劲不"])
def test_dialect_small_talk_is_small_talk(assistant: Assistant, text: str) -> None:
    reply = _one(assistant, text)
    assert reply.status == "smalltalk"
    assert reply.reason == "greeting"
    assert "金水区问答助手" in reply.text


@pytest.mark.parametrize(("text", "figure"), [("中，高企有多少", "723家"), ("工程技术中心有几家", "290家")])
def test_dialect_word_inside_a_question_is_still_the_question(
    assistant: Assistant, text: str, figure: str
) -> None:
    reply = _one(assistant, text)
    assert reply.status == "answer"
    assert figure in reply.text


# -- a value checked in one part of a compound message keeps its verdict --------------------------------
@pytest.mark.parametrize(
    ("question", "verdicts"),
    [
        (
            "高企有723家吗？科技型企业有3000家吗？",
            ["对，报道说的就是723家", "不对，报道说的是2058家，不是3000家"],
        ),
        ("高企有多少家，科技型企业是不是3000家", ["不对，报道说的是2058家，不是3000家"]),
        (
            "研发机构有12家吗？孵化载体是不是100家？",
            ["对，报道说的就是12家", "不对，报道说的是63家，不是100家"],
        ),
    ],
)
def test_a_check_inside_a_compound_keeps_its_verdict(
    assistant: Assistant, question: str, verdicts: list[str]
) -> None:
    reply = _one(assistant, question)
    assert reply.status == "answer"
    for verdict in verdicts:
        assert verdict in reply.text
    assert reply.text.startswith("1. ")  # each verdict inside its numbered part


def test_a_plain_compound_has_no_note(assistant: Assistant) -> None:
    reply = _one(assistant, "高企和科技型企业各有多少")
    assert "1. 据2022年的报道，金水区有高新技术企业723家" in reply.text
    assert "对，" not in reply.text and "提醒" not in reply.text


# -- an average asked as a follow-up is of the subject just answered -------------------------------------
def _dialog(assistant: Assistant, *turns: str) -> list[Reply]:
    session = Session()
    return [assistant.reply(turn, session) for turn in turns]


@pytest.mark.parametrize(
    ("first", "then", "shown"),
    [
        ("重点项目总投资多少", "平均每个项目多少钱", "3830亿元 ÷ 233个 ≈ 16.44亿元"),
        ("重点项目有几个", "平均每个投资多少亿", "3830亿元 ÷ 233个 ≈ 16.44亿元"),
        ("专项债资金多少", "平均每个项目多少", "84.6亿元 ÷ 54个 ≈ 1.57亿元"),
        ("how much is the total investment of key projects", "what is the average per project", "÷ 233"),
    ],
)
def test_an_average_follow_up_is_of_the_subject_answered(
    assistant: Assistant, first: str, then: str, shown: str
) -> None:
    reply = _dialog(assistant, first, then)[-1]
    assert reply.status == "answer"
    assert shown in reply.text


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("重点项目总投资多少", "平均工资多少"),
        ("重点项目总投资多少", "人均收入呢"),
        ("高企有多少", "金水区人均GDP多少"),
        ("how much is the total investment of key projects", "what is the average salary"),
    ],
)
def test_an_average_of_something_else_is_not_the_subjects(
    assistant: Assistant, first: str, then: str
) -> None:
    reply = _dialog(assistant, first, then)[-1]
    assert reply.status == "fallback"
    assert "÷" not in reply.text


# -- 对不对 asks: a clause checking a value is a question of its own -------------------------------------
@pytest.mark.parametrize(
    ("question", "verdicts"),
    [
        (
            "重点项目233个吗，总投资4000亿对不对",
            ["对，报道说的就是233个", "不对，报道说的是3830亿元，不是4000亿"],
        ),
        ("高企有多少，科技型企业3000家对不对", ["723家", "不对，报道说的是2058家，不是3000家"]),
    ],
)
def test_a_clause_asking_dui_bu_dui_is_checked(
    assistant: Assistant, question: str, verdicts: list[str]
) -> None:
    reply = _one(assistant, question)
    assert reply.status == "answer"
    for verdict in verdicts:
        assert verdict in reply.text


# -- 增加到 / 增加至: the level reached, a total -----------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "figure"),
    [("高企增加到多少家了", "723家"), ("研发机构增加至多少家", "家"), ("重点项目增加到几个了", "233个")],
)
def test_increase_to_asks_the_level_reached(assistant: Assistant, question: str, figure: str) -> None:
    reply = _one(assistant, question)
    assert reply.status == "answer"
    assert figure in reply.text and "没有新增多少的数字" not in reply.text
