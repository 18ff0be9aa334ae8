"""Session 7 findings, each as the general pattern it is, over the real facts.

An amount done (完成投资, 实际投资, "actual investment") of a subject whose figures are planned
(计划, 谋划, 储备) is a progress the report does not give: said plainly, with the plan as what is known,
never the plan as if it were done; 计划完成投资 is the plan itself. A figure actually done that a fact
holds (担保贷款 given) is still answered.
"""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Session


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("重点项目完成投资多少", ""),
        ("今年重点项目实际完成了多少投资", ""),
        ("重点项目实际投资多少亿", ""),
        ("重点项目年度投资完成情况", "521亿元"),
        ("储备项目完成投资多少", ""),
        ("新签约的项目实际投资了多少", "200亿元"),
    ],
)
def test_an_amount_done_of_a_plan_says_the_report_gives_the_plan(
    assistant: Assistant, text: str, plan: str
) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.reason) == ("fallback", "attribute:progress"), reply.text
    head, _, known = reply.text.partition("我知道的是：")
    assert head.startswith("报道只给出了") and "计划数" in head and "没有实际完成" in head
    assert any(word in known for word in ("计划", "谋划", "储备")) and plan in known  # the plan, named as one


def test_an_amount_done_in_english_says_the_same(assistant: Assistant) -> None:
    reply = assistant.reply("What was the actual investment in the key projects?", Session())
    assert reply.reason == "attribute:progress"
    assert reply.text.startswith("The report gives only planned figures for key projects")


@pytest.mark.parametrize(
    "text", ["重点项目计划完成投资多少", "今年重点项目计划要完成多少投资", "重点项目年度计划投资多少"]
)
def test_the_planned_amount_is_answered_as_the_plan(assistant: Assistant, text: str) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.fact_id) == ("answer", "key_projects_annual_investment")


@pytest.mark.parametrize("text", ["千企万户已经放了多少贷款", "千企万户实际提供了多少担保贷款"])
def test_an_amount_done_that_a_fact_holds_is_answered(assistant: Assistant, text: str) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.fact_id) == ("answer", "guaranteed_loans") and "9.66亿元" in reply.text


def test_progress_of_a_figure_not_planned_keeps_the_plain_head(assistant: Assistant) -> None:
    reply = assistant.reply("专项债资金到位多少", Session())
    assert reply.reason == "attribute:progress" and reply.text.startswith("报道里没有专项债的完成进度信息")
