"""Session 7 findings, each as the general pattern it is, over the real facts.

An amount done (完成投资, 实际投资, "actual investment") of a subject whose figures are planned
(计划, 谋划, 储备) is a progress the report does not give: said plainly, with the plan as what is known,
never the plan as if it were done; 计划完成投资 is the plan itself. A figure actually done that a fact
holds (担保贷款 given) is still answered.

A message that states a figure and then asks (「A占全市20%，那郑州全市有多少家？」) is answered on what
its asking clause asks, read as a follow-up of the premise; the premise's own fact is not given back as
if it answered. A question that checks the premise (「…，对吗」) or works on several figures is read as
before. An estimate's words (大概, 大约, 估计) reach the estimate. A follow-up naming a measure
(那年度计划投资是多少) asks that measure, not the one asked before.

A figure asked about by its value (「19.2万人是什么」) is looked up among the facts' figures, not read by
its words; arithmetic on numbers alone (「2058减723」) asks nothing about Jinshui.
"""

from __future__ import annotations

import pytest

from jinshui_qa.conversation import figure_named, premise
from jinshui_qa.conversation.assistant import Assistant, Session


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("重点项目完成投资多少", ""),
        ("今年重点项目实际完成了多少投资", ""),
        ("重点项目实际投资多少亿", ""),
        ("重点项目年度投资完成情况", "521亿元"),
        ("储备项目完成投资多少", ""),
        ("新签约的项目实际投资了多少", "200亿元"),
    ],
)
def test_an_amount_done_of_a_plan_says_the_report_gives_the_plan(
    assistant: Assistant, text: str, plan: str
) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.reason) == ("fallback", "attribute:progress"), reply.text
    head, _, known = reply.text.partition("我知道的是：")
    assert head.startswith("报道只给出了") and "计划数" in head and "没有实际完成" in head
    assert any(word in known for word in ("计划", "谋划", "储备")) and plan in known  # the plan, named as one


def test_an_amount_done_in_english_says_the_same(assistant: Assistant) -> None:
    reply = assistant.reply("What was the actual investment in the key projects?", Session())
    assert reply.reason == "attribute:progress"
    assert reply.text.startswith("The report gives only planned figures for key projects")


@pytest.mark.parametrize(
    "text", ["重点项目计划完成投资多少", "今年重点项目计划要完成多少投资", "重点项目年度计划投资多少"]
)
def test_the_planned_amount_is_answered_as_the_plan(assistant: Assistant, text: str) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.fact_id) == ("answer", "key_projects_annual_investment")


@pytest.mark.parametrize("text", ["千企万户已经放了多少贷款", "千企万户实际提供了多少担保贷款"])
def test_an_amount_done_that_a_fact_holds_is_answered(assistant: Assistant, text: str) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.fact_id) == ("answer", "guaranteed_loans") and "9.66亿元" in reply.text


def test_progress_of_a_figure_not_planned_keeps_the_plain_head(assistant: Assistant) -> None:
    reply = assistant.reply("专项债资金到位多少", Session())
    assert reply.reason == "attribute:progress" and reply.text.startswith("报道里没有专项债的完成进度信息")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("科技型企业占全市20%，那郑州全市有多少家？", "other_place:郑州"),
        ("金水区的高企有723家，那么全省有多少家", "other_place:全省"),
        ("我看报道说科技型企业2058家，那全国有几家？", "other_place:全国"),
        ("Jinshui has 2058 tech enterprises, so how many are there in Henan?", "other_place:henan"),
    ],
)
def test_a_premise_does_not_answer_the_question_after_it(
    assistant: Assistant, text: str, reason: str
) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.reason) == ("fallback", reason), reply.text
    assert reply.question == text


@pytest.mark.parametrize(
    ("text", "fact_id"),
    [
        ("科技型企业占全市20%，那高企呢？", "high_tech_enterprises"),
        ("重点项目233个，那总投资多少", "key_projects_total_investment"),
        ("高企723家，那占全市多少", "high_tech_enterprises"),
        ("金水区有2058家科技型企业，那高新技术企业有多少", "high_tech_enterprises"),
        ("俺听说高企有七百多家，那科技型企业有多少家嘞", "tech_enterprises"),  # a figure in words
    ],
)
def test_the_asking_clause_after_a_premise_is_answered(assistant: Assistant, text: str, fact_id: str) -> None:
    session = Session()
    reply = assistant.reply(text, session)
    assert (reply.status, reply.fact_id) == ("answer", fact_id), reply.text
    assert session.context is not None and session.context.fact_id == fact_id  # what a follow-up refers to


def test_a_premise_with_an_estimate_word_gets_the_estimate(assistant: Assistant) -> None:
    reply = assistant.reply("金水区科技型企业占全市20%，那郑州全市大概有多少家科技型企业", Session())
    assert reply.status == "answer" and "2058家 ÷ 20% = 10290家" in reply.text and "估算值" in reply.text


