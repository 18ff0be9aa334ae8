"""The audit of computed replies: computations recomputed exactly, and no number from nowhere."""

from __future__ import annotations

import pytest

from jinshui_qa.bootstrap import bootstrap
from jinshui_qa.conversation.assistant import Assistant, Session
from jinshui_qa.maintenance.computed_audit import audit_comparisons, audit_reply, exact_value
from tests.support.tiny import REAL_FACTS


@pytest.fixture(scope="module")
def real() -> Assistant:
    """The real facts (this folder's ``assistant`` is the district set)."""
    return bootstrap(REAL_FACTS)


def test_numbers_are_read_exactly() -> None:
    assert exact_value("84.6亿") == 8460000000
    assert exact_value("0.966 billion") == 966000000
    assert exact_value("2,058") == 2058


@pytest.mark.parametrize(
    ("question", "right", "wrong"),
    [
        ("重点实验室比孵化载体多多少家", "= 80家", "= 81家"),
        ("重点项目总投资是年度计划投资的几倍", "≈ 7.35", "≈ 7.36"),
        (
            "How much more is the special bond funding than the guaranteed loans?",
            "= 7.494 billion",
            "= 7.5 billion",
        ),
    ],
)
def test_a_wrong_result_is_caught(real: Assistant, question: str, right: str, wrong: str) -> None:
    text = real.reply(question, Session()).text
    assert right in text and audit_reply(real.base, text) == []
    problems = audit_reply(real.base, text.replace(right, wrong))
    assert problems and problems[0].startswith("wrong computation")


def test_a_number_from_nowhere_is_caught(real: Assistant) -> None:
    text = real.reply("重点实验室和研发机构各有几家", Session()).text
    assert audit_reply(real.base, text) == []
    assert audit_reply(real.base, text.replace("143家", "150家")) == [
        "number from nowhere: 150 (…道,金水区共有重点实验室150家。…)"
    ]


def test_every_pair_of_district_facts_passes(assistant: Assistant) -> None:
    result = audit_comparisons(assistant)
    assert result.asked > 0 and result.problems == []
    assert result.lines()[0].startswith(f"computed replies: {result.asked} questions")


def test_a_total_of_many_terms_is_checked_as_a_whole(real: Assistant) -> None:
    assert audit_reply(real.base, "合计：143家 + 12家 + 63家 + 290家 = 508家。") == []
    problems = audit_reply(real.base, "合计：143家 + 12家 + 63家 = 219家。")
    assert problems and problems[0].startswith("wrong computation: 143家 + 12家 + 63家 = 219")
