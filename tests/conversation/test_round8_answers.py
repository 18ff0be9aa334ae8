"""Session 8 findings, each as the general pattern it is, over the real facts.

A figure worked on with a number the user gives (乘以, 除以, 的一半, 的N倍, 翻一番, 加, 减; half, double,
times) is computed and the computation shown; so is the gap to a number (比2000家多多少, 离1000家还差多少),
never a yes/no. A value the user states and asks to confirm (是3000家吗, 对吧, 没错吧, "Are there 3,000…?")
opens the answer with 对 / 不对 / 差不多 and the report's figure; a choice of figures of several kinds is
settled by the kind of the value (300个: the count). A yes/no or a computation whose thing is offered as a
choice is asked again of the option picked («1»). A premise said as hearsay (听说, 据说, I heard) that the
report contradicts is noted. Whether a plan was done, asked of a planned figure, says the report has only
the plan. A rate no fact mentions (开工率), a year asked what it is (2022是什么) and a number the report
only writes (100是什么) are never answered with a choice of unrelated facts. A measure the routed fact lacks
but a related fact of the same subject holds is answered from it (新签约项目几个亿). Thresholds, checks and
gaps typed in toneless pinyin, and English thresholds naming their thing, read as in Chinese.
"""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Reply, Session


def _ask(assistant: Assistant, *turns: str) -> list[Reply]:
    session = Session()
    return [assistant.reply(turn, session) for turn in turns]


# -- a threshold's choice, then «1» ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("turns", "fact_id", "verdict"),
    [
        (("重点项目超过200亿了吗", "1"), "key_projects_total_investment", "是的，超过了。"),
        (("重点项目超过200亿了吗", "2"), "key_projects_annual_investment", "是的，超过了。"),
        (("重点项目有没有超过1000亿", "第二个"), "key_projects_annual_investment", "没有超过。"),
        (("重点项目超过200亿了吗", "总投资"), "key_projects_total_investment", "是的，超过了。"),
        (("Is the investment of key projects over 500 billion yuan?", "1"), "key_projects_total_investment",
         "No, it is not above that."),
        (("重点项目是不是500亿", "1"), "key_projects_annual_investment", "不对，报道说的是521亿元，不是500亿。"),
        (("重点项目的一半", "2"), "key_projects_count", "2022年全年谋划的重点项目数：233个"),
    ],
)  # fmt: skip
def test_the_option_picked_gets_the_question_that_offered_it(
    assistant: Assistant, turns: tuple[str, str], fact_id: str, verdict: str
) -> None:
    offered, picked = _ask(assistant, *turns)
    assert offered.status == "clarify" and fact_id in {o.fact_id for o in offered.options}
    assert (picked.status, picked.fact_id) == ("answer", fact_id)
    assert picked.text.startswith(verdict), picked.text


def test_a_new_question_after_such_a_choice_forgets_it(assistant: Assistant) -> None:
    _, asked, picked = _ask(assistant, "重点项目超过200亿了吗", "储备项目", "1")
    assert asked.status == "clarify" and picked.status == "answer"
    assert not picked.text.startswith(("是的", "没有"))  # a plain answer: the threshold was not kept


