"""Session 8, attack 4: failures a new user's odd input found, each as the general rule it breaks.

A negative number given as the operand of a computation, check or comparison (「高企乘以-1」, 「减去-5」,
「比-100家多多少」, "times minus 2") was read as a subtraction of its absolute value (2058 − 1) or the
sign was dropped (的-2倍 → × 2): now nothing is computed and the reply says why. A number longer than
the default 28 decimal digits crashed the computation (InvalidOperation) or was rounded before it was
worked on (2058 + 99…9 = 1000…0): now the arithmetic is exact. A message of one pinyin syllable («e»,
«1e308») was read as pinyin and answered (额 → the planned investment of signed projects). A follow-up
asking again the measure the last answer holds (「多少亿」 after the total investment) switched to a
sibling fact of the same subject (the annual investment) when their scores tied.
"""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Reply, Session


def _ask(assistant: Assistant, *turns: str) -> list[Reply]:
    session = Session()
    return [assistant.reply(turn, session) for turn in turns]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("科技型企业乘以-1", "-1"),
        ("科技型企业乘以 -2", "-2"),
        ("科技型企业乘以负2", "负2"),
        ("科技型企业减去-5", "-5"),
        ("科技型企业除以-2", "-2"),
        ("科技型企业的-2倍", "-2"),
        ("科技型企业比-100家多多少", "-100"),
        ("科技型企业超过负100家吗", "负100"),
        ("科技型企业是-3000家吗", "-3000"),
    ],
)
def test_a_negative_operand_is_never_computed_as_another_number(
    assistant: Assistant, text: str, said: str
) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.reason) == ("fallback", "negative_number"), reply.text
    assert reply.text.startswith(f"“{said}”是负数"), reply.text
    assert "计算：" not in reply.text and "2057" not in reply.text and "4116" not in reply.text


@pytest.mark.parametrize("text", ["tech enterprises times -2", "tech enterprises multiplied by minus 2"])
def test_a_negative_operand_in_english_is_not_computed(assistant: Assistant, text: str) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.reason) == ("fallback", "negative_number"), reply.text
    assert "negative number" in reply.text and "2,056" not in reply.text


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("科技型企业减去2000", "计算：2058家 − 2000家 = 58家"),  # a minus between a thing and a number
        ("科技型企业-2000", "计算：2058家 − 2000家 = 58家"),
        ("科技型企业乘以0.5", "计算：2058家 × 0.5 = 1029家"),
    ],
)
def test_a_minus_that_is_an_operator_still_computes(assistant: Assistant, text: str, line: str) -> None:
    reply = assistant.reply(text, Session())
    assert reply.status == "answer" and line in reply.text, reply.text


NINES = "9" * 44


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (f"科技型企业乘以{NINES}", f"2058家 × {NINES} = 2057{'9' * 40}7942家"),
        (f"科技型企业加{NINES}家", f"2058家 + {NINES}家 = 1{'0' * 40}2057家"),
        (f"科技型企业比{NINES}家少多少", f"{NINES}家 − 2058家 = {'9' * 40}7941家"),
        ("科技型企业除以0.0000000000001", "2058家 ÷ 0.0000000000001 = 20580000000000000家"),
    ],
)
def test_a_long_number_is_worked_on_exactly(assistant: Assistant, text: str, line: str) -> None:
    reply = assistant.reply(text, Session())
    assert reply.status == "answer" and line in reply.text, reply.text


@pytest.mark.parametrize("text", ["e", "E", "e?", "1e308", "3e", "e 308"])
def test_one_pinyin_syllable_is_not_answered(assistant: Assistant, text: str) -> None:
    reply = assistant.reply(text, Session())
    assert reply.status == "fallback" and reply.fact_id is None, reply.text


def test_pinyin_of_two_syllables_or_more_is_still_read(assistant: Assistant) -> None:
    assert assistant.reply("gaoqi", Session()).fact_id == "high_tech_enterprises"
    assert assistant.reply("yuanshi", Session()).fact_id == "academician_new"


@pytest.mark.parametrize(
    ("first", "again", "fact_id"),
    [
        ("重点项目总投资多少", "多少亿", "key_projects_total_investment"),
        ("重点项目总投资多少", "是多少亿", "key_projects_total_investment"),
        ("重点项目年度计划投资多少", "多少亿", "key_projects_annual_investment"),
        ("重点项目总投资多少", "那今年计划投多少", "key_projects_annual_investment"),  # its words say which
        ("重点项目有多少个", "总投资呢", "key_projects_total_investment"),  # another measure: the sibling's
    ],
)
def test_the_measure_just_given_asked_again_stays_on_its_fact(
    assistant: Assistant, first: str, again: str, fact_id: str
) -> None:
    _, reply = _ask(assistant, first, again)
    assert (reply.status, reply.fact_id) == ("answer", fact_id), reply.text
