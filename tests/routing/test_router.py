"""The router and the dialogue on the real fact base: statuses, vetoes, language, sources, follow-ups."""

from __future__ import annotations

import dataclasses
import json

import pytest

from jinshui_qa.bootstrap import bootstrap
from jinshui_qa.conversation import replies
from jinshui_qa.conversation.assistant import CONTEXT_SECONDS, CONTEXT_TURNS, Assistant, Reply, Session
from jinshui_qa.routing.router import RouteResult
from tests.support.tiny import WriteFacts


def ask(assistant: Assistant, text: str) -> Reply:
    return assistant.reply(text, Session())


def dialogue(assistant: Assistant, *turns: str, start: float = 0.0) -> list[Reply]:
    session = Session()
    return [assistant.reply(text, session, now=start + n) for n, text in enumerate(turns)]


# -- the four statuses, as plain data --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("金水区有多少家科技型企业", "tech_enterprises"),
        ("高企有几家", "high_tech_enterprises"),
        ("金水區高新技術企業有多少家", "high_tech_enterprises"),
        ("金小二是什么", "jinxiaoer"),
        ("jinxiaoer shi shenme", "jinxiaoer"),
        ("今年谋划了多少重点项目", "key_projects_count"),
        ("How many high-tech enterprises does Jinshui have?", "high_tech_enterprises"),
        ("how many tech-based enterprises are in jinshui", "tech_enterprises"),
    ],
)
def test_answer(assistant: Assistant, question: str, fact_id: str) -> None:
    reply = ask(assistant, question)
    assert (reply.status, reply.fact_id) == ("answer", fact_id)
    assert reply.score > 0
    assert reply.options == ()
    assert reply.topic == assistant.base.fact(fact_id).topic


def test_route_result_is_plain_data(assistant: Assistant) -> None:
    result = assistant.router.route("高企有几家")
    assert isinstance(result, RouteResult) and dataclasses.is_dataclass(result)
    assert result.status in {"answer", "clarify", "fallback", "smalltalk"}
    assert (result.status, result.fact_id, result.lang) == ("answer", "high_tech_enterprises", "zh")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.status = "fallback"  # type: ignore[misc]
    reply = ask(assistant, "高企有几家")
    assert json.loads(json.dumps(reply.to_json(), ensure_ascii=False)) == reply.to_json()


def test_clarify_offers_two_or_three_choices(assistant: Assistant) -> None:
    reply = ask(assistant, "项目")
    assert reply.status == "clarify"
    assert reply.fact_id is None
    assert 2 <= len(reply.options) <= 3
    ids = [o.fact_id for o in reply.options]
    assert len(set(ids)) == len(ids)
    for n, option in enumerate(reply.options, 1):
        assert option.title == assistant.base.fact(option.fact_id).title.zh
        assert f"{n}. {option.title}" in reply.text.splitlines()
    assert reply.text.startswith("您想问的是哪一个？")


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("你好", "greeting"),
        ("谢谢", "thanks"),
        ("帮助", "help"),
        ("你是谁", "identity"),
        ("再见", "bye"),
        ("hello", "greeting"),
        ("thank you", "thanks"),
        ("who are you", "identity"),
        ("谢谢啦！", "thanks"),
    ],
)
def test_smalltalk(assistant: Assistant, message: str, kind: str) -> None:
    reply = ask(assistant, message)
    assert (reply.status, reply.reason, reply.fact_id) == ("smalltalk", kind, None)
    assert reply.text


def test_smalltalk_plus_question_is_a_question(assistant: Assistant) -> None:
    reply = ask(assistant, "你好，高企有多少家")
    assert (reply.status, reply.fact_id) == ("answer", "high_tech_enterprises")


@pytest.mark.parametrize("message", ["", "   ", "？？？", "😀😀", "\x00\x01", "。"])
def test_empty_messages_fall_back(assistant: Assistant, message: str) -> None:
    reply = ask(assistant, message)
    assert (reply.status, reply.reason) == ("fallback", "empty")
    assert reply.text.startswith("请直接输入您的问题")


