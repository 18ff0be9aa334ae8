"""Session 11 (answers8) findings, each as the general pattern it is, over the real facts.

A bare number after 比 (「比2000多吗」) is a threshold on the subject's figure, not a year nor the
subject's attribute. A
part repeating a subject typed with a typo, already answered in the part before, is not a question about
words the fact never says.
"""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Session


@pytest.mark.parametrize(
    ("text", "fact_id", "verdict"),
    [
        ("科技型企业比2000多吗", "tech_enterprises", "是的，超过了。"),
        ("科技型企业比3000多吗", "tech_enterprises", "没有超过。"),
        ("科技型企业比2000少吗", "tech_enterprises", "没有，不低于这个数。"),
        ("高企比1000低吗", "high_tech_enterprises", "是的，低于这个数。"),
        ("are tech enterprises more than 2000?", "tech_enterprises", "Yes, it is above that."),
    ],
)
def test_a_bare_four_digit_number_after_bi_is_a_threshold(
    assistant: Assistant, text: str, fact_id: str, verdict: str
) -> None:
    reply = assistant.reply(text, Session())  # never 「这两个说法指的是同一个数字」
    assert (reply.status, reply.fact_id) == ("answer", fact_id)
    assert reply.text.startswith(verdict) and ("来源" in reply.text or "Source" in reply.text)


@pytest.mark.parametrize(
    ("text", "fact_id", "says"),
    [
        ("金水区有多少家科技形企业啊？占全市百分之几？", "tech_enterprises", "20%"),
        ("高新技木企业一共几家？占全市比重多大？", "high_tech_enterprises", "17.5%"),
    ],
)
def test_a_part_repeating_a_typed_subject_is_answered_like_the_part_before(
    assistant: Assistant, text: str, fact_id: str, says: str
) -> None:
    reply = assistant.reply(text, Session())  # the typo 形 was answered once: not a word the fact never says
    assert (reply.status, reply.fact_id) == ("answer", fact_id)
    assert says in reply.text and "找不到" not in reply.text


def test_a_part_asking_what_the_fact_never_says_still_falls_back(assistant: Assistant) -> None:
    reply = assistant.reply("重点实验室有多少家？其中国家级的有几家", Session())
    assert reply.status == "partial" and "国家级" in reply.text
