"""Splitting a message into its questions, and the names with 和/与/and that must stay whole."""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.conversation.comparison import detect
from jinshui_qa.conversation.splitting import Gazetteer, clauses, split


@pytest.fixture(scope="module")
def names(assistant: Assistant) -> Gazetteer:
    return Gazetteer.of(assistant.base)


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        ("重点实验室和研发机构各有几家", ["重点实验室有几家", "研发机构有几家"]),
        ("科技型企业跟高新技术企业分别多少家", ["科技型企业多少家", "高新技术企业多少家"]),
        ("金水区有多少家重点实验室和研发机构", ["金水区有多少家重点实验室", "金水区有多少家研发机构"]),
        (
            "重点实验室、研发机构以及孵化载体各有多少家",
            ["重点实验室有多少家", "研发机构有多少家", "孵化载体有多少家"],
        ),
        ("专项债申报了多少个项目，资金排全市第几", ["专项债申报了多少个项目", "专项债资金排全市第几"]),
        ("科技型企业有多少家？高新技术企业呢？", ["科技型企业有多少家?", "高新技术企业呢?"]),
        ("一是重点项目有多少个，二是新开项目有多少个", ["重点项目有多少个", "新开项目有多少个"]),
        (
            "How many incubation carriers and R&D institutions does Jinshui have?",
            [
                "how many incubation carriers does jinshui have?",
                "how many r&d institutions does jinshui have?",
            ],
        ),
        (
            "How many key labs are there, and how many incubation carriers?",
            ["how many key labs are there", "how many incubation carriers?"],
        ),
    ],
)
def test_messages_split_into_their_questions(names: Gazetteer, message: str, parts: list[str]) -> None:
    assert split(message, names) == parts


@pytest.mark.parametrize(
    "message",
    [
        "三标活动和十大战略是什么",  # a name the facts know, with 和 inside
        "标志性成果和突破性进展分别指什么",
        "众创空间与领军企业合作是怎么回事",
        "园区公共服务与专业服务有哪些",
        "大众创业万众创新示范基地排第几",
        "金水区和高校院所怎么合作",  # 金水区 is the place, not a second subject
        "双创团队和项目有几个",  # 「项目」 alone names nothing the facts know
        "专项债涉及的钱一共多少",  # 涉及 is a word, not a conjunction
        "What is the Jinshui Science and Education Park known for?",
        "How many research and development institutions are there?",
        "金水区有多少家科技型企业",
    ],
)
def test_names_and_single_questions_stay_whole(names: Gazetteer, message: str) -> None:
    assert split(message, names) == [message]


def test_a_preamble_joins_the_question_after_it_and_courtesies_are_left_out() -> None:
    assert clauses("您好，我是做外贸的，想问一下重点项目有多少个？谢谢") == [
        "我是做外贸的，想问一下重点项目有多少个?"
    ]
    assert clauses("金水区高企有几家，弄啥嘞，非常感谢您的解答！") == ["金水区高企有几家"]


def test_a_part_naming_nothing_known_keeps_the_message_whole(names: Gazetteer) -> None:
    assert split("你们是机器人吗，重点实验室有几家", names) == ["你们是机器人吗，重点实验室有几家"]


@pytest.mark.parametrize(
    ("message", "op"),
    [
        ("重点实验室比孵化载体多多少家", "difference"),
        ("科技型企业是高新技术企业的几倍", "ratio"),
        ("孵化载体和研发机构哪个多", "larger"),
        ("研发机构多还是孵化载体多", "larger"),
        ("重点实验室和研发机构一共有多少家", "sum"),
        ("科技型企业和高新技术企业占全市比重相差多少个百分点", "pp_difference"),
        ("How many more key labs than incubation carriers are there?", "difference"),
        ("How many times as many tech-based enterprises as high-tech enterprises are there?", "ratio"),
        (
            "Which is bigger, the total investment of key projects or their annual planned investment?",
            "larger",
        ),
        ("How many key labs and engineering centres are there combined?", "sum"),
    ],
)
def test_comparisons_are_read_with_both_operands(names: Gazetteer, message: str, op: str) -> None:
    ask = detect(message, names)
    assert ask is not None and ask.op == op
    assert all(names.knows(operand) for operand in ask.operands)


@pytest.mark.parametrize(
    "message", ["金水的孵化载体一共多少个啊", "恁郑州市金水区科技型企业统共有多少家？占全市几成？"]
)
def test_a_total_of_one_thing_is_not_a_comparison(names: Gazetteer, message: str) -> None:
    assert detect(message, names) is None


def test_the_gazetteer_finds_the_longest_names(names: Gazetteer) -> None:
    assert names.found("重点实验室有几家") == ["重点实验室"]
    assert names.subject_in("专项债申报了多少个项目") == "专项债"
    assert names.found("jinshui r&d institutions") == ["r&d institutions"]
