"""Totals asked at another scope (郑州全市, 全省) than the report's figures (金水区).

The report gives Jinshui's own counts and, for some, Jinshui's share of the city (2058家, 占全市20%);
it never gives the city's totals. A question for a city total is therefore never answered with a sum
of Jinshui figures. :func:`scope_text` says so, with, for each fact whose share of that whole the
report states, an estimate labelled as one with its computation: count ÷ share
(「723家 ÷ 17.5% ≈ 4131家」, rounded half-up to a whole number), never presented as reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jinshui_qa.conversation import arithmetic as ar
from jinshui_qa.conversation import render
from jinshui_qa.facts.schema import Fact, FactBase, Lang
from jinshui_qa.text import lazy_re

ASKS = lazy_re.compile(
    r"估算|估计|推算|倒推|算一下|算算|算出|大概|大约|约有|\bestimate|\broughly\b|\bapproximately\b", re.I
)
_SCOPE_ZH = {"全市": "郑州全市", "全省": "河南全省", "全国": "全国"}
_SCOPE_EN = {"全市": "Zhengzhou", "全省": "Henan", "全国": "China"}


@dataclass(frozen=True)
class Estimate:
    """A whole estimated from a part and its share: ``count`` ÷ ``share`` ≈ ``result`` (in count's unit)."""

    count: ar.Quantity
    share: ar.Quantity
    result: Decimal
    exact: bool

    def expression(self) -> str:
        mark = "=" if self.exact else "≈"
        return f"{self.count.shown()} ÷ {ar.plain(self.share.number)}% {mark} {ar.plain(self.result)}{self.count.unit}"


def estimate(fact: Fact, frame: str) -> Estimate | None:
    """The whole of ``frame`` (全市) estimated from the fact's count and its share of that whole."""
    for figure in fact.figures:
        count, share = ar.quantity(figure), ar.share_quantity(figure)
        if count is None or share is None or share.frame != frame or share.number == 0:
            continue
        if count.kind not in ("organisations", "items", "people"):
            continue
        exact_value = count.number / (share.number / 100)
        result = exact_value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return Estimate(count, share, result, result == exact_value)
    return None


def scope_text(base: FactBase, facts: list[Fact], frame: str, lang: Lang) -> str:
    """Why a total at ``frame`` is not given, each fact's own figure, and any labelled estimate."""
    where = _SCOPE_ZH.get(frame, frame) if lang == "zh" else _SCOPE_EN.get(frame, frame)
    lines = [
        f"报道没有给出{where}的总数，只给出了金水区自己的数字，不能把金水区的数字相加当作{where}的总数。"
        if lang == "zh"
        else f"The report gives no total for {where} as a whole, only Jinshui's own figures, and those do not "
        f"add up to {where}'s total."
    ]
    for fact in facts:
        found = render.candidates(fact, "count", "")
        lines.append(
            render.line(
                render.name(fact, found[0] if found else None, lang), found[0] if found else None, fact, lang
            )
        )
        guess = estimate(fact, frame)
        if guess is None:
            continue
        label = render.name(fact, guess.count, lang)
        lines.append(
            f"按金水区所占比重估算（估算值，不是报道给出的数字）：{where}{label}约 {guess.expression()}。"
            if lang == "zh"
            else f"Estimate from Jinshui's share (an estimate, not a figure the report gives): {label} in {where} "
            f"≈ {ar.plain(guess.count.number)} ÷ {ar.plain(guess.share.number)}% ≈ {ar.plain(guess.result)}."
        )
    return "\n".join([*lines, "", render.sources(base, facts, lang)])


def subject_with_share(base: FactBase, text: str, frame: str) -> Fact | None:
    """The fact the prepared ``text`` names by its subject that states a share of ``frame``."""
    named = [
        f for f in base.facts
        if f.subject and (f.subject.zh in text or f.subject.en.lower() in text) and estimate(f, frame)
    ]  # fmt: skip
    return max(named, key=lambda f: len(f.subject.zh if f.subject else ""), default=None)
