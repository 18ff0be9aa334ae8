"""Periods: the time a fact's figure describes and the time a question asks about, as month ranges.

A :class:`Period` is a span of whole months plus its grain (``year``, ``part`` of a year, ``day``).
Facts declare theirs in ``time`` (``2022``, ``2022-Q1``, ``2022-02``, ``2022-03-25``, ``2021/2022``);
questions say theirs in words: 2022年, 22年, 今年 (read in the report's frame), 一季度, 上半年,
1到3月, 前五个月, 全年. ``covers`` decides whether a fact's period answers the period asked, so a second
report can sit beside this one: a question naming 2021 gets the 2021 fact, a question naming no period
gets the latest.
"""

from __future__ import annotations

import re

from jinshui_qa.records import dataclass
from jinshui_qa.text import lazy_re

RELATIVE_YEARS = {"大前年": -3, "前年": -2, "去年": -1, "上年": -1, "上一年": -1, "今年": 0, "本年": 0,
                  "当年": 0, "明年": 1, "后年": 2, "this year": 0, "last year": -1, "next year": 1}  # fmt: skip
_QUARTERS = {"1": (1, 3), "2": (4, 6), "3": (7, 9), "4": (10, 12)}
_EN_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_YEAR = lazy_re.compile(r"(?<![\d.])(19[5-9]\d|20[0-4]\d)(?=年|\s|$|[^\d\u3400-\u9fff.])", needs=("19", "20"))
_SHORT_YEAR = lazy_re.compile(r"(?<![\d.])([12]\d)年", needs=("年",))
_QUARTER = lazy_re.compile(
    r"(?:第|头|前)?([1-4])季度|(?:一|二|三|四)季度|\bq([1-4])\b|(first|second|third|fourth) quarter",
    needs=("季度", "q"),
)
_MONTHS = lazy_re.compile(r"(1[0-2]|[1-9])(?:月)?(?:份)?(?:到|至|~|-|—)(1[0-2]|[1-9])月", needs=("月",))
_FIRST_MONTHS = lazy_re.compile(r"前(1[0-2]|[1-9])(?:个)?月", needs=("月",))
_ONE_MONTH = lazy_re.compile(r"(?<![\d~-])(1[0-2]|[1-9])月(?:份)?(?!\d*日)", needs=("月",))
# one English month after a preposition ("in March 2022"); May only with a year (may is also a verb)
_EN_ONE_MONTH = lazy_re.compile(
    r"\b(?:in|during|for|of) (jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)(?:uary|ruary|ch|il|e|y|ust|tember|t|ober|ember)?\b"
    r"(?![ ~-]*(?:to |and |through |until )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))"
    r"|\b(?:in|during|for|of) (may)(?= \d{4})",
    needs=_EN_MONTHS,
)
_EN_RANGE = lazy_re.compile(
    r"\b(?:from |between )?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
    r"(?: to | and |-| through | until )(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
    needs=_EN_MONTHS,
)
_EN_FIRST = lazy_re.compile(r"\bfirst (\d{1,2}) months\b", needs=("first",))
_HALVES = {"上半年": (1, 6), "下半年": (7, 12), "first half": (1, 6), "second half": (7, 12)}
_WHOLE_YEAR = ("全年", "整年", "一整年", "whole year", "full year", "all year")
_ORDINAL = {
    "first": "1",
    "second": "2",
    "third": "3",
    "fourth": "4",
    "一": "1",
    "二": "2",
    "三": "3",
    "四": "4",
}


