"""Does a fact's answer state each of its figures? The rule ``jinshui-qa check`` applies to ``figures``.

A figure (``{value: 723, unit: 家, counts: 高新技术企业}``) is what the bot computes and compares with, so
it must be the number the answer tells the user; an edit that changes one and not the other (723 -> 732 in
the figure, 723 still in the answer) is a problem reported at the figure's ``value`` line.

The numbers of an answer are read the way people write them in the report and its translation: Arabic
digits with or without thousands separators (``2,058``), Chinese numerals (``两千零五十八``, via
:func:`~jinshui_qa.text.numerals.arabic_numerals`), a scale after the number (``28.4万``, ``3830亿``,
``20 billion``, ``10 million``, ``192 thousand``), a bare scale word (``千亿级`` = 1000亿), ordinals and
small counts in words (``第八``, ``second``, ``three``). Each is turned into an absolute amount, and so is
the figure (its ``unit``'s leading 万 or 亿 multiplies the value: 28.4 万家 = 284,000); a figure appears
when its amount equals one of the answer's (so ``100 billion`` does not state 100 亿元, and a figure
changed in its scale only is caught too).
Pure: no I/O.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from jinshui_qa.facts.schema import Bilingual, Figure
from jinshui_qa.text import lazy_re
from jinshui_qa.text.numerals import arabic_numerals

SCALES = {"万": 1e4, "亿": 1e8, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_NUMBER = lazy_re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万亿|万|亿|thousand|million|billion|trillion)?", re.IGNORECASE
)
_BARE_SCALE = lazy_re.compile(r"(?<![\d零〇一二两三四五六七八九])([十百千])(万|亿)")
_WORDS = {
    word: number
    for number, words in enumerate(
        [
            ("zero",),
            ("one", "first", "once"),
            ("two", "second", "twice"),
            ("three", "third"),
            ("four", "fourth"),
            ("five", "fifth"),
            ("six", "sixth"),
            ("seven", "seventh"),
            ("eight", "eighth"),
            ("nine", "ninth"),
            ("ten", "tenth"),
            ("eleven", "eleventh"),
            ("twelve", "twelfth"),
        ]
    )
    for word in words
}
_WORD = lazy_re.compile(r"\b(" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_SMALL = {"十": 10.0, "百": 100.0, "千": 1000.0}


def answer_numbers(text: str) -> set[float]:
    """The numbers ``text`` writes, as absolute amounts (``28.4万`` -> 284000, ``20 billion`` -> 2e10)."""
    text = re.sub(r"(?<=\d),(?=\d{3})", "", arabic_numerals(text))
    amounts: set[float] = set()
    for match in _NUMBER.finditer(text):
        number = float(match.group(1))
        scale = (match.group(2) or "").lower()
        amounts.add(number * (SCALES["万"] * SCALES["亿"] if scale == "万亿" else SCALES.get(scale, 1.0)))
    for match in _BARE_SCALE.finditer(text):  # 千亿级: a thousand 亿
        amounts.add(_SMALL[match.group(1)] * SCALES[match.group(2)])
    for match in _WORD.finditer(text):
        amounts.add(float(_WORDS[match.group(1).lower()]))
    return amounts


def figure_amount(figure: Figure) -> float:
    """The figure as an absolute amount: ``value`` times the 万/亿 its unit starts with (28.4 万家 -> 284000)."""
    unit = figure.unit.strip()
    scale = SCALES["万"] * SCALES["亿"] if unit.startswith("万亿") else SCALES.get(unit[:1], 1.0)
    return figure.value * scale


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def states(text: str, figure: Figure) -> bool:
    """Whether ``text`` writes ``figure``'s number (see the module docstring)."""
    amount = figure_amount(figure)
    return any(_same(amount, a) for a in answer_numbers(text))


def missing_languages(figure: Figure, answer: Bilingual) -> list[str]:
    """The languages (``zh``, ``en``) whose answer does not state ``figure``; an empty answer is not
    judged here (a missing answer is its own problem)."""
    return [
        lang for lang, text in (("zh", answer.zh), ("en", answer.en)) if text and not states(text, figure)
    ]


def figure_message(where: str, figure: Figure, languages: Iterable[str]) -> str:
    """``fact x: figure 高新技术企业 value 732 does not appear in the answer (zh/en)``."""
    value = f"{figure.value:g}" if figure.value != int(figure.value) else str(int(figure.value))
    return (f"{where}: figure {figure.counts or '?'} value {value} does not appear in the answer "
            f"({'/'.join(languages)})")  # fmt: skip
