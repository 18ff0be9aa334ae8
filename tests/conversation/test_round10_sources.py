"""Every figure shown names its source (session 10): a fallback that shows the nearest thing known
(「我知道的是：高新技术企业723家（2022年）」) cites that fact's source in its text, and ``source`` (JSON) is that
citation; before, the figure came with its period only and ``source`` was null. A compound part that falls
back that way adds its citation to the compound's source lines."""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Session


@pytest.mark.parametrize(
    ("question", "fact_id", "lang"),
    [
        ("二七区有多少家科技型企业", "tech_enterprises", "zh"),
        ("科技型企业增长了多少", "tech_enterprises", "zh"),
        ("重点实验室去年有多少", "key_labs", "zh"),
        ("How many high-tech enterprises did Jinshui have in 2020?", "high_tech_enterprises", "en"),
    ],
)
def test_a_fallback_showing_a_figure_cites_its_source(
    assistant: Assistant, question: str, fact_id: str, lang: str
) -> None:
    reply = assistant.reply(question, Session())
    data = reply.to_json()
    label = assistant.base.source_label(assistant.base.fact(fact_id), reply.lang)
    assert reply.status == "fallback" and reply.lang == lang
    assert ("我知道的是：" in reply.text) or ("What I do have:" in reply.text)
    assert reply.text.endswith(("来源：" if lang == "zh" else "Source: ") + label)
    assert (data["source"], data["sources"]) == (label, [label])


def test_a_fallback_showing_nothing_cites_nothing(assistant: Assistant) -> None:
    reply = assistant.reply("金水区房价多少", Session())
    assert reply.status == "fallback" and reply.source is None and "来源" not in reply.text


def test_a_compound_part_falling_back_with_a_figure_cites_it(assistant: Assistant) -> None:
    reply = assistant.reply("高企增长了多少？重点项目去年有多少？", Session())
    data = reply.to_json()
    assert (
        "我知道的是：高新技术企业723家" in reply.text and "我知道的是：2022年全年谋划的重点项目" in reply.text
    )
    assert len(data["sources"]) == 2 and all(label in reply.text for label in data["sources"])
