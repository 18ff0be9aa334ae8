"""Round 7 tester's findings, each as the general pattern it is, over the real facts.

An insult alone gets a polite reply, not a fallback naming it as a topic nor an answer found by its
characters (滚 of 滚动); a fallback never claims the report says nothing about a word the facts' own text
holds (政府, 企业); a part of a compound message that names a known thing of its own and was a clarify
stays a clarify, instead of falling back against the part before it (「院士多少？专项债多少？」).
"""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Session


@pytest.mark.parametrize(
    "text",
    [
        "傻逼",
        "你是傻子吗",
        "滚",
        "垃圾机器人",
        "去死",
        "你真笨",
        "fuck you",
        "you are so stupid",
        "stupid bot",
    ],
)
def test_an_insult_alone_gets_a_polite_reply(assistant: Assistant, text: str) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.reason, reply.fact_id) == ("smalltalk", "abuse", None)
    assert "/topics" in reply.text and text not in reply.text  # never echoed as a topic


def test_an_insult_is_answered_in_the_language_it_came_in(assistant: Assistant) -> None:
    assert assistant.reply("傻逼", Session()).text.startswith("抱歉没能帮上忙")
    assert assistant.reply("fuck off", Session()).text.startswith("Sorry I could not help")


@pytest.mark.parametrize(
    ("text", "fact_id"),
    [("滚动推进是什么", "rolling_pipeline"), ("傻逼，高企有多少", "high_tech_enterprises")],
)
def test_words_of_an_insult_inside_a_question_still_ask(
    assistant: Assistant, text: str, fact_id: str
) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.fact_id) == ("answer", fact_id)


@pytest.mark.parametrize(("text", "word"), [("政府有什么融资支持", "政府"), ("一季度新增企业多少", "企业")])
def test_a_fallback_never_denies_a_word_the_report_holds(assistant: Assistant, text: str, word: str) -> None:
    reply = assistant.reply(text, Session())
    assert reply.status == "fallback" and reply.reason == f"not_covered:{word}"
    assert "报道里没有关于" not in reply.text
    assert reply.text.startswith(f"报道里提到了“{word}”，但没有能回答这个问题的内容。")


@pytest.mark.parametrize(("text", "word"), [("金水区人口多少", "人口"), ("金水区房价多少", "房价")])
def test_a_word_the_report_lacks_is_still_said_missing(assistant: Assistant, text: str, word: str) -> None:
    reply = assistant.reply(text, Session())
    assert reply.text.startswith(f"报道里没有关于“{word}”的信息。")


def test_the_router_knows_which_words_the_facts_mention(assistant: Assistant) -> None:
    router = assistant.router
    assert router.mentions("政府") and router.mentions("金水區")  # read canonically (traditional)
    assert not router.mentions("房价") and not router.mentions("企")  # one character says nothing


@pytest.mark.parametrize("text", ["院士多少？专项债多少？", "高企有多少？专项债多少？"])
def test_a_part_naming_its_own_known_thing_keeps_its_clarify(assistant: Assistant, text: str) -> None:
    reply = assistant.reply(text, Session())
    assert "报道里没有关于“专项债”" not in reply.text
    assert "专项债申报的债券资金" in reply.text and "专项债项目申报个数" in reply.text
    assert reply.status == "partial"


@pytest.mark.parametrize("first", ["金水区有多少家科技型企业", "高企有多少"])
@pytest.mark.parametrize("then", ["总投资呢", "投资多少", "那总投资多少"])
def test_an_amount_asked_after_a_count_of_enterprises_is_not_that_count(
    assistant: Assistant, first: str, then: str
) -> None:
    """科技型企业's own phrasing 「规模怎么样」 lets it hold an amount asked; an investment asked of a fact
    whose figures count things is still an amount it does not give (it answered the count, 2058家)."""
    session = Session()
    assert assistant.reply(first, session).status == "answer"
    reply = assistant.reply(then, session)
    assert (reply.status, reply.reason) == ("fallback", "attribute:money")
    assert "金额信息" in reply.text


def test_an_amount_after_a_count_still_answers_the_same_subjects_amount(assistant: Assistant) -> None:
    session = Session()
    assistant.reply("重点项目有多少个", session)
    assert assistant.reply("总投资呢", session).fact_id == "key_projects_total_investment"
    assert assistant.reply("科技型企业投资多少", Session()).reason == "attribute:money"


@pytest.mark.parametrize("text", ["其中新开项目多少", "重点项目里新开项目多少"])
def test_a_part_named_as_the_fact_names_it_is_held(assistant: Assistant, text: str) -> None:
    """「重点项目里新开项目」: the part asked is the fact's own 新开项目 (its content 新项目 is not)."""
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.fact_id) == ("answer", "new_projects")


def test_a_part_the_fact_does_not_hold_still_falls_back(assistant: Assistant) -> None:
    assert assistant.reply("重点项目里国家级的有多少", Session()).reason == "scope:国家级"


def test_an_investment_asked_in_english_after_a_count_is_not_that_count(assistant: Assistant) -> None:
    session = Session(lang="en")
    assert (
        assistant.reply("How many tech-based enterprises are there?", session).fact_id == "tech_enterprises"
    )
    reply = assistant.reply("what about the investment?", session)
    assert (reply.status, reply.reason) == ("fallback", "attribute:money")
    pools = assistant.reply(
        "How does Jinshui keep track of its investment leads and deals?", Session(lang="en")
    )
    assert (pools.status, pools.fact_id) == ("answer", "investment_pools")  # investment names a thing here


@pytest.mark.parametrize("text", ["1 percent", "1:PERCENT"])
def test_a_fallback_score_is_never_negative(assistant: Assistant, text: str) -> None:
    """`ask --json` documents the score as 0-100 (it was -2.9 here)."""
    reply = assistant.reply(text, Session())
    assert reply.status == "fallback" and 0 <= reply.score <= 100


@pytest.mark.parametrize(
    "text",
    [
        "How many people live in Jinshui?",
        "How many people are there in Jinshui?",
        "how many people live there",
    ],
)
def test_people_of_nobody_named_asks_the_population_in_english_too(assistant: Assistant, text: str) -> None:
    """It said 'The report says nothing about live.'"""
    reply = assistant.reply(text, Session(lang="en"))
    assert (reply.status, reply.reason) == ("fallback", "not_covered:population")
    assert reply.text.startswith("The report says nothing about population.")
    assert assistant.reply("金水区住了多少人", Session()).reason == "not_covered:人口"
    assert assistant.reply("How many people work at the key labs?", Session()).reason == "attribute:people"


@pytest.mark.parametrize(("text", "word"), [("垃圾分类", "垃圾分类"), ("金水区停车场收费", "停车场收费")])
def test_a_fallback_names_the_whole_word_it_lacks(assistant: Assistant, text: str, word: str) -> None:
    """It said 「报道里没有关于“垃圾分”的信息」 and 「“场收费”」: a word cut inside a noun of the question."""
    reply = assistant.reply(text, Session())
    assert reply.status == "fallback" and reply.text.startswith(f"报道里没有关于“{word}”的信息。")


def test_whole_word_keeps_what_it_cannot_place() -> None:
    from jinshui_qa.conversation.replies import whole_word

    assert whole_word("条件", "金水区落户条件") == "条件"  # no noun cut: as found
    assert whole_word("gdp", "金水区gdp多少") == "gdp"
    assert whole_word("学区房", "金水區學區房多少錢") == "学区房"  # not found as typed: kept