def test_every_phrasing_answers_its_own_fact(assistant: Assistant) -> None:
    wrong = {}
    for fact in assistant.base.facts:
        for question in fact.questions_zh + fact.questions_en:
            reply = ask(assistant, question)
            if reply.fact_id != fact.id:
                wrong[question] = (fact.id, reply.status, reply.fact_id)
    # Known misses, listed so that a new one fails this test and a fixed one must be removed from here:
    # a message comparing two of a fact's days goes to the compound splitter (conversation/compound.py),
    # which reads it as two questions.
    assert wrong == {"3月25日的恳谈会和每月的企业家恳谈日是同一天吗": ("entrepreneur_forum", "answer", None)}


# -- out of scope: always fallback, with the reason why ------------------------------------------------


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("二七区有多少家科技型企业", "other_place:二七区"),
        ("惠济区高企几家", "other_place:惠济区"),
        ("中原区的重点项目有多少个", "other_place:中原区"),
        ("How many high-tech enterprises does Erqi District have?", "other_place:"),
        ("金水区人口有多少", "not_covered:人口"),
        ("金水区高新技术企业的专利有多少", "not_covered:专利"),
        ("金水区科技型企业营收多少", "not_covered:营收"),
        ("2020年金水区有多少家高新技术企业", "period:2020年"),
        ("2020年重点项目有多少", "period:2020年"),
        ("How many high-tech enterprises did Jinshui have in 2020?", "period:2020年"),
        ("前年高企有多少", "period:2020年"),
        ("去年金水区有多少家高新技术企业", "period:2021年"),
        ("今年7到9月新增了多少市场主体", "period:2022年7~9月"),
        ("2022年前五个月新增了多少市场主体", "period:2022年1~5月"),
        ("重点实验室里省级的有几家", "scope:省级"),
        ("金水区目前高层次人才总量是多少", "scope:total"),
        ("今年新增了多少家高新技术企业", "scope:new"),
        ("千企万户的担保期限是多久", "attribute:duration"),
        ("氢能示范区哪一年能建成", "attribute:year"),
        ("金水区孵化载体占郑州市多少", "attribute:share"),
        ("专项债项目在全省排第几", "level:province"),
        ("郑州市有多少家高新技术企业", "other_place:郑州"),
    ],
)
def test_out_of_scope_falls_back_with_reason(assistant: Assistant, question: str, reason: str) -> None:
    reply = ask(assistant, question)
    assert reply.status == "fallback", reply.fact_id
    assert reply.fact_id is None and reply.reason.startswith(reason)
    # a figure shown instead (我知道的是：…) names its source, and ``source`` is that citation
    assert (reply.source is None) == ("来源：" not in reply.text and "Source: " not in reply.text)
    assert reply.source is None or reply.text.endswith(reply.source)


@pytest.mark.parametrize(
    "question",
    [
        "金水区有多少人口",
        "金水区的GDP是多少",
        "金水区GDP多少",
        "金水区房价怎么样",
        "金水区面积多大",
        "金水区今天天气",
        "二七区人口多少",
        "What is the population of Jinshui?",
        "What is the GDP of Jinshui?",
        "Jinshui house prices",
        "房价",
        "人口",
    ],
)
def test_uncovered_measures_never_get_an_answer(assistant: Assistant, question: str) -> None:
    assert ask(assistant, question).status == "fallback"


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("金水区有多少人口", "not_covered:"),
        ("金水区的GDP是多少", "not_covered:"),
        ("金水区房价怎么样", "not_covered:"),
        ("What is the population of Jinshui?", "not_covered:"),
        ("二七区人口多少", "other_place:二七区"),
    ],
)
def test_plain_uncovered_question_says_what_is_missing(
    assistant: Assistant, question: str, reason: str
) -> None:
    """vocabulary.yaml: such a question 'gets a fallback that says so', also when no fact is near."""
    reply = ask(assistant, question)
    assert reply.status == "fallback"
    assert reply.reason.startswith(reason)


