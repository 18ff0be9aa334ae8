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


# -- a bound is no value to check ---------------------------------------------------------------------------
# 「高企没到800家吧」 says fewer than 800 (true: 723), 「高企达到700家了吗」 asks whether 700 is reached (yes):
# both were checked as if the user said the figure is 800 or 700, and answered 「不对，报道说的是723家」, a
# confident wrong verdict. A bound (达到, 没到, 未到, 不够, 不满, reach) is no stated value: the figure is
# answered without a verdict, as 超过/不到 already were, unless the comparison path says yes or no itself.
@pytest.mark.parametrize(
    "question",
    [
        "高企达到700家了吗",
        "高企有没有达到700家",
        "高企没到800家吧",
        "高企没有到800家吧",
        "高企未到800家吧",
        "高企没达到800家吧",
        "高企不够800家吧",
        "高企不满800家吧",
        "听说高企达到了700家，对吗",
        "Has the number of high-tech firms reached 700?",
    ],
)
def test_a_bound_is_not_checked_as_the_value_it_names(assistant: Assistant, question: str) -> None:
    reply = assistant.reply(question, Session())
    assert reply.status == "answer" and reply.fact_id == "high_tech_enterprises"
    assert "723" in reply.text
    assert not reply.text.startswith(("不对", "No")), reply.text


@pytest.mark.parametrize(("question", "verdict"), [("高企有800家吗", "不对"), ("高企是723家吗", "对")])
def test_a_value_stated_is_still_checked(assistant: Assistant, question: str, verdict: str) -> None:
    assert assistant.reply(question, Session()).text.startswith(verdict)


# -- 来 after a number is "about" ---------------------------------------------------------------------------
# 「高企七百来家吧」 (about 700: 723 is) was answered 「不对，报道说的是723家，不是700。」: 来 broke the value
# from its unit, so 700 was checked as an exact unitless number. 来 between a number and its unit reads as
# 左右 does (within a tenth: close), not as 多 (any number in the next step).
@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("高企七百来家吧", "差不多：报道说的是723家"),
        ("科技型企业两千来家吗", "差不多：报道说的是2058家"),
        ("重点项目有200来个吗", "不对，报道说的是233个，不是200来个"),
    ],
)
def test_lai_after_a_number_reads_as_about(assistant: Assistant, question: str, verdict: str) -> None:
    assert assistant.reply(question, Session()).text.startswith(verdict)


# -- a threshold asked with 吧, or with 不到/不足/没到 ----------------------------------------------------------
# 「高企少于800家吧」 read 「800家吧」 as a question of its own (the number's tail knew 吗, 么, 呢, not 吧) and
# answered 「高新技术企业：723家 高新技术企业：723家 这两个说法指的是同一个数字」; 「高企不到800家吗」 never reached
# the comparison (the quick gate knew 少于/超过's characters, not 不到, 不足) and answered the figure without
# the yes or no it asks for.
@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("高企少于800家吧", "是的，低于这个数。"),
        ("高企低于700家吧", "没有，不低于这个数。"),
        ("高企超过700家了吧", "是的，超过了。"),
        ("高企不到800家吗", "是的，低于这个数。"),
        ("高企不足800家吧", "是的，低于这个数。"),
        ("科技型企业不到2000家吧", "没有，不低于这个数。"),
        ("重点项目总投资不到4000亿吗", "是的，低于这个数。"),
        ("高企没到800家吧", "是的，低于这个数。"),
        ("高企没有到800家吧", "是的，低于这个数。"),
        ("高企未到700家吧", "没有，不低于这个数。"),
    ],
)
def test_a_threshold_asked_with_ba_or_bu_dao_says_yes_or_no(
    assistant: Assistant, question: str, verdict: str
) -> None:
    reply = assistant.reply(question, Session())
    assert reply.status == "answer"
    assert reply.text.startswith(verdict), reply.text
    assert "同一个数字" not in reply.text
