"""Several figures stated in one message, then one check (对吗, "is it true"), or as hearsay: each figure
gets its own verdict with the report's figure (session 10). Before, 「高企723家，科技型企业3000家，对吗」 gave
both answers with no verdict, and "Is it true there are 700 high-tech firms and 3000 tech enterprises?"
answered the second thing only, checking neither figure."""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Session
from jinshui_qa.conversation.claims import as_check

SOURCE = "项目为王创新成"


@pytest.mark.parametrize(
    ("message", "verdicts"),
    [
        ("高企723家，科技型企业3000家，对吗", ["对，报道说的就是723家", "不对，报道说的是2058家，不是3000家"]),
        ("高企723家和科技型企业3000家对吗", ["对，报道说的就是723家", "不对，报道说的是2058家"]),
        ("听说高企有1000家，科技型企业有3000家", ["不对，报道说的是723家", "不对，报道说的是2058家"]),
        ("重点项目有300个，总投资4000亿元，是真的吗", ["不对，报道说的是233个", "不对，报道说的是3830亿元"]),
        ("Is it true there are 700 high-tech firms and 3000 tech enterprises?",
         ["No: the report gives 723, not 700", "No: the report gives 2,058, not 3000"]),
        ("There are 700 high-tech firms and 3000 tech enterprises, is that true?",
         ["No: the report gives 723", "No: the report gives 2,058"]),
        ("My friend said Jinshui has 143 key labs and 20 R&D institutions",
         ["Yes", "No: the report gives 12, not 20"]),
    ],
)  # fmt: skip
def test_each_figure_stated_gets_its_verdict_and_source(
    assistant: Assistant, message: str, verdicts: list[str]
) -> None:
    reply = assistant.reply(message, Session())
    assert reply.status == "answer"
    at = 0
    for verdict in verdicts:  # in the order stated
        found = reply.text.find(verdict, at)
        assert found >= 0, (verdict, reply.text)
        at = found
    assert reply.source and SOURCE in reply.source


@pytest.mark.parametrize(
    "message",
    [
        "重点项目有300个，总投资是多少",  # a premise, then a question: the premise note (premise.py)
        "高企1000家，科技型企业2000家，一共多少",  # a sum asked
        "高企有723家吗？科技型企业有3000家吗？",  # checks already
        "金水区有3个，郑州有5个，对吗",  # no thing named
        "There are 700 high-tech firms and 3000 tech enterprises",  # stated plainly in English: the router's
    ],
)
def test_other_messages_are_not_read_as_several_checks(message: str) -> None:
    said = as_check(message)
    assert said is None or said.count("吗") + said.count("?") <= 1