def test_fallback_texts_say_what_is_missing_and_the_nearest_thing_known(assistant: Assistant) -> None:
    topics = replies.topics_line(assistant.base, "zh")
    place = ask(assistant, "二七区有多少家科技型企业")
    said, _, cited = place.text.partition("\n\n")
    assert said == "我只掌握金水区的资料，没有二七区的数据。我知道的是：科技型企业2058家（2022年）。"
    assert cited == "来源：" + assistant.base.source_label(assistant.base.fact("tech_enterprises"), "zh")
    year = ask(assistant, "2020年金水区有多少家高新技术企业")
    assert year.text.startswith(
        "报道里没有2020年的数字。我知道的是：高新技术企业723家（2022年）。\n\n来源：《"
    )
    total = ask(assistant, "金水区目前高层次人才总量是多少")
    assert total.text.startswith("报道里只有高层次人才新增的数字，没有总量。") and "5人" in total.text
    quarter = ask(assistant, "今年7到9月新增了多少市场主体")
    assert "108576" in quarter.text and "2022年1~3月" in quarter.text
    for reply in (place, year, total, quarter):
        assert topics not in reply.text and reply.text.count("。") <= 2
    english = ask(assistant, "How many high-tech enterprises does Erqi District have?")
    assert english.lang == "en" and english.text.startswith("I only have facts about Jinshui District")


@pytest.mark.parametrize(
    "message",
    [
        "1",
        "2",
        "3",
        "4",
        "100",
        "有多少",
        "多少钱",
        "占比多少",
        "在全市占比多少",
        "在全市排第几",
        "什么时候",
        "what share",
        "total investment?",
        "how many",
    ],
)
def test_a_message_without_a_subject_is_not_answered(assistant: Assistant, message: str) -> None:
    """Out of any conversation, a lone number or measure names no fact: clarify or fall back, never guess."""
    reply = ask(assistant, message)
    assert reply.status != "answer", reply.fact_id


# -- language and source ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "lang", "label"),
    [
        ("金水区高新技术企业有多少家", "zh", "来源："),
        ("How many high-tech enterprises does Jinshui have?", "en", "Source: "),
        ("jinxiaoer shi shenme", "zh", "来源："),
        ("高企 how many", "zh", "来源："),
    ],
)
def test_answers_in_the_language_of_the_question(
    assistant: Assistant, question: str, lang: str, label: str
) -> None:
    reply = ask(assistant, question)
    assert (reply.status, reply.lang) == ("answer", lang)
    fact = assistant.base.fact(reply.fact_id or "")
    answer = fact.answer.zh if lang == "zh" else fact.answer.en  # the facts' answers open with their period
    assert reply.text.startswith(answer) and answer.startswith(("据2022年的报道，", "As reported in 2022"))
    assert reply.text.splitlines()[-1] == label + (reply.source or "")
    assert (reply.period, reply.as_of) == (fact.time, "2022")


def test_every_fact_answer_ends_with_its_source(assistant: Assistant) -> None:
    base = assistant.base
    for fact in base.facts:
        report = base.reports[fact.source.report]
        section = report.sections[fact.source.section]
        for lang, label in (("zh", "来源："), ("en", "Source: ")):
            reply = assistant.answer_fact(fact.id, Session(), lang=lang)  # type: ignore[arg-type]
            assert (reply.status, reply.fact_id, reply.lang) == ("answer", fact.id, lang)
            last = reply.text.splitlines()[-1]
            assert last == f"{label}{reply.source}"
            assert str(report.year) in last and report.title in last
            assert section in last if lang == "zh" else report.sections_en[fact.source.section] in last
            if lang == "en":
                assert (
                    last.count(report.title) == 1 and "“项目" not in last
                )  # the Chinese title once, unquoted
            assert str(report.year) in reply.text.splitlines()[0]  # every answer names its period


