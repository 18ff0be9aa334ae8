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
from jinshui_qa.text.normalize import to_simplified

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant, Reply, Session

_ASKED = lazy_re.compile(
    r"\s*(?:这个|那个)?(?P<figure>\d+(?:\.\d+)?\s*(?:万亿|亿|万|千)?\s*(?:多|余)?\s*(?:亿元|万元|元|家|个|户|人|名|项|位|%|％)?)"
    r"\s*(?:这个数字?|这个数|这个)?\s*(?:是|指|指的是|说的是|代表|代表的是|表示|讲的是)?\s*"
    r"(?:什么|啥|哪个|哪些|什么意思|啥意思|什么东西|谁)\s*(?:呢|啊|呀)?\s*[?？]?\s*"
    r"|\s*(?:这个|那个)?(?P<alone>\d+(?:\.\d+)?\s*(?:万亿|亿|万|千)?\s*(?:多|余)?\s*(?:亿元|万元|元|家|个|户|人|名|项|位))"
    r"\s*(?:呢|啊|呀)?\s*[?？]?\s*"  # 「19.2万人」 alone, its unit said: asked by its value too
    r"|\s*(?P<year>(?:19|20)\d\d)\s*年\s*(?:是|指|指的是|说的是|代表|代表的是|表示)?\s*(?:什么|啥|什么意思|啥意思)\s*(?:呢|啊|呀)?\s*[?？]?\s*"
    r"|\s*what(?:'s| is| does| do)?\s+(?:the\s+)?(?:number\s+|figure\s+|year\s+)?(?P<en>\d[\d,.]*)\s*(?:mean|refer to|stand for)?\s*\??\s*",
    re.IGNORECASE,
)


_NEGATIVE = lazy_re.compile(  # 「-5是什么」, 「负五是啥意思」, "what is -5?": a negative number asked about alone
    r"\s*(?:这个|那个)?(?P<n>(?:[-−﹣]|负的?)\s*\d+(?:\.\d+)?\s*(?:万亿|亿|万|千)?\s*(?:亿元|万元|元|家|个|户|人|名|项|位|%)?)"
    r"\s*(?:这个数字?|这个数|这个)?\s*(?:是|指|指的是|说的是|代表|代表的是|表示|讲的是)?\s*"
    r"(?:什么|啥|哪个|哪些|什么意思|啥意思|什么东西|谁)?\s*(?:呢|啊|呀)?\s*[?？]?\s*"
    r"|\s*(?:what(?:'s| is| does| do)?\s+(?:the\s+)?(?:number\s+|figure\s+)?)?(?P<en>(?:-|−|minus\s+|negative\s+)\d[\d,.]*)"
    r"\s*(?:mean|refer to|stand for)?\s*\??\s*",
    re.IGNORECASE,
)


def negative(assistant: Assistant, text: str) -> Reply | None:
    """A negative number asked about alone (see :data:`_NEGATIVE`): what the report's figures are and that
    none is negative, so the bot cannot say what it means; never a choice of facts that only share its
    digits. ``None`` for any other message, or when a fact does state a negative figure."""
    import unicodedata

    from jinshui_qa.text.numerals import arabic_numerals

    said = arabic_numerals(to_simplified(unicodedata.normalize("NFKC", text[:100])))
    m = _NEGATIVE.fullmatch(said)
    if m is None or any(f.value < 0 for fact in assistant.base.facts for f in fact.figures):
        return None
    from jinshui_qa.conversation.assistant import Reply

    number = " ".join((m["n"] or m["en"]).split())
    if m["n"]:
        example = replies.EXAMPLES["zh"][0]
        return Reply(text, "fallback", f"“{number}”是负数。报道里的数字是数量、金额、比例、排名和日期，没有一个是负数，"
                     f"所以我说不出它指什么。我能告诉您的是报道里的数字，比如：{example}发送 /topics 看看我能回答什么。",
                     "zh", reason="negative_number")  # fmt: skip
    example = replies.EXAMPLES["en"][0]
    return Reply(text, "fallback", f"{number} is a negative number. The report's figures are counts, amounts, shares, "
                 f"ranks and dates, and none is negative, so I can't tell what it refers to. I can tell you the "
                 f"report's figures, for example: {example} Send /topics to see what I can answer.", "en",
                 reason="negative_number")  # fmt: skip


CHINESE_DIGITS = "零〇一二两兩三四五六七八九十百千万萬"  # a message opening with one may be a value in words


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
    measure = _measure(said)  # 「1000家」 is no figure of 1000万元: a unit said must be the figure's kind
    found = []
    for fact in base.facts:
        quantities = [ar.quantity(f) for f in fact.figures]
        if any(q is not None and q.kind not in ("rank", "day") and q.value == value
               and measure in ("", _MEASURES.get(q.base, q.kind)) for q in quantities):  # fmt: skip
            found.append(fact)
    return found


# what a unit measures: money, people, or things counted (家, 个, 户 and 项 are said of one another's)
_MEASURES = {"元": "money", "块钱": "money", "人": "people", "名": "people", "位": "people",
             "家": "things", "个": "things", "户": "things", "项": "things"}  # fmt: skip


