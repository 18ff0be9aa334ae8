"""The parts of a compound reply and the bookkeeping every compound path shares.

:class:`Part` is one question of a message with how it was answered; :class:`CompoundReply` is the
reply to the whole message (JSON: ``parts`` lists every part with status and reason, ``computed`` the
arithmetic of a comparison). :func:`each` answers parts in fresh sessions; :func:`commit` leaves the
session as if the last answered part had been asked alone, with the facts answered remembered for a
follow-up comparison (「两者差多少」).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from jinshui_qa.conversation import render
from jinshui_qa.conversation.assistant import Reply, Session
from jinshui_qa.facts.schema import FactBase
from jinshui_qa.text import lazy_re

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant

_AMONG = lazy_re.compile(r"(?<=[\u4e00-\u9fff])其中(?=\S)|^其中(?=\S)")


@dataclass(frozen=True)
class Part:
    """One question of a compound message and how it was answered (``figure`` as shown, e.g. 143家)."""

    question: str
    status: str
    fact_id: str | None = None
    figure: str | None = None
    period: str | None = None
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"question": self.question, "status": self.status, "fact_id": self.fact_id,
                "figure": self.figure, "period": self.period, "reason": self.reason or None}  # fmt: skip


@dataclass(frozen=True)
class CompoundReply(Reply):
    """A reply to several questions; ``computed`` describes a comparison's arithmetic, if any."""

    parts: tuple[Part, ...] = ()
    computed: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        data = super().to_json()
        data["parts"] = [p.to_json() for p in self.parts]
        data["computed"] = self.computed
        return data


def each(assistant: Assistant, parts: list[str], session: Session, now: float) -> tuple[list[Reply], Session]:
    """Each part answered on its own (no follow-up context); the session of the last answered part."""
    answers, last = [], replace(session, pending=())
    for part in parts:
        scratch = Session(lang=session.lang)
        said = _AMONG.sub("", part)  # 「其中新开项目有多少个」: the part names what it asks about
        answers.append(replace(assistant.reply_one(said, scratch, now), question=part))
        if scratch.context is not None:
            last = scratch
    return answers, last


def commit(session: Session, scratch: Session, answered: list[str | None] | None = None) -> None:
    """The session after the whole message: the scratch's follow-up context, no pending choices, and
    the facts ``answered`` (in the message's order) as those a follow-up comparison refers to."""
    session.context, session.updated_at, session.lang = scratch.context, scratch.updated_at, scratch.lang
    session.turns_since = scratch.turns_since
    session.pending, session.pending_ask = (), ""
    if answered and any(answered):
        session.recent = ()
        session.answered(*(f for f in answered if f))


def shown(text: str) -> str:
    return text if len(text) <= 300 else text[:300] + "…"


def part(base: FactBase, answer: Reply) -> Part:
    fact = base.get(answer.fact_id) if answer.status == "answer" and answer.fact_id else None
    if fact is None:
        return Part(answer.question, answer.status, None, reason=answer.reason or answer.status)
    figure = render.figure_text(fact.figures[0]) if fact.figures else None
    return Part(answer.question, "answer", fact.id, figure, render.period(fact, answer.lang))
