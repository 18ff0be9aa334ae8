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
