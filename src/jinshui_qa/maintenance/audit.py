"""``jinshui-qa audit``: every number a fact states must occur in the source report, and ``check --stale``.

Numbers are compared by value, so units convert: 19.2万 = 192,000, 3830亿元 = 383 billion,
9.66亿 = 966 million, 千亿 = 100 billion; percentages only match percentages. Chinese numerals count
(两院 = 2, 第八 = 8), list markers do not, nor do numbers inside a quoted name that the source itself
contains (“5+5+X”). The report's own year makes 今年/去年 stand for that year and the one before.
Read: a fact's answers (zh and en), title, and figures (value with unit, share, rank, what it counts).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from jinshui_qa.facts.schema import Fact, FactBase
from jinshui_qa.maintenance.fact_lines import line_in_fact
from jinshui_qa.text.numerals import arabic_numerals

_CIRCLED = re.compile("[\u2460-\u2473\u2776-\u2793]")
_MARKER = re.compile(r"^\s*(?:[(（]\d{1,2}[)）]|\d{1,2}[.、)）](?![\d.]))", re.MULTILINE)
_QUOTED = re.compile(
    r"“([^”]{1,40})”|\"([^\"]{1,40})\"|「([^」]{1,40})」|『([^』]{1,40})』|‘([^’]{1,40})’|《([^》]{1,60})》"
)
_BARE_UNIT = re.compile("(?<![零〇一二两三四五六七八九十百千万亿点\\d])([十百千])(?=[万亿强])")
_GROUP_COMMA = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_NUMBER = re.compile(
    r"(?P<pct_zh>百分之)?(?<![\d.,])(?P<num>\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?P<frac>\.\d+)?"
    r"(?:\s*(?:多|余)?\s*(?P<zh>万亿|万|亿)|\s*-?\s*(?P<en>thousand|million|billion|trillion|bn)\b"
    r"|\s*(?P<pct>%|percent\b|per cent\b))?",
    re.IGNORECASE,
)
_SCALE = {"万亿": 1e12, "万": 1e4, "亿": 1e8, "thousand": 1e3, "million": 1e6, "billion": 1e9,
          "trillion": 1e12, "bn": 1e9}  # fmt: skip
_UNIT_PREFIX = (
    ("万亿", 1e12),
    ("千亿", 1e11),
    ("百亿", 1e10),
    ("亿", 1e8),
    ("千万", 1e7),
    ("百万", 1e6),
    ("万", 1e4),
)
_RELATIVE_YEARS = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}


@dataclass(frozen=True)
class Quantity:
    """A number as stated (``raw``) and its value with units applied; ``line`` counts from 1."""

    value: float
    raw: str
    percent: bool = False
    line: int = 0
    context: str = ""

    def shown(self) -> str:
        lead = re.match(r"\d[\d,]*(?:\.\d+)?", self.raw)
        if lead and math.isclose(float(lead.group(0).replace(",", "")), self.value):
            return self.raw
        return f"{self.raw} (= {self.value:,.12g}{'%' if self.percent else ''})"


@dataclass(frozen=True)
class Unsupported:
    fact: Fact
    line: int
    quantity: Quantity

    def __str__(self) -> str:
        return f"{self.fact.file}:{self.line}: {self.fact.id}: {self.quantity.shown()}"


@dataclass
class AuditReport:
    checked: int = 0
    unsupported: list[Unsupported] = field(default_factory=list)
    uncovered: list[Quantity] = field(default_factory=list)

    def lines(self, source_name: str = "source") -> list[str]:
        out = [
            f"unsupported numbers ({len(self.unsupported)}):"
            if self.unsupported
            else "unsupported numbers: none"
        ]
        out += [str(u) for u in self.unsupported]
        out.append(f"uncovered source figures ({len(self.uncovered)}):" if self.uncovered
                   else "uncovered source figures: none")  # fmt: skip
        out += [f"{source_name}:{q.line}: {q.shown()}  …{q.context}…" for q in self.uncovered]
        return out


def _prepare(text: str) -> str:
    text = unicodedata.normalize("NFKC", _CIRCLED.sub(" ", text))
    text = _MARKER.sub(" ", text)
    text = _BARE_UNIT.sub(lambda m: {"十": "10", "百": "100", "千": "1000"}[m.group(1)], text)
    text = _GROUP_COMMA.sub("\0", text)  # keep 192,000 as written: arabic_numerals would drop the comma
    return arabic_numerals(text).replace("\0", ",")


def quantities(text: str, line: int = 0) -> list[Quantity]:
    """The numbers stated in ``text`` (one line or many; ``line`` is the first line's number)."""
    found: list[Quantity] = []
    for offset, part in enumerate(_prepare(text).split("\n")):
        for m in _NUMBER.finditer(part):
            value = float(m.group("num").replace(",", "") + (m.group("frac") or ""))
            scale = m.group("zh") or (m.group("en") or "").lower()
            value *= _SCALE.get(scale, 1.0)
            percent = bool(m.group("pct") or m.group("pct_zh"))
            context = part[max(0, m.start() - 12) : m.end() + 12].strip()
            found.append(Quantity(value, m.group(0).strip(), percent, line + offset if line else 0, context))
    return found


def _without_known_names(text: str, source: str) -> str:
    """``text`` with every quoted name that the source also contains blanked out."""

    def blank(m: re.Match[str]) -> str:
        name = next(g for g in m.groups() if g is not None)
        return " " if unicodedata.normalize("NFKC", name) in source else m.group(0)

    return _QUOTED.sub(blank, text)


def fact_quantities(fact: Fact, source: str) -> list[Quantity]:
    """Every number the fact states (``source`` is the NFKC source text, for quoted names)."""
    texts = [fact.answer.zh, fact.answer.en, fact.title.zh, fact.title.en]
    for figure in fact.figures:
        texts += [figure.share or "", figure.rank or "", figure.counts]
    out = [q for text in texts for q in quantities(_without_known_names(text, source))]
    for figure in fact.figures:
        unit = unicodedata.normalize("NFKC", figure.unit.strip())
        factor = next((f for prefix, f in _UNIT_PREFIX if unit.startswith(prefix)), 1.0)
        raw = f"{figure.value:g}{figure.unit}"
        out.append(
            Quantity(figure.value * factor, raw, unit in ("%", "percent"), context=f"figure:{figure.value:g}")
        )
    return out


class _Values:
    """Sorted values, for tolerant membership tests."""

    def __init__(self, quantities: Iterable[Quantity]) -> None:
        self.values = {p: sorted(q.value for q in quantities if q.percent == p) for p in (False, True)}

    def __contains__(self, q: Quantity) -> bool:
        values = self.values[q.percent]
        i = bisect.bisect_left(values, q.value - abs(q.value) * 1e-9)
        return i < len(values) and math.isclose(values[i], q.value, rel_tol=1e-9)


def _line_of(fact: Fact, q: Quantity, files: Mapping[str, str]) -> int:
    if q.context.startswith("figure:"):
        number = re.escape(q.context.removeprefix("figure:"))
        pattern = re.compile(rf"value:\s*{number}(?:\.0+)?(?![\d.])")
    else:
        pattern = re.compile(re.escape(q.raw))
    return line_in_fact(fact, files, lambda row: bool(pattern.search(unicodedata.normalize("NFKC", row))))


def audit(base: FactBase, source_text: str, files: Mapping[str, str] | None = None) -> AuditReport:
    """Compare every fact's numbers with the source; ``files`` (name -> text) gives exact lines."""
    source = unicodedata.normalize("NFKC", source_text)
    stated = quantities(source_text, line=1)
    years = {r.year for r in base.reports.values() if r.year}
    extra = [Quantity(float(y + delta), word) for word, delta in _RELATIVE_YEARS.items() if word in source
             for y in years]  # fmt: skip
    supported = _Values(stated + extra)
    result = AuditReport()
    covered: list[Quantity] = []
    for fact in base.facts:
        for q in fact_quantities(fact, source):
            result.checked += 1
            covered.append(q)
            if q not in supported:
                line = _line_of(fact, q, files or {})
                found = Unsupported(fact, line, q)
                if str(found) not in {str(u) for u in result.unsupported}:
                    result.unsupported.append(found)
    result.unsupported.sort(key=lambda u: (u.fact.file, u.line))
    facts_values = _Values(covered)
    seen: set[tuple[float, bool]] = set()
    figures = quantities(_QUOTED.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source_text), line=1)
    for q in figures:  # numbers inside quoted names (“5+5+X”, “两院”) are names, not figures
        if q not in facts_values and (q.value, q.percent) not in seen:
            seen.add((q.value, q.percent))
            result.uncovered.append(q)
    return result


def where_published(base: FactBase) -> list[str]:
    """One line per source report saying where it was published (``sources.yaml``: title, newspaper,
    date and URL when known), so a maintainer with a clone knows which text ``audit --source`` needs."""
    lines = []
    for report in base.reports.values():
        when = report.date or (str(report.year) if report.year else "date unknown")
        paper = f"{report.publisher} ({report.publisher_en})" if report.publisher_en else report.publisher
        title = f"《{report.title}》" + (f" ({report.title_en})" if report.title_en else "")
        lines.append(f"{report.id}: {title}, {paper}, {when}; " + (report.url or "no URL known"))
    return lines


def stale_facts(base: FactBase, days: float, today: dt.date | None = None) -> list[Fact]:
    """Facts last verified more than ``days`` days before ``today``, oldest first."""
    cutoff = (today or dt.date.today()) - dt.timedelta(days=days)
    return sorted((f for f in base.facts if f.verified < cutoff), key=lambda f: (f.verified, f.file, f.line))