def test_answer_fact_with_an_unknown_id(assistant: Assistant) -> None:
    reply = assistant.answer_fact("no_such_fact", Session())
    assert (reply.status, reply.reason) == ("fallback", "unknown_fact")


def test_greeting_examples_are_answered_correctly(assistant: Assistant) -> None:
    """The questions the bot itself suggests must work."""
    expected = {
        "金水区有多少家高新技术企业？": "high_tech_enterprises",
        "今年谋划了多少个重点项目？": "key_projects_count",
        "“金小二”是什么？": "jinxiaoer",
        "蜜雪冰城是哪里的企业？": "mixue_unicorn",
        "How many high-tech enterprises does Jinshui have?": "high_tech_enterprises",
        "How many key projects does Jinshui have this year?": "key_projects_count",
        "What is Jin Xiao'er?": "jinxiaoer",
        "How many new market entities were there in Q1?": "market_entities_q1",
    }
    assert set(expected) == {q for qs in replies.EXAMPLES.values() for q in qs}
    got = {q: ask(assistant, q).fact_id for q in expected}
    assert got == expected


# -- follow-ups and sessions -----------------------------------------------------------------------------


def test_followup_other_subject(assistant: Assistant) -> None:
    first, second = dialogue(assistant, "金水区有多少家科技型企业", "那高新技术企业呢")
    assert first.fact_id == "tech_enterprises"
    assert (second.status, second.fact_id) == ("answer", "high_tech_enterprises")


def test_followup_other_aspect(assistant: Assistant) -> None:
    first, second = dialogue(assistant, "今年谋划了多少重点项目", "总投资呢")
    assert first.fact_id == "key_projects_count"
    assert (second.status, second.fact_id) == ("answer", "key_projects_total_investment")


def test_followup_in_english(assistant: Assistant) -> None:
    first, second = dialogue(
        assistant, "How many tech-based enterprises are there in Jinshui?", "what about high-tech ones?"
    )
    assert first.fact_id == "tech_enterprises"
    assert (second.status, second.fact_id, second.lang) == ("answer", "high_tech_enterprises", "en")


def test_followup_after_another_district(assistant: Assistant) -> None:
    first, second = dialogue(assistant, "二七区有多少家科技型企业", "那金水区呢")
    assert first.status == "fallback"
    assert (second.status, second.fact_id) == ("answer", "tech_enterprises")


def test_followup_needs_its_session(assistant: Assistant) -> None:
    """The same elliptical message without the context does not get the follow-up's answer."""
    reference = dialogue(assistant, "今年谋划了多少重点项目", "总投资呢")[1]
    assert reference.fact_id == "key_projects_total_investment"
    share = dialogue(assistant, "高企有几家", "在全市占比多少")[1]
    assert share.fact_id == "high_tech_enterprises"
    assert ask(assistant, "在全市占比多少").fact_id != "high_tech_enterprises"


def test_sessions_do_not_leak(assistant: Assistant) -> None:
    alice, bob = Session(), Session()
    assert assistant.reply("高企有几家", alice, now=0).fact_id == "high_tech_enterprises"
    assert assistant.reply("金水区有多少家科技型企业", bob, now=1).fact_id == "tech_enterprises"
    assert assistant.reply("在全市占比多少", alice, now=2).fact_id == "high_tech_enterprises"
    assert assistant.reply("在全市占比多少", bob, now=3).fact_id == "tech_enterprises"
    assert alice.context is not None and alice.context.fact_id == "high_tech_enterprises"
    assert bob.context is not None and bob.context.fact_id == "tech_enterprises"


def test_no_session_means_no_memory(assistant: Assistant) -> None:
    assistant.reply("高企有几家")
    assert assistant.reply("在全市占比多少").fact_id != "high_tech_enterprises"


