"""Session 8, attack 4: failures a new user's odd input found, each as the general rule it breaks.

A negative number given as the operand of a computation, check or comparison (「高企乘以-1」, 「减去-5」,
「比-100家多多少」, "times minus 2") was read as a subtraction of its absolute value (2058 − 1) or the
sign was dropped (的-2倍 → × 2): now nothing is computed and the reply says why. A number longer than
the default 28 decimal digits crashed the computation (InvalidOperation) or was rounded before it was
worked on (2058 + 99…9 = 1000…0): now the arithmetic is exact. A message of one pinyin syllable («e»,
«1e308») was read as pinyin and answered (额 → the planned investment of signed projects). A follow-up
asking again the measure the last answer holds (「多少亿」 after the total investment) switched to a
sibling fact of the same subject (the annual investment) when their scores tied. A number said in 元
(块钱, yuan) without 万/亿 was read in the figure's unit: 「总投资是3830元吗」 was confirmed as 3830亿元,
「加100元」 added 100亿元, 「超过4000元吗」 said no. A thing named with its period (「2021年新增市场主体除以12」)
was taken for numbers alone, and the 12 for the 12 research institutions. An English threshold whose
number the comparison reader glued to the other side's words ("more than 300 billion yuan") compared the
figure with itself. English hearsay of a thing the router offers a choice for ("I heard there are 300
key projects, …") was not checked: the option whose figure of the stated kind it contradicts is. A stage
of a project asked as reached (「今年重点项目开工了多少」, "have started") was answered with the planned total
investment (3830亿元): it now gets the plan-only fallback, as 完成了 does. 「高企有多少家，还有重点项目总共投了
多少钱」 was read as the sum of both things (and refused: a count and a count of projects): 总共 in a later
clause naming one thing and asking of it is that thing's own total. A threshold, check or gap in pinyin
naming nothing after an answer («chaoguo 700 jia ma») fell back: it is of the figure just given, as in
Chinese.
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


@pytest.mark.parametrize(
    ("text", "head"),
    [
        ("重点项目总投资是3830元吗", "不对，报道说的是3830亿元，不是3830元。"),
        ("重点项目总投资是3830块钱吗", "不对，报道说的是3830亿元，不是3830块钱。"),
        ("重点项目总投资是3830亿吗", "对，报道说的就是3830亿元。"),
        ("重点项目总投资是3830吗", "对，报道说的就是3830亿元。"),  # no unit: the figure's own
        (
            "Is the total investment of key projects 3830 yuan?",
            "No: the report gives 383 billion yuan, not 3830 yuan.",
        ),
    ],
)
def test_a_value_in_yuan_is_yuan_not_the_figures_unit(assistant: Assistant, text: str, head: str) -> None:
    reply = assistant.reply(text, Session())
    assert reply.fact_id == "key_projects_total_investment" and reply.text.startswith(head), reply.text


@pytest.mark.parametrize(
    ("text", "head"),
    [
        ("重点项目总投资超过4000元吗", "是的，超过了。"),
        ("重点项目总投资超过3000吗", "是的，超过了。"),  # no unit: 3000亿元
        ("重点项目总投资超过4000吗", "没有超过。"),
    ],
)
def test_a_threshold_in_yuan_is_yuan(assistant: Assistant, text: str, head: str) -> None:
    reply = assistant.reply(text, Session())
    assert reply.text.startswith(head), reply.text


def test_a_number_added_in_yuan_is_not_added_in_the_figures_unit(assistant: Assistant) -> None:
    reply = assistant.reply("重点项目总投资加100元", Session())
    assert "3830亿元 + 0.000001亿元 = 3830.000001亿元" in reply.text, reply.text
    assert "3930" not in reply.text


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("2021年新增市场主体的一半是多少", "4.7万家 ÷ 2 = 2.35万家"),
        ("2021年新增市场主体除以12", "4.7万家 ÷ 12 ≈ 0.39万家"),
        ("1到3月新增市场主体的一半", "108576户 ÷ 2 = 54288户"),
        ("一季度新增市场主体乘以4", "108576户 × 4 = 434304户"),
    ],
)
def test_a_thing_named_with_its_period_is_worked_on(assistant: Assistant, text: str, line: str) -> None:
    reply = assistant.reply(text, Session())
    assert reply.status == "answer" and line in reply.text, reply.text
    assert "研发机构" not in reply.text


def test_a_thing_of_a_year_the_report_lacks_still_says_so(assistant: Assistant) -> None:
    reply = assistant.reply("2021年高企乘以2", Session())
    assert reply.status == "fallback" and reply.text.startswith("报道里没有2021年的数字"), reply.text


@pytest.mark.parametrize(
    ("text", "head"),
    [
        ("Is the total investment of key projects more than 383 billion yuan?", "It is exactly that number"),
        ("Is the total investment of key projects more than 300 billion yuan?", "Yes, it is above that."),
        ("Is the total investment of key projects more than 400 billion yuan?", "No, it is not above that."),
    ],
)
def test_an_english_threshold_compares_the_figure_with_the_number(
    assistant: Assistant, text: str, head: str
) -> None:
    reply = assistant.reply(text, Session())
    assert reply.fact_id == "key_projects_total_investment" and reply.text.startswith(head), reply.text


@pytest.mark.parametrize(
    ("text", "note"),
    [
        (
            "I heard there are 300 key projects, what is their total investment?",
            "Note: the report gives 233, not 300.",
        ),
        (
            "I heard key projects have 500 billion yuan of investment, how many are there?",
            "Note: the report gives 383 billion yuan, not 500 billion yuan.",
        ),
    ],
)
def test_hearsay_of_a_thing_offered_as_a_choice_is_checked_against_the_option_of_its_kind(
    assistant: Assistant, text: str, note: str
) -> None:
    reply = assistant.reply(text, Session())
    assert reply.status == "answer" and reply.text.startswith(note), reply.text


def test_hearsay_the_report_agrees_with_gets_no_note(assistant: Assistant) -> None:
    reply = assistant.reply("I heard there are 233 key projects, what is their total investment?", Session())
    assert reply.fact_id == "key_projects_total_investment" and not reply.text.startswith("Note"), reply.text


@pytest.mark.parametrize(
    "text",
    ["今年重点项目开工了多少", "今年重点项目达效了多少", "How many key projects have started construction?"],
)
def test_a_stage_reached_asked_of_a_planned_figure_says_the_report_has_only_the_plan(
    assistant: Assistant, text: str
) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.reason) == ("fallback", "attribute:progress"), reply.text
    assert reply.text.startswith(("报道只给出了重点项目的计划数", "The report gives only planned figures")), (
        reply.text
    )


@pytest.mark.parametrize(
    "text", ["重点项目开工了多少", "新开工项目多少个", "How many new projects started in Jinshui this year?"]
)
def test_the_started_projects_are_still_answered(assistant: Assistant, text: str) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.fact_id) == ("answer", "new_projects"), reply.text


def test_a_sum_word_in_a_later_clause_of_one_thing_is_that_things_own_total(assistant: Assistant) -> None:
    reply = assistant.reply("高企有多少家，还有重点项目总共投了多少钱", Session())
    assert "723家" in reply.text and "3830亿元" in reply.text, reply.text
    assert "不能直接比较或相加" not in reply.text and "233个" not in reply.text


@pytest.mark.parametrize(
    "text",
    [
        "高企和科技型企业一共多少家",
        "高企有多少家，它和科技型企业一共多少",
        "高企有多少家，科技型企业有多少家，总共多少",
    ],
)
def test_a_sum_of_two_things_is_still_a_sum(assistant: Assistant, text: str) -> None:
    reply = assistant.reply(text, Session())
    assert "723家 + 2058家 = 2781家" in reply.text, reply.text


@pytest.mark.parametrize(
    ("pinyin", "head"),
    [
        ("chaoguo 700 jia ma", "是的，超过了。"),
        ("shi 700 jia ma", "不对，报道说的是723家，不是700家。"),
        ("bi 700 jia duo duoshao", "高新技术企业：723家"),
    ],
)
def test_a_pinyin_threshold_naming_nothing_is_of_the_figure_just_given(
    assistant: Assistant, pinyin: str, head: str
) -> None:
    _, reply = _ask(assistant, "高企有多少", pinyin)
    assert (reply.status, reply.fact_id) == ("answer", "high_tech_enterprises"), reply.text
    assert reply.text.startswith(head), reply.text
