"""增长到 (grown to) asks the level reached, as 增加到 does since session 9: 「科技型企业增长到多少家」 fell back
with 「报道里没有科技型企业的增长情况信息」 though the report gives the count (session 10). A word of the growth
or 'new' lexicons inside a longer word of reaching a total (增长到, 增加到, 增至) is not read on its own."""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Session


@pytest.mark.parametrize(
    ("question", "figure"),
    [("科技型企业增长到多少家", "2058家"), ("高企增长到了多少", "723家"), ("研发机构增加到几家了", "12家")],
)
def test_a_level_reached_is_answered_with_the_count(assistant: Assistant, question: str, figure: str) -> None:
    reply = assistant.reply(question, Session())
    assert reply.status == "answer" and figure in reply.text


@pytest.mark.parametrize("question", ["科技型企业增长了多少", "高企增长多少", "研发机构增加了几家"])
def test_growth_or_an_increase_asked_still_falls_back(assistant: Assistant, question: str) -> None:
    reply = assistant.reply(question, Session())
    assert reply.status == "fallback" and "我知道的是" in reply.text
