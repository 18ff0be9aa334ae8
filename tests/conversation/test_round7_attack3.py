"""Round 7 (attack3) tester's findings, each as the general pattern it is, over the real facts.

A threshold asked with 是不是/是否/有没有超过 before the number, in Chinese numerals (两百亿), or in
English without "are there" ("more than 200 key projects?") says yes or no against the right figure;
a bare threshold after an answer (「超过200个了吗」, "more than 200?") is asked of the figure just given;
an insult or an identity question addressed to 你们 is small talk.
"""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Session


@pytest.mark.parametrize(
    ("text", "fact_id", "verdict"),
    [
        ("重点项目是不是超过300个", "key_projects_count", "没有超过。"),
        ("重点项目是否超过300个了", "key_projects_count", "没有超过。"),
        ("重点项目有没有超过200个", "key_projects_count", "是的，超过了。"),
        ("科技型企业是不是超过3000家", "tech_enterprises", "没有超过。"),
        ("重点项目超过两百个了吗", "key_projects_count", "是的，超过了。"),
        ("储备项目的年度投资超过两百亿了吗", "reserve_projects_investment", "没有超过。"),
        ("科技型企业超过两千家了吗", "tech_enterprises", "是的，超过了。"),
        ("more than 200 key projects?", "key_projects_count", "Yes, it is above that."),
        ("more than 2000 tech enterprises?", "tech_enterprises", "Yes, it is above that."),
        ("more than 1000 high-tech enterprises?", "high_tech_enterprises", "No, it is not above that."),
        ("fewer than 1000 high-tech enterprises?", "high_tech_enterprises", "Yes, it is below that."),
        ("Has Jinshui got over 3,000 tech enterprises?", "tech_enterprises", "No, it is not above that."),
    ],
)
def test_a_threshold_is_answered_yes_or_no_of_the_thing_named(
    assistant: Assistant, text: str, fact_id: str, verdict: str
) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.fact_id) == ("answer", fact_id)
    assert reply.text.startswith(verdict)


def test_comparing_two_things_with_shi_bu_shi_chao_guo_still_compares(assistant: Assistant) -> None:
    reply = assistant.reply("科技型企业是不是超过高新技术企业", Session())
    assert reply.status == "answer" and "1335家" in reply.text


@pytest.mark.parametrize(
    ("first", "fact_id", "turns"),
    [
        ("重点项目有多少个", "key_projects_count",
         [("超过200个了吗", "是的，超过了。"), ("那超过300个了吗", "没有超过。"), ("超过两百个了吗", "是的，超过了。")]),
        ("科技型企业有多少家", "tech_enterprises",
         [("超过2000了吗", "是的，超过了。"), ("超过2000", "是的，超过了。"), ("不到3000吧", "是的，低于这个数。")]),
        ("how many key projects", "key_projects_count",
         [("more than 200?", "Yes, it is above that."), ("is it over 300?", "No, it is not above that."),
          ("fewer than 250?", "Yes, it is below that.")]),
    ],
)  # fmt: skip
def test_a_bare_threshold_asks_about_the_figure_just_given(
    assistant: Assistant, first: str, fact_id: str, turns: list[tuple[str, str]]
) -> None:
    session = Session()
    assert assistant.reply(first, session).fact_id == fact_id
    for text, verdict in turns:
        reply = assistant.reply(text, session)
        assert (reply.status, reply.fact_id) == ("answer", fact_id), text
        assert reply.text.startswith(verdict), text
        assert "来源" in reply.text or "Source" in reply.text


def test_a_bare_threshold_follows_the_last_figure_not_the_last_two(assistant: Assistant) -> None:
    session = Session()
    assistant.reply("科技型企业有多少家", session)
    assistant.reply("那高企呢", session)
    reply = assistant.reply("超过1000家了吗", session)
    assert (reply.fact_id, reply.text.split("\n")[0]) == ("high_tech_enterprises", "没有超过。")