# -- a figure worked on with a number ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "fact_id", "expression"),
    [
        ("高企乘以2", "high_tech_enterprises", "723家 × 2 = 1446家"),
        ("高企的两倍是多少", "high_tech_enterprises", "723家 × 2 = 1446家"),
        ("高企翻一番是多少", "high_tech_enterprises", "723家 × 2 = 1446家"),
        ("科技型企业的一半", "tech_enterprises", "2058家 ÷ 2 = 1029家"),
        ("科技型企業的一半是多少", "tech_enterprises", "2058家 ÷ 2 = 1029家"),
        ("科技型企业的三分之一", "tech_enterprises", "2058家 × 1/3 ≈ 686家"),
        ("重点项目总投资除以3", "key_projects_total_investment", "3830亿元 ÷ 3 ≈ 1276.67亿元"),
        ("科技型企业占比的一半", "tech_enterprises", "20% ÷ 2 = 10%"),
        ("科技型企业加上100家", "tech_enterprises", "2058家 + 100家 = 2158家"),
        ("科技型企业减100是多少", "tech_enterprises", "2058家 − 100家 = 1958家"),
        ("重点项目总投资的10%是多少", "key_projects_total_investment", "3830亿元 × 10% = 383亿元"),
        ("科技型企业的两成是多少", "tech_enterprises", "2058家 × 20% = 411.6家"),
        ("一半的高企是多少", "high_tech_enterprises", "723家 ÷ 2 = 361.5家"),
        ("如果高企翻倍会有多少", "high_tech_enterprises", "723家 × 2 = 1446家"),
        ("half of the tech enterprises", "tech_enterprises", "2,058 ÷ 2 = 1,029"),
        ("high-tech enterprises times 2", "high_tech_enterprises", "723 × 2 = 1,446"),
    ],
)
def test_a_figure_worked_on_with_a_number_shows_the_computation(
    assistant: Assistant, text: str, fact_id: str, expression: str
) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.fact_id) == ("answer", fact_id)
    computed = reply.to_json()["computed"]
    assert computed["expression"] == expression and computed["computed_from_report"] is True
    assert expression in reply.text
    assert "本助手根据报道中的这个数字计算得出" in reply.text or "Computed by this assistant" in reply.text


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("科技型企业比2000家多多少", "科技型企业比2000家多58家：2058家 − 2000家 = 58家"),
        ("科技型企业跟2000家差多少", "科技型企业比2000家多58家：2058家 − 2000家 = 58家"),
        ("高企比1000家多多少", "其实不是多，是少。高新技术企业比1000家少277家：1000家 − 723家 = 277家"),
        ("高企离1000家还差多少", "高新技术企业比1000家少277家：1000家 − 723家 = 277家"),
        ("重点项目比300个少多少", "2022年全年谋划的重点项目数比300个少67个：300个 − 233个 = 67个"),
        ("how many more than 2000 tech enterprises are there?", "Tech-based enterprises: 58 more than 2,000: "
         "2,058 − 2,000 = 58"),
        ("how many fewer high-tech enterprises than 1000?", "High-tech enterprises: 277 less than 1,000: "
         "1,000 − 723 = 277"),
    ],
)  # fmt: skip
def test_the_gap_to_a_number_is_computed_not_a_yes(assistant: Assistant, text: str, line: str) -> None:
    reply = assistant.reply(text, Session())
    assert reply.status == "answer" and reply.text.splitlines()[1] == line
    assert not reply.text.startswith(("是的", "没有", "Yes", "No"))


@pytest.mark.parametrize(
    ("turns", "expression"),
    [
        (("科技型企业有多少家", "比2000家多多少"), "2058家 − 2000家 = 58家"),
        (("高企有多少家", "那乘以3呢"), "723家 × 3 = 2169家"),
        (("高企有多少家", "一半呢"), "723家 ÷ 2 = 361.5家"),
        (("How many high-tech enterprises are there?", "times 2?"), "723 × 2 = 1,446"),
    ],
)
def test_an_operation_naming_nothing_works_on_the_figure_just_given(
    assistant: Assistant, turns: tuple[str, str], expression: str
) -> None:
    _, reply = _ask(assistant, *turns)
    assert reply.status == "answer" and reply.to_json()["computed"]["expression"] == expression


def test_a_share_stated_is_not_a_part_asked(assistant: Assistant) -> None:
    reply = assistant.reply("科技型企业占全市的20%", Session())
    assert reply.fact_id == "tech_enterprises" and reply.to_json().get("computed") is None


def test_one_figure_asked_as_half_of_another_is_a_ratio(assistant: Assistant) -> None:
    reply = assistant.reply("高企的数量是科技型企业的一半吗", Session())
    assert reply.status == "answer" and "723家 ÷ 2058家 ≈ 0.35倍" in reply.text
    assert reply.question == "高企的数量是科技型企业的一半吗"


@pytest.mark.parametrize(
    ("text", "fact_id", "expression"),
    [
        ("重点项目总投资除以重点项目数", "key_projects_total_investment", "3830亿元 ÷ 233个 ≈ 16.44亿元"),
        ("储备项目投资额除以储备项目数", "reserve_projects_investment", "465亿元 ÷ 134个 ≈ 3.47亿元"),
    ],
)
def test_an_amount_divided_by_its_count_is_the_average(
    assistant: Assistant, text: str, fact_id: str, expression: str
) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.fact_id) == ("answer", fact_id) and expression in reply.text
    assert "规模门槛" not in reply.text  # a limit the report states is no operand (465亿元 ÷ 1000万元 was)


def test_a_limit_is_not_computed_with_unless_asked(assistant: Assistant) -> None:
    reply = assistant.reply("储备项目投资额是储备项目数的几倍", Session())
    assert "4650倍" not in reply.text and "÷ 1000万元" not in reply.text


def test_numbers_alone_are_still_not_a_figure_of_the_report(assistant: Assistant) -> None:
    reply = assistant.reply("2058减723", Session())
    assert (reply.status, reply.reason) == ("fallback", "numbers")


