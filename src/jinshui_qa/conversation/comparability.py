"""Whether two of the report's figures may be combined, and why not: different kinds, the same figure,
periods that differ (two flows of different periods), a total and what was added in a period
(总量 vs 新增, :func:`stock_and_flow`), or one a part of the other (a sum would count twice).
"""

from __future__ import annotations

import re

from jinshui_qa.conversation import arithmetic as ar
from jinshui_qa.facts.schema import Fact


def why_not(a: Fact, b: Fact, qa: ar.Quantity | None, qb: ar.Quantity | None, op: str,
             paired: bool) -> tuple[str, dict[str, str]] | None:  # fmt: skip
    if qa is None or qb is None:
        return "no_figure", {"which": (a if qa is None else b).title.zh}
    if a.id == b.id and qa == qb:
        return "same", {}
    if not paired:
        why = "not_a_quantity" if ar.incomparable(qa, qb, op) == "not_a_quantity" else "kinds"
        return why, {"ka": ar.kind_name(qa.kind, "zh"), "kb": ar.kind_name(qb.kind, "zh"),
                     "ka_en": ar.kind_name(qa.kind, "en"), "kb_en": ar.kind_name(qb.kind, "en")}  # fmt: skip
    if (
        op in ("difference", "larger", "ratio")
        and stock_and_flow(a, b)
        and (op != "ratio" or a.time != b.time)
    ):
        return "stock_flow", {}  # 总量 − 新增: a total minus what was added in a period means nothing
    if a.time != b.time and ((_flow(a) and _flow(b)) or op == "sum"):  # 2021年全年 vs 2022年1~3月 additions
        return "period", {}
    if op == "sum" and _part_of(a, b):
        return "part_of", {}
    return None


def _flow(fact: Fact) -> bool:
    """The fact counts what happened in a period (new, planned, signed this year), not what exists."""
    return any(re.search(r"新|年度|今年|全年|引进|签约|申报|谋划", f.counts) for f in fact.figures)


def stock_and_flow(a: Fact, b: Fact) -> bool:
    """One fact gives what exists (总量) and the other what was added in a period, of one subject."""
    stock = [any(re.search(r"总量|存量|累计", f.counts) for f in x.figures) for x in (a, b)]
    return a.subject == b.subject and stock[0] != stock[1] and _flow(b if stock[0] else a)


def _part_of(a: Fact, b: Fact) -> bool:
    """One figure is part of the other: it counts a subset (「重点项目中的新开项目」) or a stock and its flow."""
    for x, y in ((a, b), (b, a)):
        if y.subject and any(y.subject.zh in f.counts and x.subject != y.subject for f in x.figures):
            return True
    if a.subject == b.subject:
        counts = " ".join(f.counts for f in (*a.figures, *b.figures))
        return "总量" in counts and "新增" in counts
    return False