@pytest.mark.parametrize(
    "text",
    [
        "科技型企业有2058家，对吗？",  # checks the premise
        "科技型企业2058家，高企723家，那一共多少家",  # works on both figures
        "新开项目123个，占重点项目的比例是多少",  # no turn, no question mark: read whole
        "高企有多少，科技型企业有多少？",  # two questions
        "金水区高新技术企业有多少家",  # one clause
    ],
)
def test_messages_that_are_not_a_premise_and_a_question_are_not_split(text: str) -> None:
    assert premise.split(text) is None


def test_the_split_of_a_premise_and_a_question() -> None:
    assert premise.split("科技型企业占全市20%，那郑州全市有多少家？") == (
        "科技型企业占全市20%",
        "那郑州全市有多少家？",
    )


@pytest.mark.parametrize(
    ("first", "then", "fact_id"),
    [
        ("重点项目有多少个", "那年度计划投资是多少", "key_projects_annual_investment"),
        ("专项债项目有几个", "那债券资金多少？", "special_bond_funds"),
        ("高企有多少家", "那科技型企业呢", "tech_enterprises"),  # a name with no measure keeps the count
    ],
)
def test_a_follow_up_naming_a_measure_asks_that_measure_not_the_one_before(
    assistant: Assistant, first: str, then: str, fact_id: str
) -> None:
    session = Session()
    assert assistant.reply(first, session).status == "answer"
    reply = assistant.reply(then, session)
    assert (reply.status, reply.fact_id) == ("answer", fact_id), reply.text


def test_an_amount_done_of_a_fact_without_figures_is_not_answered_by_its_description(
    assistant: Assistant,
) -> None:
    reply = assistant.reply("重大产业项目实际投资到多少了", Session())
    assert reply.status == "fallback" and reply.reason == "attribute:money"


def test_two_things_asked_after_a_premise_are_both_answered(assistant: Assistant) -> None:
    for text, facts in (
        (
            "重点项目233个，那总投资和年度计划投资各是多少",
            {"key_projects_total_investment", "key_projects_annual_investment"},
        ),
        ("科技型企业2058家，那高企和孵化载体分别多少", {"high_tech_enterprises", "incubators"}),
    ):
        reply = assistant.reply(text, Session())
        assert reply.status == "answer" and {p.fact_id for p in getattr(reply, "parts", ())} == facts, text


@pytest.mark.parametrize(
    ("text", "fact_id"),
    [
        ("19.2万人是什么", "gold_standard_talent"),  # the router read 万人 as 万人助万企
        ("1300余人指的是什么", "leading_talent"),
        ("723家是什么", "high_tech_enterprises"),
        ("17.5%指的是什么", "high_tech_enterprises"),
        ("What does 2058 mean?", "tech_enterprises"),
    ],
)
def test_a_figure_asked_about_answers_the_fact_stating_it(
    assistant: Assistant, text: str, fact_id: str
) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.fact_id) == ("answer", fact_id), reply.text


def test_a_figure_several_facts_state_is_a_choice_among_them(assistant: Assistant) -> None:
    session = Session()
    reply = assistant.reply("200亿是什么", session)
    assert reply.status == "clarify"
    assert {o.fact_id for o in reply.options} == {"qianqi_wanhu", "signed_investment"}
    assert assistant.reply("2", session).fact_id == reply.options[1].fact_id


def test_a_figure_no_fact_states_is_said_to_be_unknown(assistant: Assistant) -> None:
    reply = assistant.reply("999是什么", Session())
    assert (reply.status, reply.reason) == ("fallback", "not_covered:999")
    assert figure_named.stating(assistant.base, "2022是什么") == []  # a year is not a figure


@pytest.mark.parametrize("text", ["2058减723", "3乘以4", "10加5"])
def test_arithmetic_on_numbers_alone_is_not_read_as_a_question_about_jinshui(
    assistant: Assistant, text: str
) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.reason, reply.options) == ("fallback", "numbers", ())


@pytest.mark.parametrize("first", ["高企有多少", "高企占全市多少"])
@pytest.mark.parametrize("then", ["全省呢", "在全省呢"])
def test_the_province_alone_as_a_follow_up_is_not_a_fact_that_mentions_it(
    assistant: Assistant, first: str, then: str
) -> None:
    session = Session()
    assistant.reply(first, session)
    reply = assistant.reply(then, session)  # was: 金水科教园区, 「全省最新潮」
    assert (reply.status, reply.reason) == (
        "fallback",
        "other_place:全省",
    ) and "高新技术企业723家" in reply.text


def test_the_province_alone_names_nothing_to_answer(assistant: Assistant) -> None:
    assert assistant.reply("全省呢", Session()).status != "answer"


@pytest.mark.parametrize(
    ("text", "verdict", "figure"),
    [
        ("储备项目年度投资超过200亿了吗", "没有超过。", "133亿元"),  # was: yes, from the total 465亿
        ("储备项目总投资超过400亿了吗", "是的，超过了。", "465亿元"),
        ("千企万户贷款的企业超过5000家了吗", "是的，超过了。", "5000多家"),  # was: no, from 200亿元
        ("专项债超过50个了吗", "是的，超过了。", "54个"),
        ("专项债超过50亿了吗", "是的，超过了。", "84.6亿元"),
    ],
)
def test_a_threshold_is_compared_with_the_figure_of_what_was_named_and_of_its_kind(
    assistant: Assistant, text: str, verdict: str, figure: str
) -> None:
    reply = assistant.reply(text, Session())
    assert reply.status == "answer" and reply.text.startswith(verdict) and figure in reply.text, reply.text


