"""Session 10 attacker (attack6) findings over the real facts, each as the general pattern it is.

A value to check typed with full-width digits (「高企有７２３家吗」, 「科技型企业是３０００家吗」, as a Chinese
input method in full-width mode types them) is checked as with ASCII digits: the quick test for a number in
the message looked at the text before NFKC folded ２０５８ to 2058, so the check was skipped and the figure
answered without the 对/不对 the question asks for.
"""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Session


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("科技型企业是３０００家吗", "不对，报道说的是2058家"),
        ("科技型企业有２０５８家吗", "对，报道说的就是2058家"),
        ("高企有７２３家吗", "对，报道说的就是723家"),
        ("科技型企业占全市２０％吗", "对"),
        ("高企占全市３０％吗", "不对"),
    ],
)
def test_a_value_typed_in_full_width_digits_is_checked(
    assistant: Assistant, question: str, verdict: str
) -> None:
    reply = assistant.reply(question, Session())
    assert reply.status == "answer"
    assert reply.text.startswith(verdict), reply.text
    ascii_reply = assistant.reply(
        question.translate({0xFF10 + d: 0x30 + d for d in range(10)} | {0xFF05: 0x25}), Session()
    )
    assert reply.text == ascii_reply.text  # as with ASCII digits
