"""Averages: 「重点项目平均每个投资多少」 = the subject's total ÷ its count, with the computation shown.

An average is computed only when the fact base holds both inputs for the same subject (the facts
whose ``subject`` the message names): an amount (money, or people when the question asks 多少人) and a
count of what it is spread over (家, 个, 项). 「3830亿元 ÷ 233个 ≈ 16.44亿元」: the result is shown in
the largest of 亿元, 万元, 元 in which it is at least 1, rounded half-up to two decimals (``≈`` when the
rounding changed it), marked as computed by the assistant, and said to be approximate ("约") when an
input is one in the report (5000多家, 突破200亿). When the subject lacks one of the two the reply
says which, and computes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jinshui_qa.conversation import arithmetic as ar
from jinshui_qa.conversation.compare_texts import en_amount
from jinshui_qa.facts.schema import Fact, FactBase, Lang
from jinshui_qa.text import lazy_re

ASKS = lazy_re.compile(
    r"平均(?:每|一)?|人均|户均|家均|\baverage\b|\bon average\b|\bper (?:project|firm|company|enterprise|business|entity)\b",
    re.IGNORECASE,
)
_ANNUAL = lazy_re.compile(r"年度|今年|当年|annual|this year|planned", re.IGNORECASE)
_PEOPLE = lazy_re.compile(r"多少人|几个人|人数|how many people", re.IGNORECASE)
_THRESHOLD = lazy_re.compile(r"门槛|以上）|规模")
_COUNTS = ("organisations", "items")
_DISPLAY = (("亿元", Decimal(10) ** 8), ("万元", Decimal(10) ** 4), ("元", Decimal(1)))
PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Average:
    """``amount`` ÷ ``count``: the result in ``unit`` (e.g. 16.44 亿元), rounded; the shown computation."""

    subject: Fact
    amount: ar.Quantity
    count: ar.Quantity
    amount_fact: Fact
    count_fact: Fact
    result: Decimal
    unit: str
    exact: bool

    @property
    def approximate(self) -> str:
        return self.amount.approximate or self.count.approximate

    def expression(self, lang: Lang) -> str:
        if lang == "zh":
            mark = "=" if self.exact and not self.approximate else "≈"
            return f"{self.amount.shown()} ÷ {self.count.shown()} {mark} {ar.plain(self.result)}{self.unit}"
        base = self.amount.base
        shown, exact = _en_result(self.amount.value / self.count.value, base)
        total = en_amount(self.amount.value, base)
        mark = "=" if exact and not self.approximate else "≈"
        return f"{total} ÷ {en_amount(self.count.value, self.count.base)} {mark} {shown}"


def asks(text: str) -> bool:
    """Whether the (prepared) message asks for an average."""
    return bool(ASKS.search(text))


def subject_facts(base: FactBase, text: str) -> list[Fact]:
    """The facts of the longest subject the prepared ``text`` names (both languages), or ``[]``."""
    named: dict[str, list[Fact]] = {}
    for fact in base.facts:
        if fact.subject is None:
            continue
        en = fact.subject.en.lower()
        for said in (fact.subject.zh, en[:-1] if en.endswith("s") else en):  # "per key project"
            if said and said in text:
                named.setdefault(said, []).append(fact)
    if not named:
        return []
    return named[max(named, key=len)]


def average(facts: list[Fact], text: str) -> Average | str:
    """The average the message asks over ``facts`` (one subject), or what is missing: ``"amount"`` or
    ``"count"``."""
    amounts: list[tuple[ar.Quantity, Fact]] = []
    counts: list[tuple[ar.Quantity, Fact]] = []
    people = bool(_PEOPLE.search(text))
    for fact in facts:
        for figure in fact.figures:
            q = ar.quantity(figure)
            if q is None or _THRESHOLD.search(figure.counts):
                continue
            if q.kind == ("people" if people else "money"):
                amounts.append((q, fact))
            elif q.kind in _COUNTS:
                counts.append((q, fact))
    if not amounts:
        return "amount"
    if not counts:
        return "count"
    asked = ASKS.search(text)
    annual = bool(
        _ANNUAL.search(text[asked.end() :] if asked and text[asked.end() :].strip(" ?？") else text)
    )
    amount, amount_fact = min(amounts, key=lambda pair: (annual != bool(_ANNUAL.search(pair[0].counts)),))
    count, count_fact = counts[0]
    value = amount.value / count.value
    unit, scale = next(((u, s) for u, s in _DISPLAY if value >= s), _DISPLAY[-1])
    if amount.base != "元":
        unit, scale = amount.base, Decimal(1)
    exact_value = value / scale
    result = exact_value.quantize(PLACES, rounding=ROUND_HALF_UP)
    return Average(facts[0], amount, count, amount_fact, count_fact, result, unit, result == exact_value)


def _en_result(value: Decimal, base: str) -> tuple[str, bool]:
    """The average in English words of scale, rounded to two decimals in that scale; exact or not."""
    size, word = Decimal(1), ""
    if base == "元":
        size, word = next(((s, w) for s, w in _EN_SCALES if value >= s), (Decimal(1), ""))
        word += " yuan"
    rounded = (value / size).quantize(PLACES, rounding=ROUND_HALF_UP)
    return f"{ar.plain(rounded)}{word}", rounded == value / size


_EN_SCALES = ((Decimal(10) ** 9, " billion"), (Decimal(10) ** 6, " million"))
