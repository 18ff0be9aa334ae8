"""``jinshui-qa audit``, computed replies: every number in a comparison or compound reply is a fact's
figure or the result of the computation the reply states, and every stated computation is right.

:func:`audit_reply` checks one reply text: each computation (「143家 − 63家 = 80家」, "8.46 billion yuan −
0.966 billion yuan = 7.494 billion yuan", 「3830亿元 ÷ 521亿元 ≈ 7.35」) is recomputed exactly from the
values it states (units applied as in :func:`jinshui_qa.maintenance.audit.quantities`; ``≈`` compares
at the decimals shown), and every other number must be a number some fact states (its figures, answer,
title, period or source line). :func:`audit_comparisons` asks the assistant comparison and two-part
questions built from every pair of facts with figures, and checks each reply.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.conversation.render import period
from jinshui_qa.facts.schema import FactBase
from jinshui_qa.maintenance.audit import Quantity, _Values, fact_quantities, quantities

_NUM = r"\d[\d,]*(?:\.\d+)?(?:\s?(?:万亿|万|亿))?(?:\s(?:trillion|billion|million|thousand))?"
_UNIT = r"(?:%|\s?yuan|[\u4e00-\u9fff]{0,4})"
_COMPUTATION = re.compile(
    rf"(?P<a>{_NUM}){_UNIT}\s(?P<op>[−+÷])\s(?P<b>{_NUM})(?P<bu>{_UNIT})\s(?P<eq>[=≈])\s(?P<r>{_NUM})(?P<pct>%)?"
)
_TOTAL = re.compile(
    rf"(?P<terms>{_NUM}{_UNIT}(?:\s\+\s{_NUM}{_UNIT}){{2,}})\s=\s(?P<r>{_NUM})"
)  # three terms or more
_TERM = re.compile(rf"(?P<n>{_NUM}){_UNIT}")
_SCALES = {"万亿": 12, "万": 4, "亿": 8, "trillion": 12, "billion": 9, "million": 6, "thousand": 3}
_TEMPLATES = {
    "zh": (
        "{a}比{b}多多少",
        "{a}是{b}的几倍",
        "{a}和{b}一共多少",
        "{a}和{b}哪个多",
        "{a}和{b}分别是多少",
        "{a}占{b}的比例是多少",
        "{a}平均每个多少",
        "{a}和{b}全市一共多少",
    ),
    "en": ("How many more {a} than {b}?", "What is {a} and {b} combined?"),
}


def exact_value(number: str) -> Decimal:
    """The exact value of a number as written with its scale word: 「84.6亿」 -> 8460000000, "8.46 billion"."""
    m = re.match(r"([\d,]+(?:\.\d+)?)\s*(万亿|万|亿|trillion|billion|million|thousand)?", number.strip())
    if m is None:
        raise ValueError(number)
    return Decimal(m.group(1).replace(",", "")).scaleb(_SCALES.get(m.group(2) or "", 0))


def _check(m: re.Match[str]) -> tuple[str, list[Decimal]]:
    """``""`` when the computation is right (else what is wrong), and the values it states."""
    a, b, r = (exact_value(m.group(k)) for k in ("a", "b", "r"))
    op = m.group("op")
    if op == "÷":
        places = len(m.group("r").partition(".")[2].rstrip("万亿 abcdefghijklmnopqrstuvwxyz"))
        word = re.search(r"万亿|万|亿|trillion|billion|million|thousand", m.group("r"))
        scale = _SCALES[word.group(0)] if word else 0  # 16.44亿 is shown to 0.01亿
        if m.group("bu") == "%" and not m.group("pct"):  # an estimate: 723家 ÷ 17.5% ≈ 4131家
            b = b / 100
        exact = a / b * (100 if m.group("pct") else 1) if b else None
        ok = exact is not None and (exact == r if m.group("eq") == "=" else
                                    abs(exact - r) <= Decimal(5).scaleb(scale - (places + 1)))  # fmt: skip
    else:
        ok = (a + b if op == "+" else a - b) == r
    return ("" if ok else f"wrong computation: {m.group(0)}"), [a, b, r]


def allowed_values(base: FactBase) -> _Values:
    """Every number the facts state, their periods and source lines (percentages kept apart)."""
    found: list[Quantity] = []
    for fact in base.facts:
        found += fact_quantities(fact, "")
        for lang in ("zh", "en"):
            found += quantities(period(fact, lang)) + quantities(base.source_label(fact, lang))
    return _Values(found)


def audit_reply(base: FactBase, text: str, known: _Values | None = None) -> list[str]:
    """What is wrong with a reply's numbers: wrong computations, and numbers from nowhere."""
    known = known or allowed_values(base)
    problems, computed = [], []
    for m in _TOTAL.finditer(text):  # 「143家 + 12家 + 63家 = 218家」: the sum of every term
        terms = [exact_value(t.group("n")) for t in _TERM.finditer(m.group("terms"))]
        total = exact_value(m.group("r"))
        problems += [] if sum(terms, Decimal(0)) == total else [f"wrong computation: {m.group(0)}"]
        computed += [*terms, total]
    text = _TOTAL.sub(" ", text)
    for m in _COMPUTATION.finditer(text):
        problem, values = _check(m)
        problems += [problem] if problem else []
        computed += values
    percents = [float(exact_value(m.group("r"))) for m in _COMPUTATION.finditer(text) if m.group("pct")]
    stated = _Values(
        [Quantity(float(v), str(v)) for v in computed] + [Quantity(v, f"{v}%", True) for v in percents]
    )
    for q in quantities(text):
        if q not in known and q not in stated:
            problems.append(f"number from nowhere: {q.raw} (…{q.context}…)")
    return problems


@dataclass
class ComputedAudit:
    asked: int = 0
    computed: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        head = f"computed replies: {self.asked} questions, {self.computed} computations, {len(self.problems)} problem(s)"
        return [head] + [f"  {q!r}: {p}" for q, p in self.problems]


def audit_comparisons(assistant: Assistant) -> ComputedAudit:
    """Ask comparisons and two-part questions over every pair of facts with figures; audit each reply."""
    base = assistant.base
    known = allowed_values(base)
    result = ComputedAudit()
    with_figures = [f for f in base.facts if f.figures]
    for a, b in itertools.combinations(with_figures, 2):
        for lang, templates in _TEMPLATES.items():
            for template in templates:
                question = template.format(a=a.title.get(lang), b=b.title.get(lang))  # type: ignore[arg-type]
                reply = assistant.reply(question)
                result.asked += 1
                result.computed += bool(getattr(reply, "computed", None))
                result.problems += [(question, p) for p in audit_reply(base, reply.text, known)]
    return result
