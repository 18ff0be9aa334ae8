"""Numbers the user writes in a comparison: a figure of the report named by its value, or a threshold.

「1~3月新增的108576户是4.7万的几倍」 names two facts by their figures (108576户, 4.7万家), so each
operand is the fact that states that value (one fact only; years, months and days are not figures).
「新签约项目计划投资超过200亿了吗」 compares a figure with a bare number: :func:`threshold` answers yes
or no from the figure, reading the report's bound words (突破200亿, 5000多家: more than the number),
and says when the report's wording cannot settle it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from jinshui_qa.conversation import arithmetic as ar
from jinshui_qa.facts.schema import Fact, FactBase
from jinshui_qa.text import lazy_re
from jinshui_qa.text.numerals import SCALES, arabic_numerals

_NUMBER = lazy_re.compile(
    r"(?<![\d.~\-－～])(\d+(?:\.\d+)?)\s*(万亿|亿|万|千|billion|million)?(?![\d.]|\s*[年月日季~\-－～])", re.I
)
_BARE = lazy_re.compile(
    r"\s*(?:约|大约|了)?\s*(\d+(?:\.\d+)?)\s*(万亿|亿|万|千|billion|million)?\s*(?:(元|块钱|yuan)|家|个|户|人|项|名)?\s*(?:了)?(?:吗|么|没有|没|呢|吧)?[?？]?\s*",
    re.I,
)
_ABOVE = lazy_re.compile(r"突破|超过|逾|多|余|以上")


def values_in(text: str) -> list[tuple[Decimal, bool]]:
    """The numbers written in ``text`` with their scale words (4.7万 -> 47000), and whether a scale
    word was written; years, months, days and ranges (1~3月) are left out."""
    found = []
    for m in _NUMBER.finditer(text):
        scale = SCALES.get((m.group(2) or "").lower(), Decimal(1))
        found.append((Decimal(m.group(1)) * scale, bool(m.group(2))))
    return found


def fact_stating(base: FactBase, text: str) -> Fact | None:
    """The one fact with a figure of a value written in ``text``, or ``None`` (none, or several)."""
    values = {v for v, _ in values_in(text)}
    if not values:
        return None
    stating = []
    for fact in base.facts:
        for figure in fact.figures:
            q = ar.quantity(figure)
            if q is not None and q.kind not in ("rank", "day") and q.value in values:
                stating.append(fact)
                break
    return stating[0] if len(stating) == 1 else None


def bare_number(text: str, *, years: bool = False) -> tuple[Decimal, bool] | None:
    """The value of an operand that is only a number (「200亿」, "20 billion yuan") and whether it is a value
    (said with a scale word or in 元: not in the figure's unit), or ``None``; a year
    alone (「2021」) is ``None`` too unless ``years`` (the other side of 超过 names a thing, not a year)."""
    m = _BARE.fullmatch(text) or _BARE.fullmatch(arabic_numerals(text))  # 「两百亿」 is 200亿
    if m is None or (
        not years
        and re.fullmatch(r"(?:19|20)\d\d", m.group(1))
        and not m.group(2)
        and m.group(0).strip() == m.group(1)
    ):
        return None  # 「2021」 alone is a year
    scale = SCALES.get((m.group(2) or "").lower(), Decimal(1))
    return Decimal(m.group(1)) * scale, bool(m.group(2) or m.group(3))  # 「4000元」 is yuan, not 4000亿元


@dataclass(frozen=True)
class Threshold:
    """A figure against a number the user gave: ``verdict`` is ``yes``, ``no``, ``equal`` or ``unknown``."""

    figure: ar.Quantity
    number: Decimal
    verdict: str


def threshold(figure: ar.Quantity, number: Decimal, scaled: bool, below: bool = False) -> Threshold:
    """Whether ``figure`` is above ``number`` (``below``: under it). A number written without a scale
    word is read in the figure's unit (「超过200了吗」 of 200亿元 is 200亿元)."""
    value = number if scaled else number * figure.scale
    above_said = bool(figure.approximate and _ABOVE.search(figure.approximate))
    if figure.value > value or (figure.value == value and above_said):
        verdict = "no" if below else "yes"
    elif figure.value == value:
        verdict = "equal"
    elif above_said:
        verdict = "unknown"
    else:
        verdict = "yes" if below else "no"
    return Threshold(figure, value, verdict)
