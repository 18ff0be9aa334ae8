"""A clause that names the operation asked is part of the question, not context."""

from __future__ import annotations

import pytest

from jinshui_qa.text.clauses import asking


@pytest.mark.parametrize(
    "text",
    [
        "On average, how much guaranteed loan did each firm get?",
        "说说看平均下来，每家企业拿到多少担保贷款？",
        "把它们加起来，重点实验室和研发机构有多少家？",
    ],
)
def test_a_clause_naming_the_operation_is_not_dropped_as_context(text: str) -> None:
    assert asking(text) is None  # read whole: the operation clause may ask


def test_context_clauses_are_still_dropped() -> None:
    assert asking("您好，我是做外贸的，打算来郑州发展，想问一下重点项目有多少个？谢谢！") is not None
