"""The last guard against a part dropped silently: a message that asks two things, or computes with
two things, is never answered by one whole-message fallback.

:func:`each_said` is applied to what :func:`jinshui_qa.conversation.compound.reply` would say. When
that is a single fallback (no parts) although the message holds two asking clauses (「…了没，…多少」)
or an operation between two sides (「A比B晚几天」, 「A扣掉B还剩多少」), or names two known things of which
the fallback would say the report has nothing (「A vs B」), each clause, side or thing is asked on its
own and listed in its place with its status and reason: what is known is answered, what is missing is
named.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from jinshui_qa.conversation import render
from jinshui_qa.conversation.assistant import Reply, Session
from jinshui_qa.conversation.comparison import operation
from jinshui_qa.conversation.parts import CompoundReply, part, shown
from jinshui_qa.conversation.splitting import Gazetteer, clauses, is_context, is_question, prepare
from jinshui_qa.text import lazy_re

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant

_SIDES = lazy_re.compile(
    r"比(?!重(?!点)|[例较率])|扣掉|扣除|减去|减掉|除了|除去|和|跟|与|还是|\s(?:than|minus|or|and|versus|vs\.?)\s",
    re.IGNORECASE,
)


def pieces(text: str, names: Gazetteer) -> list[str]:
    """The clauses of ``text`` that ask, or else the two sides of its operation; [] when fewer than two."""
    asking = [c for c in clauses(text) if re.search(r"\w", c) and is_question(c) and not is_context(c, names)]
    if len(asking) >= 2:
        return asking
    said = prepare(text)
    cut = _SIDES.search(said) if operation(said) or re.search(r"扣|除了|除去|还剩", said) else None
    if cut is None:
        return []
    sides = [said[: cut.start()].strip(" ，,"), said[cut.end() :].strip(" ，,")]
    return sides if all(len(re.sub(r"\W", "", s)) >= 2 for s in sides) else []


def _named(text: str, names: Gazetteer, reason: str) -> list[str]:
    """The known things a message names, in order, when its fallback says the report has nothing on a
    word of one of them (「科技型企业 vs 高新技术企业」: 「报道里没有关于“科技型”的信息」 was false); []
    otherwise. At most eight, as for parts."""
    kind, _, word = reason.partition(":")
    said = prepare(text)
    found = sorted(names.found(text), key=said.find)
    if kind != "not_covered" or len(found) < 2 or not any(word and word in name for name in found):
        return []
    return found[:8]


def each_said(
    assistant: Assistant, text: str, names: Gazetteer, said: Reply | None, now: float
) -> Reply | None:
    """``said`` unchanged unless it is one fallback for a message of two or more things (see above)."""
    if said is None or isinstance(said, CompoundReply) or said.status != "fallback":
        return said
    found = pieces(text, names) or _named(text, names, said.reason)
    if len(found) < 2:
        return said
    answers = [assistant.reply_one(p, Session(lang=said.lang), now) for p in found]
    known = any(a.status == "answer" for a in answers)
    lang = said.lang
    return CompoundReply(shown(text), "partial" if known else "fallback", render.parts_text(assistant.base, answers, lang),
                         lang, said.score, reason="part_unanswered" if known else "no_part_answered",
                         parts=tuple(part(assistant.base, a) for a in answers))  # fmt: skip