def test_context_survives_a_few_turns(assistant: Assistant) -> None:
    replies_ = dialogue(assistant, "高企有几家", *["你好"] * (CONTEXT_TURNS - 1), "在全市占比多少")
    assert replies_[-1].fact_id == "high_tech_enterprises"


def test_context_expires_after_turns(assistant: Assistant) -> None:
    replies_ = dialogue(assistant, "高企有几家", *["你好"] * CONTEXT_TURNS, "在全市占比多少")
    assert replies_[-1].fact_id != "high_tech_enterprises"


def test_context_expires_after_time(assistant: Assistant) -> None:
    session = Session()
    assistant.reply("高企有几家", session, now=1000.0)
    assert session.context is not None
    kept = assistant.reply("在全市占比多少", session, now=1000.0 + CONTEXT_SECONDS)
    assert kept.fact_id == "high_tech_enterprises"
    late = assistant.reply("在全市占比多少", session, now=1000.0 + 2 * CONTEXT_SECONDS + 1)
    assert late.fact_id != "high_tech_enterprises"


def test_session_language_is_kept_for_language_free_input(assistant: Assistant) -> None:
    session = Session()
    assistant.reply("How many high-tech enterprises does Jinshui have?", session, now=0)
    assert assistant.reply("???", session, now=1).lang == "en"


# -- numbered choices after a clarify ----------------------------------------------------------------------


@pytest.mark.parametrize(("choice", "number"), [("1", 1), ("2", 2), ("第2个", 2), ("２", 2), (" 1 ", 1)])
def test_numbered_choice_after_clarify(assistant: Assistant, choice: str, number: int) -> None:
    session = Session()
    clarify = assistant.reply("项目", session, now=0)
    assert clarify.status == "clarify"
    chosen = assistant.reply(choice, session, now=1)
    assert (chosen.status, chosen.fact_id) == ("answer", clarify.options[number - 1].fact_id)
    assert session.pending == ()


def test_choice_out_of_range_is_not_a_choice(assistant: Assistant) -> None:
    session = Session()
    clarify = assistant.reply("项目", session, now=0)
    assert clarify.status == "clarify" and len(clarify.options) <= 3
    assert assistant.reply("4", session, now=1).status != "answer"


def test_choice_only_counts_right_after_a_clarify(assistant: Assistant) -> None:
    session = Session()
    clarify = assistant.reply("项目", session, now=0)
    assert clarify.status == "clarify"
    assistant.reply("你好", session, now=1)
    assert session.pending == ()
    assert assistant.reply("1", session, now=2).fact_id != clarify.options[0].fact_id


def test_a_small_fact_base_answers_its_own_phrasings(write_facts: WriteFacts) -> None:
    """The distinctive-word rule scales with the number of facts: three facts still answer."""
    small = bootstrap(write_facts())
    for fact in small.base.facts:
        for question in fact.questions_zh + fact.questions_en:
            reply = ask(small, question)
            assert (reply.status, reply.fact_id) == ("answer", fact.id), question


def test_a_measure_the_fact_lacks_is_named_with_the_fact(assistant: Assistant) -> None:
    reply = ask(assistant, "氢能示范区总投资多少")
    assert (reply.status, reply.reason) == ("fallback", "attribute:money")
    assert reply.text.startswith("报道里没有氢能产业示范区的金额信息。")


def test_a_headcount_of_no_named_group_is_the_population(assistant: Assistant) -> None:
    reply = ask(assistant, "金水区有多少人")
    assert reply.reason == "not_covered:人口"
    assert "“人口”" in reply.text
    assert ask(assistant, "领军人才有多少人").fact_id == "leading_talent"


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("How many key projects are planned this year?", "key_projects_count"),
        ("How much investment is planned for key projects this year?", "key_projects_annual_investment"),
    ],
)
def test_english_verb_forms_are_stemmed(assistant: Assistant, question: str, fact_id: str) -> None:
    assert ask(assistant, question).fact_id == fact_id