@dataclass(frozen=True, order=True, slots=True)
class Period:
    """Months ``start``..``end`` as (year, month) pairs, inclusive; ``grain`` is year, part or day."""

    start: tuple[int, int]
    end: tuple[int, int]
    grain: str = "year"

    @classmethod
    def year(cls, year: int) -> Period:
        return cls((year, 1), (year, 12))

    def label(self, lang: str = "zh") -> str:
        """2022年, 2022年1~3月, 2021~2022年 (English: 2022, Jan-Mar 2022)."""
        (y1, m1), (y2, m2) = self.start, self.end
        whole = m1 == 1 and m2 == 12
        if lang == "zh":
            if whole:
                return f"{y1}年" if y1 == y2 else f"{y1}~{y2}年"
            return f"{y1}年{m1}月" if (y1, m1) == (y2, m2) else f"{y1}年{m1}~{m2}月"
        names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        if whole:
            return str(y1) if y1 == y2 else f"{y1}-{y2}"
        return f"{names[m1 - 1]} {y1}" if (y1, m1) == (y2, m2) else f"{names[m1 - 1]}-{names[m2 - 1]} {y2}"

    def covers(self, asked: Period) -> bool:
        """Whether a fact of this period answers a question asking for ``asked``.

        Years must overlap; a question naming part of a year (a quarter, months) needs a fact of that
        part or inside it; a question for the whole year (全年) is not answered by a part-year fact.
        """
        if asked.start[0] > self.end[0] or asked.end[0] < self.start[0]:
            return False
        if asked.grain == "year":
            return True
        if asked.grain == "whole":
            return self.grain != "part"
        if self.grain == "year":
            return False
        return self.start <= asked.start and asked.end <= self.end


def fact_period(time: str) -> Period | None:
    """The period of a fact's ``time`` field, or None when it cannot be read (``check`` reports it)."""
    parts = [p.strip() for p in time.split("/") if p.strip()]
    periods = [_one_fact_period(p) for p in parts]
    if not periods or any(p is None for p in periods):
        return None
    known = [p for p in periods if p is not None]
    grain = known[0].grain if len(known) == 1 else "year"
    return Period(min(p.start for p in known), max(p.end for p in known), grain)


def _one_fact_period(part: str) -> Period | None:
    if m := re.fullmatch(r"(\d{4})", part):
        return Period.year(int(m[1]))
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", part):
        first, last = _QUARTERS[m[2]]
        return Period((int(m[1]), first), (int(m[1]), last), "part")
    if m := re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", part):
        month = int(m[2])
        if not 1 <= month <= 12:
            return None
        return Period((int(m[1]), month), (int(m[1]), month), "day" if m[3] else "part")
    return None


def asked_period(folded: str, report_year: int) -> Period | None:
    """The period a folded question names, relative words read in ``report_year``; None if it names none."""
    years = sorted({int(y) for y in _YEAR.findall(folded)})
    years += [2000 + int(y) for y in _SHORT_YEAR.findall(folded) if not years]
    for word, delta in RELATIVE_YEARS.items():
        if word in folded and not (word == "前年" and "大前年" in folded) and report_year:
            years.append(report_year + delta)
    year = years[0] if years else report_year
    months = _months(folded)
    if months:
        return Period((year, months[0]), (year, months[1]), "part")
    if any(w in folded for w in _WHOLE_YEAR):
        return Period((year, 1), (year, 12), "whole")
    if years:
        return Period((min(years), 1), (max(years), 12))
    return None


def _months(folded: str) -> tuple[int, int] | None:
    if m := _QUARTER.search(folded):
        digit = m[1] or m[2] or _ORDINAL.get(m[3] or "", "") or _ORDINAL.get(m[0][0], "")
        if digit:
            return _QUARTERS[digit]
    if m := _EN_RANGE.search(folded):
        first, last = _EN_MONTHS.index(m[1]) + 1, _EN_MONTHS.index(m[2]) + 1
        return (first, last) if first <= last else None
    if m := _EN_FIRST.search(folded):
        return (1, min(12, int(m[1])))
    for word, span in _HALVES.items():
        if word in folded:
            return span
    if m := _MONTHS.search(folded):
        first, last = int(m[1]), int(m[2])
        return (first, last) if first <= last else None
    if m := _FIRST_MONTHS.search(folded):
        return (1, int(m[1]))
    if m := _ONE_MONTH.search(folded):
        return (int(m[1]), int(m[1]))
    if m := _EN_ONE_MONTH.search(folded):
        month = _EN_MONTHS.index((m[1] or m[2])[:3]) + 1
        return (month, month)
    return None
