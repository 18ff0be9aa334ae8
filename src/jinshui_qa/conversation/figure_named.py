"""A figure of the report asked about by its value: 「19.2万人是什么」, 「1300余人指的是什么」, "what is 723?".

The router reads such a message by its words, and the words of a figure mislead it (19.2万人 shares 万人
with 万人助万企). Here the value is looked up among the facts' figures instead: the one fact stating it
is answered, several are offered as a choice, and of a value no fact states the reply says the report
has nothing on it. Years, months, days and ranks are not figures here (a year is left to the router).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from jinshui_qa.conversation import arithmetic as ar
from jinshui_qa.conversation import replies
from jinshui_qa.conversation.literals import values_in
from jinshui_qa.facts.schema import Fact, FactBase, Lang
from jinshui_qa.text import lazy_re

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant, Reply, Session

_ASKED = lazy_re.compile(
    r"\s*(?:这个|那个)?(?P<figure>\d+(?:\.\d+)?\s*(?:万亿|亿|万|千)?\s*(?:多|余)?\s*(?:亿元|万元|元|家|个|户|人|名|项|位|%|％)?)"
    r"\s*(?:这个数字?|这个数|这个)?\s*(?:是|指|指的是|说的是|代表|代表的是|表示|讲的是)?\s*"
    r"(?:什么|啥|哪个|哪些|什么意思|啥意思|什么东西|谁)\s*(?:呢|啊|呀)?\s*[?？]?\s*"
    r"|\s*(?:这个|那个)?(?P<alone>\d+(?:\.\d+)?\s*(?:万亿|亿|万|千)?\s*(?:多|余)?\s*(?:亿元|万元|元|家|个|户|人|名|项|位))"
    r"\s*(?:呢|啊|呀)?\s*[?？]?\s*"  # 「19.2万人」 alone, its unit said: asked by its value too
    r"|\s*what(?:'s| is| does| do)?\s+(?:the\s+)?(?:number\s+|figure\s+)?(?P<en>\d[\d,.]*)\s*(?:mean|refer to|stand for)?\s*\??\s*",
    re.IGNORECASE,
)


def stating(base: FactBase, text: str) -> list[Fact]:
    """The facts stating the one value a message asks about (see the module docstring), best first: in
    the order of the fact base; empty when the message asks no such thing."""
    if not any(ch.isdigit() for ch in text):  # no value typed: the pattern not compiled (ask's cold start)
        return []
    m = _ASKED.fullmatch(text)
    if m is None:
        return []
    said = m["figure"] or m["alone"] or (m["en"] or "").replace(",", "")
    values = values_in(said)
    if len(values) != 1 or re.fullmatch(r"19\d\d|20[0-4]\d", said.strip()):
        return []  # 「2022是什么」: a year, not a figure
    value = values[0][0]
    if said.rstrip().endswith(("%", "％")):  # 「20%是什么」: a share the report states
        share = re.compile(rf"(?<![\d.]){ar.plain(value)}%")
        return [fact for fact in base.facts if any(f.share and share.search(f.share) for f in fact.figures)]
    found = []
    for fact in base.facts:
        quantities = [ar.quantity(f) for f in fact.figures]
        if any(q is not None and q.kind not in ("rank", "day") and q.value == value for q in quantities):
            found.append(fact)
    return found


def reply(assistant: Assistant, text: str, session: Session, now: float) -> Reply | None:
    """The fact stating the value asked about, or a choice among the facts stating it; ``None`` when
    the message asks no value; a fallback when no fact states it."""
    if not any(ch.isdigit() for ch in text):  # no value typed: the pattern not compiled (ask's cold start)
        return None
    m = _ASKED.fullmatch(text)
    if m is None:
        return None
    found, lang = stating(assistant.base, text), _lang(text)
    if len(found) == 1:
        return assistant.answer_fact(found[0].id, session, now, question=text, lang=lang)
    from jinshui_qa.conversation.assistant import Option, Reply

    if not found:  # 「999是什么」: no fact states it (a year is left to the router: 2021 may be asked)
        said = (m["figure"] or m["alone"] or m["en"] or "").strip()
        number = ar.plain(values_in(said)[0][0]) if values_in(said) else said
        if re.fullmatch(r"19\d\d|20[0-4]\d", said) or any(_writes(f, number) for f in assistant.base.facts):
            return None  # a year, or a number the report writes otherwise (top 100): the router reads it
        reason = f"not_covered:{said}"
        return Reply(
            text, "fallback", replies.fallback_text(assistant.base, reason, lang), lang, reason=reason
        )
    options = tuple(Option(f.id, f.title.get(lang)) for f in found[:3])
    session.pending, session.pending_lang, session.pending_ask = tuple(o.fact_id for o in options), lang, ""
    return Reply(text, "clarify", replies.clarify_text([o.title for o in options], lang), lang, 100.0,
                 options=options)  # fmt: skip


def _writes(fact: Fact, number: str) -> bool:
    return any(
        re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.])", t) for t in (fact.answer.zh, fact.answer.en)
    )


def _lang(text: str) -> Lang:
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"
