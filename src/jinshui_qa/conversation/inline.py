"""A comparison asked as one part of a longer message: 「科技型企业多少家，高企多少家，两者差多少」.

A part not answered on its own that reads as a follow-up comparison (:func:`.recall.recall`: 两者,
差多少, 是它的几倍) is computed over the facts the parts before it answered (the last two distinct),
and stands in its place as one line: the computation and that it was computed, not reported.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from jinshui_qa.conversation.assistant import Reply, Session
from jinshui_qa.conversation.recall import recall
from jinshui_qa.conversation.splitting import Gazetteer, prepare

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant

_NOTE = {
    "zh": "（本助手根据以上数字计算，报道本身并未给出）",
    "en": " (computed by this assistant from the figures above)",
}


def computed_parts(assistant: Assistant, names: Gazetteer, answers: list[Reply], now: float) -> list[Reply]:
    """``answers`` with each unanswered comparison part computed over the facts answered before it."""
    from jinshui_qa.conversation.computing import compare  # computing imports the compound helpers

    out = list(answers)
    for n, answer in enumerate(answers):
        if answer.status == "answer":
            continue
        before = list(dict.fromkeys(a.fact_id for a in out[:n] if a.status == "answer" and a.fact_id))
        if len(before) < 2:
            continue
        session = Session(lang=answer.lang)
        session.answered(*before[-2:])
        asked = answer.question
        subject = names.subject_in(asked)  # the subject a part took from the part before is not its own
        asked = asked[len(subject) :] if subject and prepare(asked).startswith(subject) else asked
        back = recall(asked, names, session, assistant.base)
        if back is None:
            continue
        done = compare(assistant, asked, back[0], Session(lang=answer.lang), now, given=back[1])
        if done is None or done.status != "answer":
            continue
        verdict = next((line for line in done.text.split("\n") if " = " in line or " ≈ " in line), "")
        if verdict:
            out[n] = replace(
                answer, status="answer", text=verdict + _NOTE[answer.lang], fact_id=None, reason=""
            )
    return out
