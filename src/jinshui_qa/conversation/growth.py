"""「A和B哪个增长得快」, "which grew faster, A or B": a comparison of growth, not of size.

The report gives no growth rates, and for most things only what exists, not what was added. So a
growth comparison is computed (as which added more) only when both figures count additions
(新增, 新引进, 新签约, 新开) over the same period and the question asks how much, not how fast;
otherwise both things are listed with their own figures (or what is missing) and the reply says
plainly that the report gives no growth figures to compare. Nothing is dropped: each operand is a
part of the reply.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from jinshui_qa.conversation import render
from jinshui_qa.conversation.assistant import Reply, Session
from jinshui_qa.conversation.comparison import ComparisonAsk
from jinshui_qa.conversation.computing import compare
from jinshui_qa.conversation.parts import CompoundReply, commit, each, part, shown
from jinshui_qa.conversation.splitting import Gazetteer, prepare
from jinshui_qa.facts.schema import Fact
from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import has_cjk

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant

_EN = lazy_re.compile(
    r"\b(?:which|who)\b.{0,60}?\b(?:grew|grows|grown|growing|increased|rose|expanded|growth)\b", re.IGNORECASE
)
_ZH = lazy_re.compile(r"(?:哪|谁).{0,8}?(?:增长|增加|增速|涨|长得)|(?:增长|增加|增速|涨)得?.{0,4}?(?:哪|谁)")
_RATE = lazy_re.compile(r"faster|quicker|more quickly|rate|快|增速|增幅|速度|比率", re.IGNORECASE)
_ADDED = lazy_re.compile(r"新增|新引进|新签约|新开|新培育")
_EN_CUT = lazy_re.compile(r"\s*,\s*|\s+or\s+|\s+and\s+")
_EN_HEAD = lazy_re.compile(
    r"^(?:which|who)\b.*?\b(?:grew|grows|grown|growing|increased|rose|expanded|growth)\b.*$", re.IGNORECASE
)
_ZH_CUT = lazy_re.compile(r"和|跟|与|还是|、|，|,")
_ZH_TRIM = lazy_re.compile(r"^(?:金水区的?|请问)|(?:哪|谁).*$|(?:相比|比较)$")
_SAYS = {
    "zh": "报道没有给出{a}和{b}的增长数字（增速或同期新增量），所以说不出哪个增长得更快、更多。",
    "en": "The report gives no growth figures (rates, or additions over the same period) for {a} and {b}, "
    "so I can't say which grew faster or more.",
}


def read(text: str, names: Gazetteer) -> tuple[str, str, bool] | None:
    """The two things whose growth is compared, and whether a rate (faster) is asked; or None."""
    text = prepare(text).strip(" ?？.!！")
    if has_cjk(text):
        if not _ZH.search(text):
            return None
        pieces = [_ZH_TRIM.sub("", p).strip() for p in _ZH_CUT.split(text)]
    else:
        if not _EN.search(text):
            return None
        pieces = [p.strip() for p in _EN_CUT.split(text) if not _EN_HEAD.match(p.strip())]
    named = [p for p in pieces if p]
    if len(named) != 2 or not any(names.subject_in(p) or names.knows(p) for p in named):
        return None
    return named[0], named[1], bool(_RATE.search(text))


def _added(fact: Fact) -> bool:
    return any(_ADDED.search(f.counts) for f in fact.figures)


def reply(
    assistant: Assistant, text: str, asked: tuple[str, str, bool], session: Session, now: float
) -> Reply:
    """Which of two things grew more, when the report can say; else both listed and why not."""
    a, b, rate = asked
    base = assistant.base
    answers, scratch = each(assistant, [a, b], session, now)
    facts = [base.get(r.fact_id) if r.status == "answer" and r.fact_id else None for r in answers]
    fa, fb = facts
    if not rate and fa is not None and fb is not None and _added(fa) and _added(fb) and fa.time == fb.time:
        cjk = has_cjk(text)
        ask = ComparisonAsk("larger", (a, b), "count" if cjk else "", bare=(a, b))
        return compare(assistant, text, ask, session, now) or answers[0]
    lang = answers[0].lang
    titles = [f.title.get(lang) if f else q for f, q in zip(facts, (a, b), strict=True)]
    listed = [replace(r, question=q) for r, q in zip(answers, (a, b), strict=True)]
    shown_text = render.parts_text(base, listed, lang) + "\n" + _SAYS[lang].format(a=titles[0], b=titles[1])
    commit(session, scratch, [f.id if f else None for f in facts])
    return CompoundReply(shown(text), "fallback", shown_text, lang, min(r.score for r in answers),
                         reason="incomparable:no_growth", parts=tuple(part(base, r) for r in listed))  # fmt: skip
