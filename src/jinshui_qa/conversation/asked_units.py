"""How a value or a unit the user names is read before it is checked (:mod:`.verify`).

* A bare number asked against a share (「科技型企业占全市0.2吗」, 「占全市20吗」, "is it 0.2 of the city"):
  a number with no unit, said where a share is asked (占, 比重, 比例, 份额, share, proportion, of the city), is
  a share: a decimal up to 1 a fraction (0.2 is 20%), any other number percentage points (20 is 20%). The
  verdict then says how the number was read (「（0.2按20%理解）」, "(reading 0.2 as 20%)"), since the user
  may have meant another thing.
* A currency other than the yuan (美元, 欧元, USD, dollars): the report gives its amounts in yuan only, and
  the bot converts with no invented rate; an answer with an amount then opens by saying so, and a value
  stated in that currency is not checked against the yuan figure.
* The yuan named as such (人民币, RMB): the report's own currency, read as 元 (:func:`in_yuan`), not as a
  thing no fact holds; another currency by a name the router does not know (USD, 港币) is read by its
  Chinese name (:func:`in_currency`: 美元, 港元), so it too is answered with the note, never as a thing.
* A count stated with a measure word of another kind than the figure's (「高企有723人吗」, "723 people":
  the report counts 家): no verdict on the number; the figure is said with its own unit and that the report
  counts 家, not 人 (:func:`measure_clash`). 个 fits any count but people's; 家/户/所 are one kind.
* A number stated beyond any figure's range (1e400, 10^30, sixteen digits or more): said so
  (:func:`beyond_range`) with the plain answer, never silently dropped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from jinshui_qa.text import lazy_re

if TYPE_CHECKING:
    from decimal import Decimal

    from jinshui_qa.conversation.arithmetic import Quantity
    from jinshui_qa.conversation.assistant import Assistant, Reply, Session
    from jinshui_qa.facts.schema import Fact, Lang

SHARE = lazy_re.compile(
    r"占(?!地|用|领|据)|比重|比例|份额|全[市省]的|\bshare\b|\bproportion\b|\bfraction\b|\bpercentage\b|"
    r"\bof (?:the )?(?:whole |entire )?(?:city|zhengzhou|province|henan|total|district)\b",
    re.IGNORECASE,
)
# (name in Chinese, name in English) of each currency: the first pattern that matches names it; read with
# re.ASCII, so that a code typed against a Chinese character (多少USD) still stands at a word's edge.
_CURRENCIES: tuple[tuple[str, str, str], ...] = (
    (
        r"美元|美金|\bUSD\b|US\$|\$|(?<!hong kong )(?<!hk )\bdollars?\b|(?:(?<=[0-9一二两三四五六七八九十百千万亿])|"
        r"(?<=多少)|(?<=几))\s*刀(?!切|子|片|具|口|法|工|刃)",
        "美元",
        "US dollars",
    ),  # 多少刀, 5亿刀: dollars, said so
    (r"欧元|\bEUR\b|\beuros?\b|€", "欧元", "euros"),
    (r"英镑|\bGBP\b|\bpounds? sterling\b|£", "英镑", "pounds"),
    (r"日元|\bJPY\b|\byen\b", "日元", "yen"),
    (r"港币|港元|\bHKD\b|\bhong ?kong dollars?\b|\bhk dollars?\b", "港元", "Hong Kong dollars"),
)
_ANY_CURRENCY = lazy_re.compile("|".join(f"(?:{p})" for p, _, _ in _CURRENCIES), re.IGNORECASE | re.ASCII)


def as_share(number: str, unit: str, scale: str, said: str) -> Decimal | None:
    """The percentage a unitless ``number`` stands for where ``said`` asks about a share (0.2 -> 20,
    20 -> 20), or ``None`` when it has a unit or scale, or no share is asked, or it cannot be one."""
    if unit or scale or not SHARE.search(said):
        return None
    from decimal import Decimal  # not imported for a plain question

    value = Decimal(number)
    if "." in number and value <= 1:
        return value * 100
    return value if value <= 100 else None


def share_note(number: str, percent: Decimal, lang: Lang) -> str:
    """How a bare number was read as a share, to follow the verdict."""
    shown = f"{percent.normalize():f}%"
    return f"（{number}按{shown}理解）" if lang == "zh" else f" (reading {number} as {shown})"


_HUGE = lazy_re.compile(
    r"(?<![0-9a-z.])(\d+(?:\.\d+)?(?:e[+-]?\d+|\s*[x×*]\s*10\s*\^\s*[+-]?\d+)|10\s*\^\s*[+-]?\d+|\d{16,}(?:\.\d+)?)(?![0-9a-z.])",
    re.IGNORECASE,
)


def beyond_range(text: str, lang: Lang) -> str:
    """The line saying a number ``text`` states (1e400, 10^30, twenty digits) is beyond any figure that could
    be compared with the report's, said rather than dropped; '' when it states none."""
    for m in _HUGE.finditer(text):
        from decimal import Decimal  # only for a number said so: a plain question imports no decimal

        written = m.group(1)
        compact = re.sub(r"\s", "", written).replace("×", "*").replace("x", "*").replace("X", "*")
        head, _, power = compact.partition("^")  # 2.5*10^30, 10^30; 1e400 is read by Decimal itself
        base = (head[:-2].rstrip("*") or "1") if power else head
        try:
            value = Decimal(base) * Decimal(10) ** int(power or 0)
        except (ArithmeticError, ValueError):  # Decimal's Overflow and InvalidOperation: beyond any range
            value = Decimal("Infinity")
        if not value.is_finite() or value >= Decimal("1e15"):
            if lang == "zh":
                return f"{written} 超出了能比较的范围，我没有拿它和报道的数字比较。"
            return f"{written} is beyond the range I can compare, so I did not check it against the report."
    return ""


