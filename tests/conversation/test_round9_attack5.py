"""Session 9 attacker findings, each as the general pattern it is, over the real facts.

增加 (一年增加多少, 增加了多少) asks how many were added, like 新增: a fact holding only a total says the
report has no count of the added ones (it used to answer the total as if it were the increase), and a
fact holding an added count answers it.
"""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Reply, Session


def _one(assistant: Assistant, text: str) -> Reply:
    return assistant.reply(text, Session())


# -- 增加 is "added", not the total ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "question",
    [
        "高企一年增加多少家",
        "高企增加了多少",
        "科技型企业增加多少家",
        "重点项目一年增加多少个",
        "研发机构每年增加几家",
    ],
)
def test_increase_of_a_total_is_not_answered_with_the_total(assistant: Assistant, question: str) -> None:
    reply = _one(assistant, question)
    assert reply.status == "fallback"
    assert "没有新增多少的数字" in reply.text


def test_increase_of_an_added_count_is_answered(assistant: Assistant) -> None:
    reply = _one(assistant, "市场主体增加了多少")
    assert reply.status == "answer"
    assert "108576" in reply.text