def test_a_bare_threshold_of_another_kind_asks_which_figure(assistant: Assistant) -> None:
    session = Session()
    assistant.reply("重点项目有多少个", session)
    reply = assistant.reply("是不是超过200亿", session)  # 233个 is no amount: its total or annual investment
    assert reply.status == "clarify"
    assert {o.fact_id for o in reply.options} == {
        "key_projects_total_investment",
        "key_projects_annual_investment",
    }


def test_a_bare_threshold_with_nothing_before_it_is_not_answered(assistant: Assistant) -> None:
    assert assistant.reply("超过200个了吗", Session()).status == "fallback"


@pytest.mark.parametrize(("text", "kind"), [("你们是傻逼吗", "abuse"), ("你们是不是傻逼", "abuse"),
                                            ("你们真垃圾", "abuse"), ("你们是谁", "identity")])  # fmt: skip
def test_what_is_said_to_you_all_is_small_talk(assistant: Assistant, text: str, kind: str) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.reason) == ("smalltalk", kind)
    assert text not in reply.text


@pytest.mark.parametrize(
    ("text", "fact_id"),
    [("19.2万人", "gold_standard_talent"), ("2058家", "tech_enterprises"), ("3830亿元", "key_projects_total_investment"),
     ("19.2万人呢", "gold_standard_talent")],
)  # fmt: skip
def test_a_figure_alone_with_its_unit_is_asked_by_its_value(
    assistant: Assistant, text: str, fact_id: str
) -> None:
    reply = assistant.reply(text, Session())  # 19.2万人 is not 万人助万企 by its characters
    assert (reply.status, reply.fact_id) == ("answer", fact_id)


def test_a_figure_alone_no_fact_states_is_said_missing(assistant: Assistant) -> None:
    reply = assistant.reply("20万人", Session())
    assert (reply.status, reply.reason) == ("fallback", "not_covered:20万人")


@pytest.mark.parametrize(
    ("text", "note", "fact_id"),
    [
        ("科技型企业有3000家，那占全市多少？", "提醒：报道说的是2058家，不是3000家。", "tech_enterprises"),
        ("高新技术企业有800家，那科技型企业呢？", "提醒：报道说的是723家，不是800家。", "tech_enterprises"),
        ("重点项目总投资4000亿元，那年度计划投资呢？", "提醒：报道说的是3830亿元，不是4000亿元。",
         "key_projects_annual_investment"),
        ("科技型企业占全市30%，那郑州全市有多少家？", "提醒：报道说的是占全市20%，不是30%。", None),
    ],
)  # fmt: skip
def test_a_premise_the_report_contradicts_is_noted_before_the_answer(
    assistant: Assistant, text: str, note: str, fact_id: str | None
) -> None:
    reply = assistant.reply(text, Session())
    assert reply.text.startswith(note + "\n")
    assert reply.fact_id == fact_id


@pytest.mark.parametrize(
    "text",
    [
        "科技型企业占全市20%，那郑州全市有多少家？",
        "科技型企业有两千零五十八家，那高企呢？",
        "重点项目总投资3830亿，那年度计划投资呢？",
        "全市有1万家科技型企业，那金水区有多少？",  # another whole: not compared with Jinshui's count
    ],
)
def test_a_premise_that_agrees_or_is_of_another_whole_gets_no_note(assistant: Assistant, text: str) -> None:
    assert "提醒" not in assistant.reply(text, Session()).text


@pytest.mark.parametrize(
    ("reply_text", "fact_id"),
    [("第二个吧", "key_projects_annual_investment"), ("选1", "key_projects_total_investment"),
     ("就2", "key_projects_annual_investment"), ("the second one", "key_projects_annual_investment"),
     ("option 1", "key_projects_total_investment")],
)  # fmt: skip
def test_a_numbered_pick_with_words_around_it_picks_the_option(
    assistant: Assistant, reply_text: str, fact_id: str
) -> None:
    session = Session()
    assert assistant.reply("重点项目超过200亿了吗", session).status == "clarify"
    reply = assistant.reply(reply_text, session)  # never 「全国第二」 found by its characters
    assert (reply.status, reply.fact_id) == ("answer", fact_id)