# -- a stated value checked ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "head"),
    [
        ("科技型企业是3000家吗", "不对，报道说的是2058家，不是3000家。"),
        ("科技型企业有2000家对吗", "不对，报道说的是2058家，不是2000家。"),
        ("科技型企業是三千家嗎", "不对，报道说的是2058家，不是3000家。"),
        ("科技型企业是2058家吗", "对，报道说的就是2058家。"),
        ("高企是不是七百二十三家", "对，报道说的就是723家。"),
        ("高企有800家是真的吗", "不对，报道说的是723家，不是800家。"),
        ("重点项目是300个吗", "不对，报道说的是233个，不是300个。"),
        ("重点项目有233个没错吧", "对，报道说的就是233个。"),
        ("领军人才有一千三百多人吗", "对，报道说的就是1300余人。"),
        ("科技型企业占全市30%吗", "不对，报道说的是占全市20%，不是30%。"),
        ("金水区的科技型企业是不是占了全市的两成", "对，报道说的就是占全市20%。"),
        ("科技型企业有没有3000家", "不对，报道说的是2058家，不是3000家。"),
        ("科技型企业大概2000家左右吧", "差不多：报道说的是2058家。"),
        ("科技型企业是两千家出头吧", "对，报道说的就是2058家。"),
        ("重点项目总投资是4000亿吗", "不对，报道说的是3830亿元，不是4000亿。"),
        ("Are there 3,000 tech enterprises in Jinshui?", "No: the report gives 2,058, not 3000."),
        ("Is the number of high-tech enterprises 723?", "Yes: the report gives 723."),
    ],
)
def test_a_stated_value_is_confirmed_or_corrected(assistant: Assistant, text: str, head: str) -> None:
    reply = assistant.reply(text, Session())
    assert reply.status == "answer" and reply.text.splitlines()[0] == head


@pytest.mark.parametrize(
    ("turns", "head"),
    [
        (("高企有多少家", "是700家吗"), "不对，报道说的是723家，不是700家。"),
        (("高企有多少家", "有723家吧"), "对，报道说的就是723家。"),
        (("How many high-tech enterprises are there?", "is it 800?"), "No: the report gives 723, not 800."),
    ],
)
def test_a_value_checked_after_an_answer_is_checked_against_it(
    assistant: Assistant, turns: tuple[str, str], head: str
) -> None:
    _, reply = _ask(assistant, *turns)
    assert reply.status == "answer" and reply.text.splitlines()[0] == head


@pytest.mark.parametrize(
    "text", ["科技型企业有多少家", "2022年科技型企业有多少家", "前3个月新增市场主体多少户"]
)
def test_a_question_stating_no_value_is_not_checked(assistant: Assistant, text: str) -> None:
    reply = assistant.reply(text, Session())
    assert reply.status == "answer" and not reply.text.startswith(("对", "不对", "差不多"))


# -- premises, plans, rates, years ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "note", "fact_id"),
    [
        ("我听说重点项目有300个，总投资多少？", "提醒：报道说的是233个，不是300个。", "key_projects_total_investment"),
        ("听说重点项目有300个，总投资多少", "提醒：报道说的是233个，不是300个。", "key_projects_total_investment"),
        ("聽說重點項目有300個，總投資多少", "提醒：报道说的是233个，不是300个。", "key_projects_total_investment"),
        ("据说高企有1000家，科技型企业有多少家", "提醒：报道说的是723家，不是1000家。", "tech_enterprises"),
        ("我看新闻说重点项目总投资4000亿，年度计划多少", "提醒：报道说的是3830亿元，不是4000亿。",
         "key_projects_annual_investment"),
        ("I heard Jinshui has 3000 tech enterprises, so how many high-tech enterprises are there?",
         "Note: the report gives 2,058, not 3000.", "high_tech_enterprises"),
    ],
)  # fmt: skip
def test_a_premise_the_report_contradicts_is_noted(
    assistant: Assistant, text: str, note: str, fact_id: str
) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.fact_id) == ("answer", fact_id) and reply.text.splitlines()[0] == note


def test_a_premise_the_report_agrees_with_gets_no_note(assistant: Assistant) -> None:
    reply = assistant.reply("听说重点项目有233个，总投资多少", Session())
    assert reply.fact_id == "key_projects_total_investment" and not reply.text.startswith("提醒")


