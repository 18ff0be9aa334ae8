"""A rate the report never gives: 「重点项目开工率多少」, 「孵化器入驻率」, "the occupancy rate of incubators".

A rate (开工率, 入驻率, 出租率, 就业率, "start rate") is a ratio of two things; the router reads the
question by its other words and offers the subject's figures (重点项目 233个 / 3830亿元 / 521亿元), none of
which is the rate. When the rate's word occurs in no fact of the base, the reply says so with what is
known of the subject (「报道里没有关于“开工率”的信息。我知道的是：…」) instead of a choice of unrelated
figures. Shares (比率, 占比) and 效率 (how well, not a ratio) are not rates here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import to_simplified

if TYPE_CHECKING:
    from jinshui_qa.facts.schema import FactBase

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