def _measure(said: str) -> str:
    """What the unit ending ``said`` measures (:data:`_MEASURES`), '' when no unit is said."""
    unit = said.strip().rstrip("多余")
    return next((kind for u, kind in _MEASURES.items() if unit.endswith(u)), "")


def reply(assistant: Assistant, text: str, session: Session, now: float) -> Reply | None:
    """The fact stating the value asked about, or a choice among the facts stating it; ``None`` when
    the message asks no value; a fallback when no fact states it."""
    if (minus := negative(assistant, text)) is not None:  # 「-5是什么」, 「负五是什么」
        return minus
    if text[:1] in CHINESE_DIGITS:  # 「七百二十三是什么」 asks as 「723是什么」 does
        from dataclasses import replace

        from jinshui_qa.text.numerals import arabic_numerals

        said = arabic_numerals(to_simplified(text))
        asked = _ASKED.fullmatch(said) if said != text and said[:1].isdigit() else None
        if asked is not None and asked["figure"]:  # asked what it is: 「三个」 alone stays words
            digits = reply(assistant, said, session, now)
            return replace(digits, question=text) if digits is not None else None
    if not any(ch.isdigit() for ch in text):  # no value typed: the pattern not compiled (ask's cold start)
        return None
    m = _ASKED.fullmatch(text)
    if m is None:
        return None
    lang = _lang(text)
    said = (m["figure"] or m["alone"] or m["year"] or m["en"] or "").strip()
    if re.fullmatch(r"19\d\d|20[0-4]\d", said):  # 「2022是什么」: a year, not a figure
        return _year(assistant, text, int(said), lang, session, now)
    found = stating(assistant.base, text)
    if len(found) == 1:
        return assistant.answer_fact(found[0].id, session, now, question=text, lang=lang)
    from jinshui_qa.conversation.assistant import Reply

    if not found:  # 「999是什么」: no fact states it; 「100是什么」: the facts that write it (top 100)
        number = ar.plain(values_in(said)[0][0]) if values_in(said) else said
        found = [f for f in assistant.base.facts if _writes(f, number, _measure(said))]
        if len(found) == 1:
            return assistant.answer_fact(found[0].id, session, now, question=text, lang=lang)
    if not found:
        reason = f"not_covered:{said}"
        return Reply(
            text, "fallback", replies.fallback_text(assistant.base, reason, lang), lang, reason=reason
        )
    return _choice(text, found, lang, session)


def _choice(text: str, found: list[Fact], lang: Lang, session: Session) -> Reply:
    from jinshui_qa.conversation.assistant import Option, Reply

    options = tuple(Option(f.id, f.title.get(lang)) for f in found[:3])
    session.pending, session.pending_lang, session.pending_ask = tuple(o.fact_id for o in options), lang, ""
    return Reply(text, "clarify", replies.clarify_text([o.title for o in options], lang), lang, 100.0,
                 options=options)  # fmt: skip


def _writes(fact: Fact, number: str, measure: str = "") -> bool:
    """Whether the fact's answer writes ``number``, followed by a unit of ``measure`` when one is said."""
    after = r"(?![\d.])" if not measure else (
        r"\s*(?:万亿|亿|万|千)?\s*(?:多|余)?\s*(?:" + "|".join(u for u, k in _MEASURES.items() if k == measure) + ")"
    )  # fmt: skip
    return any(
        re.search(rf"(?<![\d.]){re.escape(number)}{after}", t) for t in (fact.answer.zh, fact.answer.en)
    )


def _lang(text: str) -> Lang:
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"


def _year(assistant: Assistant, text: str, year: int, lang: Lang, session: Session, now: float) -> Reply:
    """「2022是什么」: the year of the report, said with what can be asked of it; another year: the report
    has no figure of it."""
    from jinshui_qa.conversation.assistant import Reply

    base = assistant.base
    report = next((r for r in base.reports.values() if r.year == year), None)
    dated = [f for f in base.facts if f.time.startswith(str(year))] if report is None else []
    if len(dated) == 1:  # 「2021是啥」: the one figure the report gives of that year
        return assistant.answer_fact(dated[0].id, session, now, question=text, lang=lang)
    if dated:
        return _choice(text, dated, lang, session)
    if report is None:
        reason = f"period:{year}年" if lang == "zh" else f"period:{year}"
        return Reply(text, "fallback", replies.fallback_text(base, reason, lang), lang, reason=reason)
    example = replies.EXAMPLES[lang][0]
    if lang == "zh":
        said = (f"{year}是年份：我的资料来自{report.publisher}{year}年的报道《{report.title}》，讲的是金水区{year}年的情况。"
                f"您想了解{year}年的哪方面？比如：{example}")  # fmt: skip
    else:
        said = (f"{year} is a year: my facts come from a {year} {report.publisher_en} report on Jinshui in {year}. "
                f"What would you like to know about it? For example: {example}")  # fmt: skip
    return Reply(text, "fallback", said, lang, reason="vague:year")