@pytest.mark.parametrize(
    "text",
    ["重点项目年度计划完成了吗", "重点项目年度计划完成没", "新签约项目的投资到位了吗",
     "Has the annual investment plan for the key projects been completed?"],
)  # fmt: skip
def test_a_plan_asked_as_done_says_the_report_has_only_the_plan(assistant: Assistant, text: str) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.reason) == ("fallback", "attribute:progress")
    assert "计划数，没有实际完成" in reply.text or "only planned figures" in reply.text


def test_a_plan_asked_as_a_plan_is_still_answered(assistant: Assistant) -> None:
    reply = assistant.reply("重点项目计划完成投资多少", Session())
    assert (reply.status, reply.fact_id) == ("answer", "key_projects_annual_investment")


@pytest.mark.parametrize(
    ("text", "rate"), [("重点项目开工率多少", "开工率"), ("孵化器的入驻率是多少", "入驻率")]
)
def test_a_rate_no_fact_mentions_is_said_to_be_missing(assistant: Assistant, text: str, rate: str) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.reason, reply.options) == ("fallback", f"not_covered:{rate}", ())
    assert reply.text.startswith(f"报道里没有关于“{rate}”的信息。")


def test_a_rate_asked_as_a_follow_up_is_said_to_be_missing_of_that_thing(assistant: Assistant) -> None:
    _, reply = _ask(assistant, "重点项目有多少个", "开工率呢")
    assert (reply.status, reply.reason) == ("fallback", "not_covered:开工率")
    assert reply.text.startswith(
        "报道里没有关于“开工率”的信息。我知道的是：2022年全年谋划的重点项目233个。\n\n来源："
    )


def test_a_ratio_to_the_thing_just_named_takes_the_figure_before(assistant: Assistant) -> None:
    *_, reply = _ask(assistant, "科技型企业有多少", "比高企多多少", "那是高企的几倍")
    assert reply.status == "answer" and "2058家 ÷ 723家 ≈ 2.85倍" in reply.text


def test_the_reports_year_asked_what_it_is_says_so(assistant: Assistant) -> None:
    for text in ("2022是什么", "2022年是什么意思"):
        reply = assistant.reply(text, Session())
        assert (reply.status, reply.options) == ("fallback", ()) and reply.text.startswith("2022是年份")
    assert assistant.reply("what is 2022", Session()).text.startswith("2022 is a year")


def test_another_year_gives_its_figure_or_says_none(assistant: Assistant) -> None:
    assert assistant.reply("2021是啥", Session()).fact_id == "market_entities_2021"
    reply = assistant.reply("2019是什么", Session())
    assert reply.status == "fallback" and reply.text.startswith("报道里没有2019年的数字")


def test_a_number_the_report_only_writes_offers_the_facts_writing_it(assistant: Assistant) -> None:
    reply = assistant.reply("100是什么", Session())
    assert reply.status == "clarify"
    assert {o.fact_id for o in reply.options} == {"digital_cluster", "ccid_top100"}


# -- a measure held by a related fact; pinyin; English thresholds -----------------------------------
@pytest.mark.parametrize("text", ["新签约项目几个亿", "签约项目有多少钱"])
def test_a_measure_held_by_a_related_fact_is_answered_from_it(assistant: Assistant, text: str) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.fact_id) == ("answer", "signed_investment") and "200亿元" in reply.text


def test_a_measure_no_related_fact_holds_still_falls_back(assistant: Assistant) -> None:
    reply = assistant.reply("新开项目几个亿", Session())
    assert (reply.status, reply.reason) == ("fallback", "attribute:money")


@pytest.mark.parametrize(
    ("text", "fact_id", "head"),
    [
        ("keji xing qiye chaoguo 2000 jia le ma", "tech_enterprises", "是的，超过了。"),
        ("gaoqi you meiyou chaoguo 1000 jia", "high_tech_enterprises", "没有超过。"),
        ("zhongdian xiangmu zongtouzi chaoguo 3000 yi le ma", "key_projects_total_investment", "是的，超过了。"),
        ("keji xing qiye shi 3000 jia ma", "tech_enterprises", "不对，报道说的是2058家，不是3000家。"),
        ("gaoqi bi 700 jia duo duoshao", "high_tech_enterprises", "高新技术企业：723家（2022年）"),
        ("Is the number of high-tech enterprises above 1000?", "high_tech_enterprises", "No, it is not above that."),
        ("Are high-tech enterprises below 1000?", "high_tech_enterprises", "Yes, it is below that."),
    ],
)  # fmt: skip
def test_pinyin_and_english_thresholds_read_as_in_chinese(
    assistant: Assistant, text: str, fact_id: str, head: str
) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.fact_id) == ("answer", fact_id) and reply.text.startswith(head), reply.text
    assert reply.question == text
