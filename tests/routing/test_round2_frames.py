"""Round-2 findings on the real fact base: counts before amounts, the latest total, years of dated
figures, excluded parts of a subject, months inside a quarter, courtesies and contact details around a
question, names spelled in pinyin, and follow-ups that point back with a pronoun or at the whole city."""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Reply, Session


def ask(assistant: Assistant, text: str) -> Reply:
    return assistant.reply(text, Session(), now=0.0)


def dialogue(assistant: Assistant, *turns: str) -> list[Reply]:
    session = Session()
    return [assistant.reply(text, session, now=float(n)) for n, text in enumerate(turns)]


@pytest.mark.parametrize(
    ("text", "fact_id"),
    [
        ("金水区重点项目有多少", "key_projects_count"),  # a count noun subject: the count, never 3830亿
        ("重点实验室现在有多少", "key_labs"),
        ("最新的市场主体数量", "market_entities_total"),  # the latest stock, not the 2021 flow
        ("What is the latest number of market entities in Jinshui?", "market_entities_total"),
        ("高新技术企业723家是哪一年的数据", "high_tech_enterprises"),  # a dated figure holds its year
        ("恳谈会在哪里开的", "entrepreneur_forum"),  # its answer holds the place
        ("百强区榜单是谁发布的", "ccid_top100"),  # its answer names 赛迪顾问
        ("担保贷款是哪段时间发放的", "guaranteed_loans"),
        ("金水区科技型企业有多少家 谢谢 你真棒", "tech_enterprises"),  # courtesies ask nothing
        ("俺们金水那旮瘩科技公司多不多", "tech_enterprises"),  # dialect 那旮瘩 = 那里
        ("我的手机号是13812345678高企多少", "high_tech_enterprises"),  # contact details ask nothing
        ("What is Jinxiaoer?", "jinxiaoer"),  # a name spelled as one pinyin word
        ("how many gaoqi", "high_tech_enterprises"),  # an alias (高企) spelled in pinyin
        ("gaoqi zhan quanshi duoshao", "high_tech_enterprises"),
    ],
)
def test_answers_what_a_fact_explains(assistant: Assistant, text: str, fact_id: str) -> None:
    reply = ask(assistant, text)
    assert (reply.status, reply.fact_id) == ("answer", fact_id), reply.reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("金水区非高新的科技型企业有几家", "scope:非高新"),  # a part of the subject no fact counts
        ("除了高企金水区有多少科技型企业", "scope:高新技术企业以外"),
        ("科技型企业有多少钱", "attribute:money"),  # its figures count firms
        ("在谈项目有多少个", "scope:在谈项目"),  # 3 pools are not projects in talks
        ("3月份新增市场主体多少户", "period:2022年3月"),  # a month inside a Jan-Mar flow
        ("How many new market entities in March 2022?", "period:2022年3月"),
        ("How many high-tech enterprises in the whole city?", "other_place:whole city"),
        ("百强区榜单谁排第一", "attribute:who"),  # the holder of a place, not Jinshui's own rank
        ("张红伟书记是哪一年上任的", "attribute:year"),  # no figure: the report's year is not his
        ("新开项目是重点项目的几分之几", "attribute:share"),  # 几分 inside 几分之几 is no score
        ("金水区重点项目数全市排第几", "attribute:rank"),  # the reason of the subject named
    ],
)
def test_falls_back_naming_what_is_missing(assistant: Assistant, text: str, reason: str) -> None:
    reply = ask(assistant, text)
    assert (reply.status, reply.reason) == ("fallback", reason)


def test_a_month_fallback_offers_the_quarter(assistant: Assistant) -> None:
    reply = ask(assistant, "2022年2月新增了多少市场主体")
    assert reply.status == "fallback" and "108576" in reply.text and "1~3月" in reply.text


def test_a_year_fallback_does_not_contradict_itself(assistant: Assistant) -> None:
    reply = ask(assistant, "蜜雪冰城是哪一年成立的")
    assert reply.reason == "attribute:year" and "没有年份信息" not in reply.text


def test_pinyin_input_is_answered_in_chinese(assistant: Assistant) -> None:
    reply = ask(assistant, "jin xiao er shi shen me")
    assert (reply.fact_id, reply.lang) == ("jinxiaoer", "zh")


def test_english_answers_continue_the_sentence_after_the_report_year(assistant: Assistant) -> None:
    reply = ask(assistant, "How many new market entities did Jinshui add in January-March 2022?")
    assert reply.fact_id == "market_entities_q1"
    assert "report, from January" in reply.text


def test_a_pronoun_stands_for_the_previous_subject(assistant: Assistant) -> None:
    _, said = dialogue(assistant, "金水区委书记是谁", "他说了什么")
    assert (said.status, said.fact_id) == ("answer", "party_secretary")


@pytest.mark.parametrize(("first", "then"), [("高新技术企业有多少家", "全市一共多少"),
                                             ("How many high-tech enterprises are there?", "and in the whole city?")])  # fmt: skip
def test_the_whole_city_after_a_count_falls_back_offering_jinshuis_figure(
    assistant: Assistant, first: str, then: str
) -> None:
    _, reply = dialogue(assistant, first, then)
    assert reply.status == "fallback" and reply.reason.startswith("other_place")
    assert "723" in reply.text  # the previous subject's figure, not another topic's


@pytest.mark.parametrize("text", ["金水区去年市场主体总量多少", "2021年金水区市场主体总量是多少"])
def test_a_total_said_inside_a_name_is_a_scope_the_flow_of_that_year_cannot_answer(
    assistant: Assistant, text: str
) -> None:
    """市场主体总量 names the total: 2021's new entities (4.7万) do not answer a 2021 total."""
    reply = ask(assistant, text)
    assert reply.status == "fallback" and reply.fact_id is None and "4.7" not in reply.text


def test_the_frame_of_a_rank_said_in_what_it_counts_is_held(assistant: Assistant) -> None:
    """「全国创新百强区…名次」 is a national rank: asked in the province it falls back, offering the 8th."""
    reply = ask(assistant, "金水区创新百强区排全省第几")
    assert (reply.status, reply.reason) == ("fallback", "level:province") and "8" in reply.text
    assert ask(assistant, "金水区在全国创新百强区排第几").fact_id == "ccid_top100"