def currency(text: str) -> tuple[str, str] | None:
    """The foreign currency ``text`` names (Chinese and English names), or ``None``."""
    if _ANY_CURRENCY.search(text) is None:
        return None
    for pattern, zh, en in _CURRENCIES:
        if re.search(pattern, text, re.IGNORECASE | re.ASCII):
            return zh, en
    return None


def opening(fact: Fact, text: str, lang: Lang) -> str:
    """The line an answer opens with instead of a verdict: another currency asked (:func:`currency_note`)
    or a number stated beyond any figure (:func:`beyond_range`); else ''."""
    return currency_note(fact, text, lang) or beyond_range(text, lang)


def currency_note(fact: Fact, text: str, lang: Lang) -> str:
    """The line saying the report gives ``fact``'s amounts in yuan only, when ``text`` asks for another
    currency and ``fact`` has an amount of money; else ''."""
    named = currency(text)
    if named is None:
        return ""
    from jinshui_qa.conversation import render

    if not any(q.kind == "money" for q in render.candidates(fact, "money", "")):
        return ""
    if lang == "zh":
        return f"报道里的金额以人民币（元）计，没有{named[0]}的数字；我不做汇率换算。"
    return f"The report gives this amount in yuan (RMB) only, not in {named[1]}; I don't convert it."


_YUAN = lazy_re.compile(r"人民币|(?<![a-z])(?:RMB|CNY|renminbi)(?![a-z])", re.IGNORECASE)
_SCALED_YUAN = lazy_re.compile(r"(?<=[万亿千百])\s*(?:人民币|RMB|CNY)", re.IGNORECASE)


def in_yuan(assistant: Assistant, text: str, said: Reply, session: Session, now: float) -> Reply | None:
    """A fallback ``said`` on the yuan named as such (「3830亿人民币」, "in RMB": the report's own currency,
    which no fact's text names) answered with 元 in its place (the value, if stated, checked so);
    ``None`` when ``text`` names no yuan or still falls back without it."""
    if _YUAN.search(text) is None:
        return None
    plain = _YUAN.sub("", _SCALED_YUAN.sub("元", text)).strip()
    from dataclasses import replace

    again = assistant.reply_one(plain, scratch := replace(session), now) if plain else said
    if again.status != "answer":
        return None
    session.adopt(scratch)
    return replace(again, question=said.question)


# The kinds of measure words a count is stated in: people, organisations, items; 个 fits any but people.
_MEASURES = {"人": "people", "名": "people", "位": "people", "家": "firms", "户": "firms", "所": "firms",
             "项": "items", "个": ""}  # fmt: skip
_EN_MEASURE = lazy_re.compile(
    r"\s+(?:[a-z-]+\s+)?(?:(?P<people>people|persons|employees|workers|staff|individuals|residents)|"
    r"(?P<firms>companies|enterprises|firms|businesses|institutions|institutes))\b",
    re.IGNORECASE,
)


def measure_clash(q: Quantity, m: re.Match[str], lang: Lang) -> str:
    """The line saying the report counts ``q`` in another kind of measure word than the count ``m`` states
    (「723人」 against 723家, "723 people"), giving the figure in its own unit; '' when they are of a kind."""
    stated = m["unit"] or ""
    if stated == "个" and m.string[m.end("unit") :].lstrip().startswith("人"):
        stated = "人"  # 12个人: people
    said = _MEASURES.get(stated)
    if said is None and not stated and (en := _EN_MEASURE.match(m.string, m.end("n"))):
        said = "people" if en["people"] else "firms"
        stated = en["people"] or en["firms"]
    own = _MEASURES.get(q.base)
    if (
        q.kind not in ("organisations", "items", "people")
        or said is None
        or own is None
        or said == own
        or ("people" not in (said, own) and "" in (said, own))
    ):
        return ""
    from jinshui_qa.conversation.arithmetic import kind_name, plain

    if lang == "zh":
        shown = q.approximate if re.search(r"\d", q.approximate) else q.shown()  # 1300余人: its own words
        return f"报道说的是{shown}：报道数的是{q.base}，不是{stated}。"
    return (
        f"The report gives {plain(q.number)}, {kind_name(q.kind, 'en')} ({q.base}), not of {stated.lower()}."
    )


def in_currency(assistant: Assistant, text: str, said: Reply, session: Session, now: float) -> Reply | None:
    """A fallback ``said`` on a foreign currency by a name no fact's text holds (「多少USD」, 「多少港币」)
    asked again with each currency named in Chinese (美元, 港元), whose answer opens with the note and
    checks no value stated in it; ``None`` when ``text`` names none or it still falls back so."""
    if _ANY_CURRENCY.search(text) is None:
        return None
    named = _ANY_CURRENCY.sub(lambda m: f" {(currency(m.group()) or ('',))[0]} ", text)
    named = re.sub(r"\s+(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])\s+", "", named).strip()
    if named == text:
        return None
    from dataclasses import replace

    again = assistant.reply_one(named, scratch := replace(session), now)
    fact = assistant.base.get(again.fact_id) if again.fact_id else None
    if again.status != "answer" or fact is None or not currency_note(fact, named, again.lang):
        return None  # 「高企有多少港币」: no amount to give in yuan
    session.adopt(scratch)
    return replace(again, question=said.question)
