"""Yes/no questions of a figure against a number the user gives: 「新签约项目计划投资超过200亿了吗」.

The operand that is not a number is answered as a question of its own; its figure is compared with
the number (:func:`jinshui_qa.conversation.literals.threshold`), and the reply says yes or no with
the figure, its period and the report's own wording (「突破200亿」), or that the wording cannot settle it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from jinshui_qa.conversation import literals, render
from jinshui_qa.conversation.assistant import Reply, Session
from jinshui_qa.conversation.comparison import ComparisonAsk
from jinshui_qa.conversation.parts import CompoundReply, Part, commit, each, shown
from jinshui_qa.text import lazy_re

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant

_BELOW = lazy_re.compile(r"少于|低于|不到|不足|没到|\b(?:less|fewer|lower|below|under)\b", re.IGNORECASE)
_VERDICTS = {
    "yes": ("是的，超过了。", "Yes, it is above that."),
    "no": ("没有超过。", "No, it is not above that."),
    "equal": ("正好是这个数，没有超过。", "It is exactly that number, not above it."),
    "unknown": (
        "报道只给出了约数，不能确定是否超过。",
        "The report gives only an approximate figure, so I can't tell.",
    ),
}
_BELOW_VERDICTS = {
    "yes": ("是的，低于这个数。", "Yes, it is below that."),
    "no": ("没有，不低于这个数。", "No, it is not below that."),
    "equal": ("正好是这个数，不低于它。", "It is exactly that number, not below it."),
    "unknown": (
        "报道只给出了约数，不能确定是否低于。",
        "The report gives only an approximate figure, so I can't tell.",
    ),
}


def reply(assistant: Assistant, text: str, ask: ComparisonAsk,
          numbers: list[tuple[Decimal, bool] | None], session: Session, now: float) -> Reply:  # fmt: skip
    """Whether the one operand's figure is above (or below) the number the other operand is."""
    n = 0 if numbers[0] is None else 1
    number = numbers[1 - n]
    assert number is not None
    answers, scratch = each(assistant, [ask.operands[n]], session, now)
    answer = answers[0]
    base = assistant.base
    fact = base.get(answer.fact_id) if answer.status == "answer" and answer.fact_id else None
    fact = fact or render.choose(base, answer, ask.measure or "money")
    lang = answer.lang
    found = [q for q in render.candidates(fact, ask.measure, "") if q.kind != "share"] if fact else []
    if fact is None or not found:
        commit(session, scratch)
        head = answer.text.split("\n", 1)[0]
        return CompoundReply(shown(text), "fallback", head, lang, answer.score, reason=answer.reason or "no_match",
                             parts=(Part(answer.question, answer.status, None, reason=answer.reason),))  # fmt: skip
    below = bool(_BELOW.search(text))
    said = literals.threshold(found[0], number[0], number[1], below)
    zh, en = (_BELOW_VERDICTS if below else _VERDICTS)[said.verdict]
    line = render.line(render.name(fact, found[0], lang), found[0], fact, lang)
    source = render.sources(base, [fact], lang)
    commit(session, scratch, [fact.id])
    status = "answer" if said.verdict != "unknown" else "partial"
    return CompoundReply(shown(text), status, "\n".join([zh if lang == "zh" else en, line, "", source]), lang,
                         answer.score, fact_id=fact.id, source=source,
                         parts=(Part(answer.question, "answer", fact.id, found[0].shown(), render.period(fact, lang)),))  # fmt: skip
