"""Evaluation like ``rasa test``: accuracy, false answers, clarify/fallback rates, misses, threshold sweep.

Pure: takes the parsed evaluation set and an assistant, returns an :class:`EvalReport`. The sweep
builds one assistant per threshold from :class:`~jinshui_qa.routing.settings.RouterSettings`.
In-scope questions expect a fact id; ``fallback`` questions must not be answered; ``smalltalk``
questions must be recognised as small talk. Dialogues are scored turn by turn in one session.
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from jinshui_qa.conversation.assistant import Assistant, Reply, Session
from jinshui_qa.errors import EvalSetInvalid
from jinshui_qa.routing.settings import RouterSettings


@dataclass(frozen=True)
class Case:
    question: str
    expect: str
    kind: str = ""
    dialogue: str = ""


@dataclass(frozen=True)
class Miss:
    question: str
    expect: str
    got: str
    score: float
    dialogue: str = ""
    reason: str = ""


@dataclass
class EvalReport:
    """Counts of one evaluation run; ``per_kind``/``per_reason`` map a name to [right, asked]."""

    in_scope: int = 0
    correct: int = 0
    out_of_scope: int = 0
    false_answers: int = 0
    smalltalk: int = 0
    smalltalk_ok: int = 0
    clarified: int = 0
    fell_back: int = 0
    turns: int = 0
    turns_ok: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    per_topic: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    per_kind: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    per_reason: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[Miss] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.in_scope if self.in_scope else 1.0

    @property
    def false_answer_rate(self) -> float:
        return self.false_answers / self.out_of_scope if self.out_of_scope else 0.0

    @property
    def dialogue_accuracy(self) -> float:
        return self.turns_ok / self.turns if self.turns else 1.0

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies_ms) or [0.0]
        asked = self.in_scope + self.out_of_scope + self.smalltalk
        return {
            "in_scope": self.in_scope,
            "accuracy": round(self.accuracy, 4),
            "out_of_scope": self.out_of_scope,
            "false_answer_rate": round(self.false_answer_rate, 4),
            "smalltalk_accuracy": round(self.smalltalk_ok / self.smalltalk, 4) if self.smalltalk else 1.0,
            "clarify_rate": round(self.clarified / asked, 4) if asked else 0.0,
            "fallback_rate": round(self.fell_back / asked, 4) if asked else 0.0,
            "dialogue_turns": self.turns,
            "dialogue_accuracy": round(self.dialogue_accuracy, 4),
            "latency_ms_p50": round(statistics.median(lat), 3),
            "latency_ms_p99": round(lat[min(len(lat) - 1, int(len(lat) * 0.99))], 3),
        }


def cases(data: Any) -> tuple[list[Case], list[tuple[str, list[Case]]]]:
    """Questions and dialogues of an evaluation set as parsed from YAML (``compound:`` is not ours).

    Raises :class:`EvalSetInvalid` when the data is not a mapping, an item lacks ``q``/``expect``, or
    there is no question at all.
    """
    if not isinstance(data, dict):
        raise EvalSetInvalid("the evaluation set must be a mapping with `questions:` and `dialogues:`")
    try:
        singles = [
            Case(str(q["q"]), str(q["expect"]), str(q.get("kind", ""))) for q in data.get("questions") or []
        ]
        dialogues = [
            (
                str(d.get("name", n)),
                [Case(str(t["q"]), str(t["expect"]), dialogue=str(d.get("name", n))) for t in d["turns"]],
            )
            for n, d in enumerate(data.get("dialogues") or [], 1)
        ]
    except (KeyError, TypeError, AttributeError) as exc:
        raise EvalSetInvalid(f"an item lacks `q`, `expect` or `turns` ({exc})") from None
    if not singles and not any(len(turns) > 1 for _, turns in dialogues) and not data.get("compound"):
        raise EvalSetInvalid("the evaluation set has no questions")
    return singles, dialogues


def _grade(report: EvalReport, case: Case, reply: Reply, topic_of: Callable[[str], str]) -> bool:
    got = reply.fact_id or reply.status
    report.clarified += reply.status == "clarify"
    report.fell_back += reply.status == "fallback"
    if case.expect == "fallback":
        report.out_of_scope += 1
        ok = reply.status != "answer"
        report.false_answers += not ok
    elif case.expect == "smalltalk":
        report.smalltalk += 1
        ok = reply.status == "smalltalk"
        report.smalltalk_ok += ok
    else:
        report.in_scope += 1
        ok = reply.status == "answer" and reply.fact_id == case.expect
        report.correct += ok
        topic = report.per_topic[topic_of(case.expect)]
        topic[0] += ok
        topic[1] += 1
    if reply.status == "fallback":
        report.per_reason[(reply.reason or "none").partition(":")[0]] += 1
    if case.kind:
        kind = report.per_kind[case.kind]
        kind[0] += ok
        kind[1] += 1
    if not ok:
        if reply.status == "clarify":
            got = "clarify:" + ",".join(o.fact_id for o in reply.options)
        report.misses.append(Miss(case.question, case.expect, got, reply.score, case.dialogue, reply.reason))
    return ok


def evaluate(assistant: Assistant, data: dict[str, Any]) -> EvalReport:
    """Run every question and dialogue of ``data`` through ``assistant``."""
    report = EvalReport()
    singles, dialogues = cases(data)

    def topic_of(fact_id: str) -> str:
        fact = assistant.base.get(fact_id)
        return fact.topic if fact else "(unknown)"

    for case in singles:
        started = time.perf_counter()
        reply = assistant.reply(case.question, Session())
        report.latencies_ms.append((time.perf_counter() - started) * 1000)
        _grade(report, case, reply, topic_of)
    for _name, turns in dialogues:
        session = Session()
        for n, case in enumerate(turns):
            reply = assistant.reply(case.question, session, now=float(n))
            if n == 0:
                continue
            scratch = EvalReport()
            ok = _grade(scratch, case, reply, topic_of)
            report.turns += 1
            report.turns_ok += ok
            report.misses.extend(scratch.misses)
    return report


def sweep(
    build: Callable[[RouterSettings], Assistant],
    data: dict[str, Any],
    answer_levels: list[float],
    settings: RouterSettings | None = None,
) -> list[dict[str, Any]]:
    """Accuracy and false answers as the answer threshold moves (clarify stays 8 points below)."""
    base = settings or RouterSettings()
    rows = []
    for level in answer_levels:
        variant = replace(base, answer_at=level, clarify_at=max(0.0, level - 8))
        result = evaluate(build(variant), data).summary()
        rows.append({"answer_at": level, **{k: result[k] for k in ("accuracy", "false_answer_rate",
                                                                   "clarify_rate", "dialogue_accuracy")}})  # fmt: skip
    return rows


def default_levels() -> list[float]:
    return [float(x) for x in range(40, 81, 4)]


__all__ = ["Case", "EvalReport", "EvalSetInvalid", "Miss", "cases", "default_levels", "evaluate", "sweep"]
