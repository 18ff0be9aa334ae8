"""A value the user states and asks to confirm: 「科技型企业是3000家吗」, 「高企有723家对吧」, "Are there 3000
tech enterprises?".

The router answers the thing asked about; the answer then opens with whether the stated value is what
the report says: 「不对，报道说的是2058家，不是3000家。」, 「对，报道说的就是723家。」, 「差不多：…」 (a value said
with 左右/大约 within a tenth), a value said with 多/余 (「一千三百多人」) against the range it names. The
value is compared with the answered fact's figure of the same kind (家/个/人 a count, 元/亿 money, % a
share); a number of no kind the fact has, a year, a rank (第3), a period (前3个月) or a bound (超过, 以上:
:mod:`.thresholds`) is not a stated value, and the answer is left as it is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import TYPE_CHECKING

from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import to_simplified
from jinshui_qa.text.numerals import SCALES, arabic_numerals

if TYPE_CHECKING:
    from decimal import Decimal

    from jinshui_qa.conversation import arithmetic as ar
    from jinshui_qa.conversation.assistant import Assistant, Reply, Session
    from jinshui_qa.facts.schema import Fact, FactBase, Lang
    from jinshui_qa.routing.router import RouteResult

_NUMERALS = frozenset(
    "0123456789０１２３４５６７８９零〇一二两兩三四五六七八九十百千万萬亿億"
)  # as typed: NFKC later
_ZH_CHECK = lazy_re.compile(
    r"(?:吗|么|嘛|吧|对吗|对不对|对么|是吗|是不是真的|没错吧|不是吗|是真的吗)\s*[?？。!！]*\s*$|是不是|是否|有没有"
)
_EN_CHECK = lazy_re.compile(
    r"^\s*(?:is|are|was|were|does|do|did|has|have)\b|\b(?:right|correct|true)\s*\?*\s*$", re.IGNORECASE
)
_BOUND = lazy_re.compile(
    r"超过|超出|以上|以下|以内|多于|少于|高于|低于|大于|小于|不到|不足|至少|最多|突破|达到|达不到|没到|没有到|未到|未达|"
    r"不够|不满|未满|more than|less than|fewer than|over|under|above|below|at least|at most|exceed|\breach",
    re.IGNORECASE,
)
_VALUE = lazy_re.compile(
    r"(?<![\d.第前后近~\-－～])(?:百分之)?(?P<n>\d+(?:\.\d+)?)\s*(?:(?P<pre>来|多|余)(?=\s*(?:万亿|亿|万|千)))?\s*(?P<scale>万亿|亿|万|千|billion|million)?\s*"
    r"(?:(?P<more>多|余)|(?P<about>来)(?=\s*(?:亿元|万元|元|块钱|家|个|户|人|名|项|位)))?\s*(?P<unit>%|％|成|亿元|万元|元|块钱|家|个|户|人|名|项|位|所|yuan|percent)?(?P<more2>多|余|出头)?"
    r"(?!\s*(?:年|月|日|号|季|个月|个季度|天|周|倍|名次|\d|[.]\d))",
    re.IGNORECASE,
)
_ASKS = lazy_re.compile(r"多少|几|啥|什么|哪|谁|怎|如何|\b(?:how|what|which|who)\b", re.IGNORECASE)
_ROUGHLY = lazy_re.compile(
    r"左右|上下|大约|大概|约|差不多|将近|接近|about|around|roughly|approximately", re.I
)


def settle(assistant: Assistant, text: str, said: Reply, session: Session, now: float, result: RouteResult) -> Reply:  # fmt: skip
    """The router's answer or choice ``said`` for ``text``, remembered in ``session``: an answer opened
    with the check of a value stated (:func:`checked`); a choice among figures of several kinds settled
    by the kind of the value (「重点项目是300个吗」: the count), else kept to check the option picked. A
    fallback on a measure a related fact holds is answered from it (:mod:`.sibling`), one on a check's
    own words (没错吧) without them, one on pinyin with English question words as pinyin, one on 人民币 with
    元; a rate no fact gives (:mod:`.missing`) and a plan asked as done (:mod:`.missing`) are said to be
    missing. The modules are imported only for a text that may need them."""
    if said.status == "fallback":
        from jinshui_qa.conversation import sibling

        lang = said.lang
        other = sibling.reply(assistant, text, result, session, now, said.question, lang)
        from jinshui_qa.conversation.asked_units import in_currency, in_yuan  # 人民币: 元; USD: 美元
        from jinshui_qa.conversation.pinyin_said import asked_in_chinese, mixed  # "Jinshui gao qi how many"
        from jinshui_qa.conversation.shares_said import followup  # "is it 0.2 of the city?" after an answer

        for again in (untailed, mixed, in_yuan, in_currency, followup, asked_in_chinese):
            other = other or again(assistant, text, said, session, now)
        if other is not None:
            return other
        vague = said.reason.startswith(("not_covered", "low_confidence", "no_match", "mentioned"))
        if not (
            vague and session.context and ("率" in text or "rate" in text.lower()) and _rate(assistant, text)
        ):
            return assistant._remember(session, now, said, result)
        said = replace(
            said, fact_id=session.context.fact_id
        )  # 「开工率呢」: the rate of the thing talked about
    if ("率" in text or "rate" in text.lower()) and (
        rate := _rate(assistant, text)
    ):  # 「重点项目开工率多少」
        from jinshui_qa.conversation.replies import fallback_text

        about = assistant.base.get(said.fact_id or (said.options[0].fact_id if said.options else ""))
        why = f"not_covered:{rate}"
        out = replace(said, status="fallback", text=fallback_text(assistant.base, why, said.lang, about), reason=why,
                      fact_id=None, options=(), related=(), source=None, period=None, score=0.0)  # fmt: skip
        return assistant._remember(session, now, out)

    if (undone := _undone(assistant.base, text, said)) is not None:  # 「年度计划完成了吗」: not said
        return assistant._remember(session, now, undone)
    if said.status != "clarify":
        return assistant._remember(session, now, checked(assistant.base, text, said), result)
    options = tuple(o.fact_id for o in said.options)
    statement = not _ASKS.search(text)  # 「重点项目有300个」 (a premise): its kind picks the option too
    if (statement or stated(text, said.lang)) and (one := option_stated(assistant.base, text, options)):
        said = assistant.answer_fact(one, session, now, question=said.question, lang=said.lang)
        return checked(assistant.base, text, said)
    said = assistant._remember(session, now, said, result)
    if stated(text, said.lang):  # 「1」 then checks the option picked
        session.pending_ask = text
    return said


_DONE_WORDS = ("完成", "完工", "竣工", "建成", "落实", "兑现", "做到", "实现", "达成", "开工", "动工", "投产", "达效",
               "complet", "achiev", "done", "finish", "met", "reach", "fulfil", "start", "begun")  # fmt: skip  # a question of completion holds one (:mod:`.missing`)
_TAIL = lazy_re.compile(
    r"[，,\s]*(?:没错吧|没错吗|没错|对吧|对吗|对么|对不对|是吧|是吗|是不是真的|是真的吗|真的吗|准确吗|正确吗|属实吗|不是吗)[?？。!！]*$"
)


def untailed(assistant: Assistant, text: str, said: Reply, session: Session, now: float) -> Reply | None:
    """A fallback on the words of a check (「重点项目有233个没错吧」: not_covered:没错) answered without them,
    then checked; ``None`` when ``text`` has no such ending or is not answered without it."""
    if said.status != "fallback" or not said.reason.startswith(("not_covered:", "mentioned:", "no_match")):
        return None
    bare = _TAIL.sub("", to_simplified(text))
    if bare == to_simplified(text) or not bare:
        return None
    from dataclasses import replace as copy

    again = assistant.reply_one(bare, scratch := copy(session), now)
    if again.status != "answer":
        return None
    session.adopt(scratch)
    return checked(assistant.base, text, copy(again, question=said.question))


def reread(base: FactBase, text: str, said: Reply) -> Reply:
    """An answer chosen for ``text`` (already remembered) read as :func:`settle` reads the router's: a
    plan asked as done said to be a plan, a value stated checked."""
    return _undone(base, text, said) or checked(base, text, said)


def _rate(assistant: Assistant, text: str) -> str:
    from jinshui_qa.conversation.missing import unknown

    return unknown(assistant.base, text)


def _undone(base: FactBase, text: str, said: Reply) -> Reply | None:
    low = text.lower()
    if said.status != "answer" or not any(word in low for word in _DONE_WORDS):
        return None
    from jinshui_qa.conversation.missing import planned_only

    return planned_only(base, text, said)


def checked(base: FactBase, text: str, reply: Reply) -> Reply:
    """``reply`` (an answer) opened with whether the value ``text`` states is the report's, when ``text``
    states one and asks to confirm it; else ``reply`` unchanged."""
    fact = base.get(reply.fact_id) if reply.fact_id else None
    if fact is None:
        return reply
    from jinshui_qa.conversation import asked_units, shares_said

    if note := asked_units.opening(fact, text, reply.lang):  # 多少美元: yuan only; 1e400: beyond any figure
        return replace(reply, text=f"{note}\n{reply.text}")
    text, read = shares_said.as_percent(text, reply.lang)  # 五分之一, 1/5, a fifth: 20%
    found = stated(text, reply.lang)
    if found is None:
        return reply
    m, said = found
    roughly = bool(m["about"] or m["pre"] == "来" or _ROUGHLY.search(said))  # 七百来家, 3000来亿: about
    share = (
        asked_units.as_share(m["n"], m["unit"] or "", m["scale"] or "", said)
        if "百分之" not in m[0]
        else None
    )
    line = _verdict(fact, m, roughly, "百分之" in m[0] or share is not None, reply.lang, share)
    if line and share is not None:  # 占全市0.2吗: said how 0.2 was read
        line += asked_units.share_note(m["n"], share, reply.lang)
    line += read if line else ""  # 五分之一: said how it was read
    return replace(reply, text=f"{line}\n{reply.text}") if line else reply


def stated(text: str, lang: Lang) -> tuple[re.Match[str], str] | None:
    """The one value ``text`` states and asks to confirm, with the text as read; ``None`` when it states
    none, several, or a bound (超过300个: a threshold)."""
    if not any(ch in _NUMERALS for ch in text):
        return None
    said = arabic_numerals(to_simplified(unicodedata.normalize("NFKC", text[:200])))
    zh = lang == "zh" or any("\u3400" <= ch <= "\u9fff" for ch in said)  # English asked for (用英文回答)
    if not (_ZH_CHECK if zh else _EN_CHECK).search(said) or _BOUND.search(said):
        return None
    values = [m for m in _VALUE.finditer(said.replace(",", "") if not zh else said)]
    values = [m for m in values if m["unit"] or m["scale"] or not re.fullmatch(r"19\d\d|20[0-4]\d", m["n"])]
    return (values[0], said) if len(values) == 1 else None


def option_stated(base: FactBase, text: str, options: tuple[str, ...]) -> str | None:
    """The one option (a fact id) holding a figure of the kind of the value ``text`` states with its
    unit (「重点项目是300个吗」: the count, not the amounts), or ``None``."""
    if not any(ch in _NUMERALS for ch in text):
        return None
    said = arabic_numerals(to_simplified(unicodedata.normalize("NFKC", text[:200])))
    values = [
        m for m in _VALUE.finditer(said) if m["unit"] or (m["scale"] or "").lower() in ("亿", "billion")
    ]
    if len(values) != 1:
        return None
    kind = _kind(values[0], "百分之" in values[0][0])
    from jinshui_qa.conversation import render

    fitting = [
        o
        for o in options
        if (f := base.get(o)) is not None and _of_kind(render.candidates(f, kind, ""), kind)
    ]
    return fitting[0] if len(fitting) == 1 else None


def _kind(m: re.Match[str], percent: bool) -> str:
    unit = (m["unit"] or "").lower()
    if percent or unit in ("%", "％", "percent", "成"):
        return "share"
    if "元" in unit or unit in ("yuan", "块钱") or (m["scale"] or "").lower() in ("亿", "billion"):
        return "money"
    return "count" if unit else ""


def _of_kind(found: list[ar.Quantity], kind: str) -> list[ar.Quantity]:
    found = [q for q in found if q.kind not in ("rank", "day") and (q.kind == "share") == (kind == "share")]
    return (
        [q for q in found if (q.kind == "money") == (kind == "money")]
        if kind in ("money", "count")
        else found
    )


def _verdict(fact: Fact, m: re.Match[str], roughly: bool, percent: bool, lang: Lang, share: Decimal | None = None) -> str:  # fmt: skip
    from jinshui_qa.conversation import asked_units, render

    unit = (m["unit"] or "").lower()
    kind = _kind(m, percent)
    found = _of_kind(render.candidates(fact, kind, ""), kind)
    if not found:
        return ""
    number = share if share is not None else _dec(m["n"]) * (10 if unit == "成" else 1)  # 两成 is 20%
    scaled = (
        number
        * SCALES.get((m["scale"] or "").lower(), _dec(1))
        * (SCALES[unit[0]] if unit in ("亿元", "万元") else 1)
    )
    is_scaled = bool(m["scale"]) or unit in (
        "亿元",
        "万元",
        "元",
        "块钱",
        "yuan",
    )  # 「3830元」: yuan, not 亿元
    matching = [q for q in found if q.value == (scaled if is_scaled else number * q.scale)]
    q = matching[0] if matching else found[0]
    if clash := asked_units.measure_clash(q, m, lang):  # 「高企有723人吗」: the report counts 家
        return clash
    value = scaled if is_scaled else number * q.scale
    more = bool(m["more"] or m["more2"] or m["pre"] in ("多", "余"))  # 3000多亿
    step = _dec(10) ** (len(m["n"]) - len(m["n"].rstrip("0"))) if "." not in m["n"] else _dec(1)
    if more:
        ok = value <= q.value < value + step * q.scale if not is_scaled else value <= q.value < value * 2
    else:
        ok = q.value == value
    close = (not ok and roughly and abs(q.value - value) <= abs(value) / 10) or (
        ok and q.approximate and not more
    )
    return _said(q, m[0].strip(), "close" if close else ("yes" if ok else "no"), lang)


def _said(q: ar.Quantity, stated: str, verdict: str, lang: Lang) -> str:
    from jinshui_qa.conversation import arithmetic as ar
    from jinshui_qa.conversation.compare_texts import en_amount

    if lang == "zh":
        reported = f"占{q.frame}{ar.plain(q.number)}%" if q.kind == "share" else q.shown()
        if q.approximate:  # 1300余人, 突破200亿: the report's own words
            reported = (
                q.approximate if re.search(r"\d", q.approximate) else f"{reported}（原文：{q.approximate}）"
            )
        return {"yes": f"对，报道说的就是{reported}。", "close": f"差不多：报道说的是{reported}。",
                "no": f"不对，报道说的是{reported}，不是{stated}。"}[verdict]  # fmt: skip
    reported = en_amount(q.value, q.base) if q.kind != "share" else f"{ar.plain(q.number)}%"
    reported += f" (the report says “{q.approximate}”)" if q.approximate else ""
    return {"yes": f"Yes: the report gives {reported}.", "close": f"Roughly: the report gives {reported}.",
            "no": f"No: the report gives {reported}, not {stated}."}[verdict]  # fmt: skip


def _dec(value: str | int) -> Decimal:
    """A decimal (the module ``decimal`` is imported on first use: not at every message's first read)."""
    from decimal import Decimal

    return Decimal(value)