@pytest.mark.parametrize("reply_text", ["3", "0", "第三个", "9"])
def test_a_number_no_option_has_offers_the_options_again(assistant: Assistant, reply_text: str) -> None:
    session = Session()
    offered = assistant.reply("重点项目超过200亿了吗", session)
    reply = assistant.reply(reply_text, session)
    assert (reply.status, reply.reason) == ("clarify", "out_of_range")
    assert reply.text.startswith("只有2个选项") and reply.options == offered.options
    assert assistant.reply("2", session).fact_id == "key_projects_annual_investment"  # still pending


def test_a_choice_offered_in_english_is_answered_in_english(assistant: Assistant) -> None:
    session = Session()
    offered = assistant.reply("Is the investment of key projects over 500 billion yuan?", session)
    assert (offered.status, offered.lang) == ("clarify", "en")
    assert assistant.reply("5", session).text.startswith("There are only 2 options")
    reply = assistant.reply("2", session)
    assert (reply.status, reply.lang, reply.fact_id) == ("answer", "en", "key_projects_annual_investment")
    assert reply.text.startswith("No, it is not above that.")  # the question asked of the option picked


@pytest.mark.parametrize("text", ["两个都要", "都要", "我都想知道", "both"])
def test_every_option_asked_for_answers_each(assistant: Assistant, text: str) -> None:
    session = Session()
    assistant.reply("重点项目超过200亿了吗", session)
    reply = assistant.reply(text, session)
    assert reply.status == "answer" and "3830亿元" in reply.text and "521亿元" in reply.text
    assert [p.fact_id for p in reply.parts] == [
        "key_projects_total_investment",
        "key_projects_annual_investment",
    ]  # type: ignore[attr-defined]
    assert "3309亿元" in assistant.reply("两者差多少", session).text  # both are the figures just given


@pytest.mark.parametrize("text", ["两个都要", "都要", "both"])
def test_every_option_asked_for_with_none_offered_asks_nothing(assistant: Assistant, text: str) -> None:
    reply = assistant.reply(text, Session())  # never 「个个都是“金小二”」 found by its characters
    assert (reply.status, reply.fact_id, reply.reason) == ("fallback", None, "vague")


@pytest.mark.parametrize(
    ("before", "text", "start"),
    [([], "两者差多少", "“两者”指的是哪两个？"), (["科技型企业有多少家"], "两者差多少", "“两者”指的是哪两个？"),
     ([], "what is the difference between them?", "Which two do you mean?")],
)  # fmt: skip
def test_the_two_asked_about_before_two_figures_were_given(
    assistant: Assistant, before: list[str], text: str, start: str
) -> None:
    session = Session()
    for asked in before:
        assistant.reply(asked, session)
    reply = assistant.reply(text, session)  # not 「报道里没有关于“两者差”的信息」
    assert (reply.status, reply.reason) == ("fallback", "missing_operand")
    assert reply.text.startswith(start)


