"""A reply to a clarifying question that names one of its options chooses it (found by a new user:
«新增的» after 「金水区有多少市场主体」 was answered with the academicians)."""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Session


@pytest.mark.parametrize(
    ("reply", "fact_id"),
    [
        ("新增的", "market_entities_q1"),
        ("总量", "market_entities_total"),
        ("那个总量吧", "market_entities_total"),
    ],
)
def test_a_reply_naming_one_option_chooses_it(assistant: Assistant, reply: str, fact_id: str) -> None:
    session = Session()
    assert assistant.reply("金水区有多少市场主体", session).status == "clarify"
    answer = assistant.reply(reply, session)
    assert (answer.status, answer.fact_id) == ("answer", fact_id)


def test_a_reply_naming_no_option_is_a_new_question(assistant: Assistant) -> None:
    session = Session()
    assistant.reply("金水区有多少市场主体", session)
    answer = assistant.reply("金水区有多少家科技型企业", session)
    assert (answer.status, answer.fact_id) == ("answer", "tech_enterprises")