def test_a_threshold_of_another_kind_than_any_figure_is_not_judged(assistant: Assistant) -> None:
    reply = assistant.reply("科技型企业超过2000亿元了吗", Session())
    assert (reply.status, reply.reason) == ("fallback", "incomparable:kinds")
    assert "超过了" not in reply.text and "2000亿元" in reply.text


@pytest.mark.parametrize(("text", "options"), [
    ("重点项目超过200亿了吗", {"key_projects_total_investment", "key_projects_annual_investment"}),
    ("市场主体超过20万了吗", {"market_entities_total", "market_entities_q1"}),
])  # fmt: skip
def test_a_threshold_of_several_figures_is_a_choice_not_a_verdict(
    assistant: Assistant, text: str, options: set[str]
) -> None:
    session = Session()
    reply = assistant.reply(text, session)
    assert reply.status == "clarify" and {o.fact_id for o in reply.options} == options
    assert session.pending == tuple(o.fact_id for o in reply.options)


@pytest.mark.parametrize("text", ["Are tech enterprises more than 2000?", "Do tech enterprises exceed 2000?"])
def test_a_four_digit_threshold_against_a_thing_is_a_number_not_a_year(
    assistant: Assistant, text: str
) -> None:
    reply = assistant.reply(text, Session())
    assert (
        reply.status == "answer" and reply.text.startswith("Yes, it is above that.") and "2,058" in reply.text
    )


def test_a_dated_four_digit_operand_stays_a_year(assistant: Assistant) -> None:
    reply = assistant.reply(
        "How many more new market entities were there in Q1 2022 than in 2021?", Session()
    )
    assert reply.status == "fallback" and "above that" not in reply.text


@pytest.mark.parametrize(
    ("text", "fact_id", "verdict"),
    [
        (
            "Are there more than 200 key projects?",
            "key_projects_count",
            "Yes, it is above that.",
        ),  # was: 200亿 signed
        ("Does Jinshui have over 2000 tech enterprises?", "tech_enterprises", "Yes, it is above that."),
        ("are there more than 300 key labs", "key_labs", "No, it is not above that."),
        ("Are there fewer than 100 incubation carriers in Jinshui?", "incubators", "Yes, it is below that."),
    ],
)
def test_are_there_more_than_n_things_is_a_threshold(
    assistant: Assistant, text: str, fact_id: str, verdict: str
) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.fact_id, reply.question) == ("answer", fact_id, text)
    assert reply.text.startswith(verdict)


def test_a_follow_up_after_a_choice_of_one_subject_is_about_that_subject(assistant: Assistant) -> None:
    session = Session()
    assistant.reply("重点项目总投资多少", session)
    assert assistant.reply("储备项目", session).status == "clarify"
    reply = assistant.reply("总投资呢", session)  # was: 3830亿, the key projects asked two turns before
    assert (reply.status, reply.fact_id) == ("answer", "reserve_projects_investment")


def test_a_follow_up_two_options_answer_differently_is_offered_again(assistant: Assistant) -> None:
    session = Session()
    assert assistant.reply("专项债", session).status == "clarify"
    reply = assistant.reply("排第几", session)  # 54个 first in the city, 84.6亿 second: not one of them alone
    assert reply.status == "clarify"
    assert {o.fact_id for o in reply.options} == {"special_bond_projects", "special_bond_funds"}


@pytest.mark.parametrize("first", ["高企", "储备项目"])
def test_new_ones_of_a_total_is_said_missing_not_another_fact_that_adds(
    assistant: Assistant, first: str
) -> None:
    session = Session()
    assistant.reply(first, session)
    reply = assistant.reply("新增的", session)  # was: 新增院士1名
    assert (reply.status, reply.reason) == ("fallback", "scope:new"), reply.text


@pytest.mark.parametrize(
    ("text", "fact_id"),
    [
        ("金水区去年新增市场主体多少万", "market_entities_2021"),  # was: 「报道里没有市场主体的金额信息」
        ("市场主体有多少万户", "market_entities_total"),
        ("专项债资金几个亿", "special_bond_funds"),  # was: 「报道里没有专项债的数量信息」
        ("高企占比17.5%，那科技型企业占比呢", "tech_enterprises"),  # 占比 is not a comparison (比)
    ],
)
def test_amounts_in_wan_and_yi_are_read_as_what_they_count(
    assistant: Assistant, text: str, fact_id: str
) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.fact_id) == ("answer", fact_id), reply.text


@pytest.mark.parametrize("text", ["重点项目几个亿", "新签约项目几个亿"])
def test_how_many_yi_is_never_answered_with_a_count(assistant: Assistant, text: str) -> None:
    reply = assistant.reply(text, Session())  # was: 233个 and 30个
    assert reply.fact_id not in ("key_projects_count", "signed_projects")
