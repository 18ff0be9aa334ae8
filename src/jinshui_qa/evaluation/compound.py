"""Scoring of compound and comparison questions (the ``compound:`` section of an evaluation file).

Items: ``{q, parts: [fact_id|fallback, ...], kind: two_part}``; ``{q, parts: [a, b], op, result, unit,
kind: comparison}`` (``larger``: ``result`` is the id of the larger fact); ``{q, expect: fallback,
kind: comparison_invalid}``. A two-part item counts when the reply has exactly the expected parts in
order, each answered by the expected fact (or not answered, for ``fallback``); a part missing from the
reply is a silent drop. A comparison counts when both parts are the expected facts (either order
for the symmetric operations) and the computed result equals ``result`` in ``unit`` (ratios compared
at the decimals given); right parts with a different result are wrong arithmetic. An invalid
comparison counts when nothing is computed and the reply is not an answer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from jinshui_qa.conversation.assistant import Assistant, Session

SYMMETRIC = frozenset({"difference", "sum", "larger", "pp_difference"})
_SCALE = {"万": Decimal(10) ** 4, "亿": Decimal(10) ** 8}


@dataclass(frozen=True)
class CompoundCase:
    question: str
    kind: str
    parts: tuple[str, ...] = ()
    op: str = ""
    result: str = ""
    unit: str = ""


@dataclass
class CompoundReport:
    """Counts per kind (correct, total), wrong computations, silently dropped parts, and the misses."""

    per_kind: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    wrong_arithmetic: int = 0
    dropped: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)

    @property
    def correct(self) -> int:
        return sum(ok for ok, _ in self.per_kind.values())

    @property
    def total(self) -> int:
        return sum(total for _, total in self.per_kind.values())

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0

    def lines(self) -> list[str]:
        out = [f"compound and comparison questions {self.accuracy:7.2%}  ({self.correct}/{self.total})"]
        out += [f"  {kind:<18} {ok / n:7.2%}  ({ok}/{n})" for kind, (ok, n) in sorted(self.per_kind.items())]
        out.append(f"  wrong arithmetic: {self.wrong_arithmetic}; parts dropped silently: {self.dropped}")
        out += [f"  miss {q!r}: {why}" for q, why in self.misses]
        return out


def compound_cases(data: dict[str, Any]) -> list[CompoundCase]:
    """The ``compound:`` items of an evaluation set as parsed from YAML."""
    out = []
    for item in data.get("compound") or []:
        parts = tuple(str(p) for p in item.get("parts") or ())
        kind = str(item.get("kind") or ("comparison" if item.get("op") else "two_part"))
        out.append(CompoundCase(str(item["q"]), kind, parts, str(item.get("op", "")),
                                str(item.get("result", "")), str(item.get("unit", ""))))  # fmt: skip
    return out


def _in_unit(value: Decimal, unit: str, wanted: str) -> Decimal | None:
    if unit == wanted or (unit.endswith("百分点") and wanted.endswith("百分点")):
        return value
    scale = {u: _SCALE.get(u[:1], Decimal(1)) for u in (unit, wanted)}
    if unit.lstrip("万亿") != wanted.lstrip("万亿"):
        return None
    return value * scale[unit] / scale[wanted]


def _same_number(got: Decimal, expected: str) -> bool:
    places = len(expected.partition(".")[2])
    try:
        return got.quantize(Decimal(1).scaleb(-places)) == Decimal(expected).quantize(
            Decimal(1).scaleb(-places)
        )
    except InvalidOperation:
        return False


def grade(case: CompoundCase, reply: dict[str, Any]) -> tuple[bool, str]:
    """Whether ``reply`` (a reply's JSON) answers ``case``, and a short reason when it does not."""
    parts = reply.get("parts")
    got = (
        [(p.get("fact_id"), p.get("status")) for p in parts]
        if parts
        else [(reply.get("fact_id"), reply.get("status"))]
    )
    computed = reply.get("computed")
    if case.kind == "comparison_invalid":
        ok = reply.get("status") != "answer" and not computed
        return ok, "" if ok else f"computed {computed and computed.get('expression')} / {reply.get('status')}"
    if len(got) < len(case.parts):
        return False, f"dropped: expected {len(case.parts)} parts, got {got}"
    if case.kind == "comparison":
        ids = [fid for fid, _ in got]
        if ids != list(case.parts) and not (case.op in SYMMETRIC and ids == list(reversed(case.parts))):
            return False, f"parts {ids} != {list(case.parts)}"
        if not computed or reply.get("status") != "answer":
            return False, f"nothing computed ({reply.get('status')}: {reply.get('reason')})"
        if case.op == "larger":
            return (computed.get("larger") == case.result), f"wrong: larger {computed.get('larger')}"
        value = _in_unit(
            Decimal(str(computed["result"])),
            str(computed.get("unit", "")),
            case.unit or str(computed.get("unit")),
        )
        ok = value is not None and _same_number(value, case.result)
        return ok, "" if ok else f"wrong: {computed.get('expression')} (expected {case.result}{case.unit})"
    if len(got) != len(case.parts):
        return False, f"parts {got} != {list(case.parts)}"
    for (fid, status), want in zip(got, case.parts, strict=True):
        if (want == "fallback" and status == "answer") or (
            want != "fallback" and (status != "answer" or fid != want)
        ):
            return False, f"parts {got} != {list(case.parts)}"
    return True, ""


def evaluate_compound(assistant: Assistant, data: dict[str, Any]) -> CompoundReport:
    """Ask every compound item in a fresh session and grade the reply."""
    report = CompoundReport()
    for case in compound_cases(data):
        reply = assistant.reply(case.question, Session()).to_json()
        ok, why = grade(case, reply)
        counts = report.per_kind[case.kind]
        counts[0] += ok
        counts[1] += 1
        if not ok:
            report.misses.append((case.question, why))
            report.wrong_arithmetic += why.startswith("wrong")
            report.dropped += why.startswith("dropped")
    return report
