"""The parts of a compound reply and the bookkeeping every compound path shares.

:class:`Part` is one question of a message with how it was answered; :class:`CompoundReply` is the
reply to the whole message (JSON: ``parts`` lists every part with status and reason, ``computed`` the
arithmetic of a comparison). :func:`each` answers parts in fresh sessions; :func:`commit` leaves the
session as if the last answered part had been asked alone, with the facts answered remembered for a
follow-up comparison (「两者差多少」).

:func:`cited` gives every reply the one shape of ``source`` scripts read (``ask --json``, the web API):
``source`` is the citation of each fact whose figure the reply shows and cites: the report's title,
publisher, year and section (``base.source_label``: 「《…》（郑州日报，2022）·…」, in the reply's language),
without the 「来源：」/"Source:" heading or the bullets the reply's text puts before it; several citations
are one per line, in the order the reply cites them (``to_json`` adds ``sources``, the list). A reply that
cites nothing (a clarifying question, small talk, a fallback that shows no figure's source) has ``None``.
So a plain answer, a computation, a check, a threshold and a compound of several answers all give the
same shape; every citation in ``source`` is in the reply's text (at its end, but for a few fallbacks that
explain after it).
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
        scratch = Session(lang=session.lang, reply_lang=session.reply_lang)
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


def cited(base: FactBase, reply: Reply) -> Reply:
    """``reply`` with its ``source`` in the one shape the module docstring gives."""
    ids = [reply.fact_id, *(p.fact_id for p in getattr(reply, "parts", ()))]
    facts = [f for f in map(base.get, dict.fromkeys(i for i in ids if i)) if f is not None]
    labels = [
        label
        for label in dict.fromkeys(base.source_label(f, reply.lang) for f in facts)
        if label in reply.text
    ]
    written = [bare for line in render.cited_lines(reply.text).splitlines() if (bare := render.bare(line))]
    labels += [label for label in written if label not in labels]  # a fallback's, citing what it shows
    if not labels and reply.source:  # a citation set without its fact
        labels = [bare for line in reply.source.splitlines() if (bare := render.bare(line))]
    source = "\n".join(labels) or None
    return reply if source == reply.source else replace(reply, source=source)
