"""A total over three or more of the report's figures (「重点实验室、研发机构、孵化载体和工程技术中心
一共多少家」), with the computation shown.

:func:`outcome` takes the facts that answer each named thing (``None`` where nothing does) and gives
the reply: every figure with its period, then 「合计：143家 + 12家 + 63家 + 290家 = 508家」 marked as
computed from the report, or, when a thing is not known or two figures cannot be added (different
kinds, periods that differ, one part of another), what is known and why nothing is added. The checks
for each pair are those of a two-figure comparison (:func:`jinshui_qa.conversation.render.comparison`).
"""

from __future__ import annotations

from decimal import Decimal
from itertools import combinations

from jinshui_qa.conversation import arithmetic as ar
from jinshui_qa.conversation import render
from jinshui_qa.conversation.comparability import why_not
from jinshui_qa.conversation.compare_texts import en_amount, sentence
from jinshui_qa.facts.schema import Fact, FactBase, Lang


def outcome(base: FactBase, facts: list[Fact | None], named: list[str], measure: str, unit: str,
            lang: Lang) -> render.Outcome:  # fmt: skip
    """The total of one figure of each fact (``named``: what the user called each, for the ones
    not known); status ``answer``, ``partial`` (a thing not known) or ``fallback`` (not addable).
    A thing named twice (科技型企业和科技型企业和高新技术企业) is added once."""
    facts, named = _once(facts, named)
    known = [f for f in facts if f is not None]
    source = render.sources(base, known, lang)
    picks = [_pick(f, measure, [g for g in known if g is not f]) if f else None for f in facts]
    lines = [render.line(render.name(f, q, lang), q, f, lang) for f, q in zip(facts, picks, strict=True) if f]
    missing = [said for said, f in zip(named, facts, strict=True) if f is None]
    if missing:
        said = "\n".join(sentence("missing", lang, missing=m) for m in missing)
        return render.Outcome("partial", "\n".join([*lines, said, "", source]), "missing_operand", source)
    assert all(f is not None for f in facts)
    for (a, qa), (b, qb) in combinations(zip(known, picks, strict=True), 2):
        why = why_not(
            a, b, qa, qb, "sum", qa is not None and qb is not None and not ar.incomparable(qa, qb, "sum")
        )
        if why:
            reason, words = why
            label_a, label_b = render.name(a, qa, lang), render.name(b, qb, lang)
            key = reason + ("_both" if reason == "not_a_quantity" and words["ka"] == words["kb"] else "")
            said = sentence(
                key, lang, a=label_a, b=label_b, pa=render.period(a, lang), pb=render.period(b, lang), **words
            )
            return render.Outcome(
                "fallback", "\n".join([*lines, said, "", source]), f"incomparable:{reason}", source
            )
    quantities = [q for q in picks if q is not None]
    done = ar.total(quantities, unit)
    if lang == "zh":
        said = f"合计：{done.expression}。"
    else:
        values = [q.value for q in quantities]
        shown = " + ".join(en_amount(v, quantities[0].base, *values) for v in values)
        said = f"Together: {shown} = {en_amount(sum(values, Decimal(0)), quantities[0].base, *values)}."
    note = sentence("approximate", lang) if any(q.approximate for q in quantities) else ""
    if len({f.time for f in known}) > 1:
        note += sentence("dates", lang, pa=render.period(known[0], lang), pb=render.period(known[-1], lang))
    text = "\n".join([*lines, said, render.COMPUTED_NOTE[lang].replace("这两个", "这些") + note, "", source])
    if lang == "en":
        text = text.replace("the two figures above", "the figures above")
    computed = {"op": "sum", "expression": done.expression, "result": ar.plain(done.result), "unit": done.unit,
                "exact": True, "larger": None, "computed_from_report": True, "operands": len(quantities)}  # fmt: skip
    return render.Outcome("answer", text, "", source, computed=computed)


def _pick(fact: Fact, measure: str, others: list[Fact]) -> ar.Quantity | None:
    """The fact's figure of the measure asked, one that adds to a figure of the other facts if any does."""
    found = render.candidates(fact, measure, "sum")
    for q in found:
        if any(
            not ar.incomparable(q, x, "sum") for g in others for x in render.candidates(g, measure, "sum")
        ):
            return q
    return found[0] if found else None


def _once(facts: list[Fact | None], named: list[str]) -> tuple[list[Fact | None], list[str]]:
    """``facts`` and ``named`` without a repeat of a fact already listed (unless one fact is all there is)."""
    seen: set[str] = set()
    kept: list[tuple[Fact | None, str]] = []
    for f, said in zip(facts, named, strict=True):
        if f is not None and f.id in seen:
            continue
        if f is not None:
            seen.add(f.id)
        kept.append((f, said))
    if sum(f is not None for f, _ in kept) < 2:
        return facts, named
    return [f for f, _ in kept], [said for _, said in kept]
