"""Session 11 (answers8) findings, each as the general pattern it is, over the real facts.

A bare number after 比 (「比2000多吗」) is a threshold on the subject's figure, not a year nor the
subject's attribute.
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