@pytest.mark.parametrize(
    ("text", "facts", "verdicts"),
    [
        ("科技型企业超过2000家了吗？高企超过1000家了吗？", ["tech_enterprises", "high_tech_enterprises"],
         ["1. 是的，超过了。", "2. 没有超过。"]),
        ("科技型企业有多少家？高企超过1000家了吗？", ["tech_enterprises", "high_tech_enterprises"],
         ["1. 据2022年的报道", "2. 没有超过。"]),
    ],
)  # fmt: skip
def test_each_question_of_a_message_with_a_threshold_is_answered(
    assistant: Assistant, text: str, facts: list[str], verdicts: list[str]
) -> None:
    reply = assistant.reply(text, Session())  # never one of them dropped, nor a fallback on 科技型
    assert reply.status == "answer"
    assert [p.fact_id for p in reply.parts] == facts  # type: ignore[attr-defined]
    at = [reply.text.find(v) for v in verdicts]
    assert -1 not in at and at == sorted(at)  # each verdict, in the order asked


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("重点项目超过200个了吗？那总投资呢？", ["key_projects_count", "key_projects_total_investment"]),
        ("科技型企业超过2000家了吗？重点项目超过200个吗？院士超过1名了吗？高企超过1000家了吗？科技型企业超过3000家了吗？",
         ["tech_enterprises", "key_projects_count", "academician_new", "high_tech_enterprises", "tech_enterprises"]),
    ],
)  # fmt: skip
def test_the_sentences_after_a_threshold_are_asked_in_turn(
    assistant: Assistant, text: str, facts: list[str]
) -> None:
    reply = assistant.reply(text, Session())  # a follow-up sentence refers to the one before; none dropped
    assert reply.status == "answer"
    assert [p.fact_id for p in reply.parts] == facts  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", ["高企一共多少家？占全市几成？", "科技型企业有多少家？在郑州占比多少？"])
def test_two_sentences_one_fact_answers_get_its_reply_once(assistant: Assistant, text: str) -> None:
    reply = assistant.reply(text, Session())  # one fact holds the count and the share: said once, unnumbered
    assert reply.status == "answer" and reply.fact_id in {"high_tech_enterprises", "tech_enterprises"}
    assert reply.question == text and not reply.text.startswith("1.")
    assert reply.text.count("来源") == 1


def test_a_greeting_before_a_threshold_is_not_a_question_of_its_own(assistant: Assistant) -> None:
    reply = assistant.reply("你好！科技型企业超过2000家了吗？", Session())
    assert reply.fact_id == "tech_enterprises" and reply.text.startswith("是的，超过了。")


@pytest.mark.parametrize(
    ("text", "fact_id", "verdict"),
    [
        ("高企比800家少吗", "high_tech_enterprises", "是的，低于这个数。"),
        ("科技型企业比2000家少吗", "tech_enterprises", "没有，不低于这个数。"),
        ("高企低于八百家了吗", "high_tech_enterprises", "是的，低于这个数。"),
        ("高企低于800家吗", "high_tech_enterprises", "是的，低于这个数。"),
        ("高企少于800家吗", "high_tech_enterprises", "是的，低于这个数。"),
        ("高企 < 800", "high_tech_enterprises", "是的，低于这个数。"),
        ("高企比800家多吗", "high_tech_enterprises", "没有超过。"),
    ],
)
def test_a_threshold_asked_as_below_is_answered_as_below(
    assistant: Assistant, text: str, fact_id: str, verdict: str
) -> None:
    reply = assistant.reply(text, Session())  # never 「是的，超过了」 to 「比2000家少吗」
    assert (reply.status, reply.fact_id) == ("answer", fact_id)
    assert reply.text.startswith(verdict)


def test_a_threshold_that_selects_is_not_a_comparison(assistant: Assistant) -> None:
    reply = assistant.reply("投资超过1000万的储备项目有多少", Session())
    assert (reply.status, reply.fact_id) == ("answer", "reserve_projects")  # not 465亿元 − 1000万元


def test_a_session_adopts_every_field_of_the_copy_it_was_answered_on(assistant: Assistant) -> None:
    session, scratch = Session(), Session()
    assistant.reply("Which two options? 储备项目", scratch)  # a clarify: pending choices and their language
    assistant.reply("高企有几家", scratch)
    scratch.pending, scratch.pending_lang, scratch.turns_since = ("a", "b"), "en", 2
    session.adopt(scratch)
    assert session == scratch  # every field, pending_lang among them (compound and remainder once left it)
