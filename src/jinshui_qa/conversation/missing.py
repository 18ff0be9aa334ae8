"""What a question asks that the report does not give, though the router finds words of it: a plan
asked as done, and a rate.

Whether a plan was done (「重点项目年度计划完成了吗」): the router answers with the plan (年度计划投资521亿元),
whose words it shares; said as the answer, the plan reads as if it settled whether it was done. A
question asking whether something was completed (完成了, 完成没, 完成情况, 完成率, 竣工, a stage of a
project reached: 开工了, 投产了, 达效了; "has it been completed", "have they started") of a fact whose figure counts something planned (计划, 谋划, 储备) gets the fallback the report
warrants instead: 「报道只给出了重点项目的计划数，没有实际完成或到位多少的数字。我知道的是：…521亿元。」 A plan
asked as a plan (计划完成投资多少: what is to be done) is not a question of completion and is answered.

A rate (「重点项目开工率多少」, 入驻率, 出租率, "start rate") is a ratio of two things; the router reads the
question by its other words and offers the subject's figures (233个 / 3830亿元 / 521亿元), none of which
is the rate. When the rate's word occurs in no fact of the base, the reply says so with what is known of
the subject (「报道里没有关于“开工率”的信息。我知道的是：…」) instead of a choice of unrelated figures.
Shares (比率, 占比) and 效率 (how well, not a ratio) are not rates here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import to_simplified

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Reply
    from jinshui_qa.facts.schema import FactBase

_DONE = lazy_re.compile(
    r"(?:完成|完工|竣工|建成|落实|兑现|做到|实现|达成|开工|动工|投产|达效)(?:了|没|得|情况|进度|率|度|与否|的怎么样|的如何)"
    r"|(?:完成|完工|竣工|建成|达成|实现|开工|动工|投产|达效)(?:吗|么|没有|\s*[?？])"
    r"|\b(?:has|have|was|were|is|are)\b.{0,60}\b(?:been\s+)?(?:completed|achieved|met|reached|done|finished|fulfill?ed|started|begun)\b"
    r"|\b(?:done|completed|finished)\s+yet\b|\bon track\b",
    re.IGNORECASE,
)
_PLANNED = lazy_re.compile("计划|谋划|储备")  # what a figure counts says it is planned (as replies reads it)


def planned_only(base: FactBase, text: str, said: Reply) -> Reply | None:
    """The fallback for a question of completion answered by a planned figure (see the module
    docstring), or ``None`` when ``text`` asks no such thing or the answer's figure is not a plan."""
    if said.status != "answer" or said.fact_id is None:  # (the words of completion: verify._DONE_WORDS)
        return None
    fact = base.get(said.fact_id)
    if fact is None or not fact.figures or not _PLANNED.search(fact.figures[0].counts):
        return None
    if not _DONE.search(text):
        return None
    from dataclasses import replace

    from jinshui_qa.conversation.replies import fallback_text

    why = "attribute:progress"
    return replace(said, status="fallback", text=fallback_text(base, why, said.lang, fact), reason=why,
                   fact_id=None, related=(), source=None, period=None, score=0.0)  # fmt: skip


_RATE = lazy_re.compile(r"([\u4e00-\u9fff]{2})率|\b([a-z]+(?:-[a-z]+)?)\s+rates?\b", re.IGNORECASE)
_NOT_RATES = ("比率", "占比率", "百分率", "效率", "功率", "exchange rate")
_KNOWN: list[tuple[FactBase, frozenset[str]]] = []  # the rates the last few bases write (built on first use)


def unknown(base: FactBase, text: str) -> str:
    """The rate ``text`` asks about that no fact of ``base`` mentions (its word as typed), or ``""``."""
    if "率" not in text and "rate" not in text.lower():
        return ""
    m = _RATE.search(to_simplified(text))
    if m is None:
        return ""
    word = f"{m[1]}率" if m[1] else f"{m[2].lower()} rate"
    return "" if word in _NOT_RATES or word in _written(base) else word


def _written(base: FactBase) -> frozenset[str]:
    for known, words in _KNOWN:
        if known is base:
            return words
    found: set[str] = set()
    for fact in base.facts:
        texts = (fact.answer.zh, fact.answer.en, fact.title.zh, fact.title.en, *fact.keywords,
                 *fact.questions("zh"), *fact.questions("en"))  # fmt: skip
        for text in texts:
            for m in _RATE.finditer(to_simplified(text)):
                found.add(f"{m[1]}率" if m[1] else f"{m[2].lower()} rate")
    words = frozenset(found)
    _KNOWN[:] = [*_KNOWN[-3:], (base, words)]
    return words
