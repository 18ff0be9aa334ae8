"""The ``jinshui-qa eval`` command: read an evaluation file, run it, print or return the figures.

``run_eval`` is what cli.py calls; it reads the file (a missing or malformed one raises
:class:`~jinshui_qa.errors.EvalSetInvalid`, a one-line error), evaluates, prints accuracy per kind
and fallbacks per reason, and returns the exit code (1 when a ``--min-*``/``--max-*`` gate fails).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, TextIO

from jinshui_qa.errors import EvalSetInvalid
from jinshui_qa.evaluation.evaluate import EvalReport, default_levels, evaluate, sweep

DEFAULT_FILE = Path(__file__).resolve().parents[3] / "tests" / "eval" / "dev.yaml"


def read_eval_file(path: str | os.PathLike[str]) -> Any:
    """The parsed YAML of an evaluation file; one-line :class:`EvalSetInvalid` on any problem."""
    from jinshui_qa.facts.yaml_lines import YamlSyntaxError, parse

    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EvalSetInvalid(f"{file}: no such evaluation file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalSetInvalid(f"{file}: cannot be read ({exc.__class__.__name__})") from None
    try:
        return parse(text)  # the facts' bounded parser: no alias bomb, deep nesting or traceback
    except YamlSyntaxError as exc:
        raise EvalSetInvalid(f"{file}:{exc.line}: not valid YAML ({exc.problem})") from None


def rate(value: float) -> float:
    """A gate given as a percentage (97) or a fraction (0.97), as a fraction; refuses anything else."""
    if 0.0 <= value <= 1.0:
        return value
    if 1.0 < value <= 100.0:
        return value / 100.0
    raise EvalSetInvalid(f"{value} is not a rate: give a fraction (0.97) or a percentage (97)")


def run_eval(file: str, facts: str | None, *, min_accuracy: float = 0.0, max_false_answers: float = 1.0,
             min_dialogue: float = 0.0, with_sweep: bool = False, as_json: bool = False,
             out: TextIO, err: TextIO) -> int:  # fmt: skip
    """Evaluate ``file`` on the facts in ``facts``; print to ``out`` (failed gates to ``err``); return the
    exit code: 0, or 1 when a gate fails."""
    from jinshui_qa.bootstrap import assistant_for
    from jinshui_qa.facts.loader import load

    gates = rate(min_accuracy), rate(max_false_answers), rate(min_dialogue)
    data = read_eval_file(file)
    base = load(facts)
    report = evaluate(assistant_for(base), data)
    failures = _failures(report, *gates)
    curve = sweep(lambda s: assistant_for(base, s), data, default_levels()) if with_sweep else []
    compound = None
    if isinstance(data, dict) and data.get("compound"):  # several questions in one message: scored apart
        from jinshui_qa.evaluation.compound import evaluate_compound

        compound = evaluate_compound(assistant_for(base), data)
    if as_json:
        misses = [m.__dict__ for m in report.misses]
        kinds = {k: {"right": ok, "asked": n} for k, (ok, n) in sorted(report.per_kind.items())}
        print(json.dumps({**report.summary(), "per_kind": kinds, "fallback_reasons": dict(report.per_reason),
                          "misses": misses, "sweep": curve, "failures": failures,
                          "compound": compound and {"accuracy": round(compound.accuracy, 4), "lines": compound.lines()}},
                         ensure_ascii=False), file=out)  # fmt: skip
        return 1 if failures else 0
    _print(report, Path(file).name, curve, out)
    for line in compound.lines() if compound else []:
        print(line, file=out)
    for failure in failures:
        print(f"FAIL: {failure}", file=err)
    return 1 if failures else 0


def _failures(report: EvalReport, min_accuracy: float, max_false: float, min_dialogue: float) -> list[str]:
    failures = []
    if report.accuracy < min_accuracy:
        failures.append(f"accuracy {report.accuracy:.2%} < {min_accuracy:.2%}")
    if report.false_answer_rate > max_false:
        failures.append(f"false answers {report.false_answer_rate:.2%} > {max_false:.2%}")
    if report.dialogue_accuracy < min_dialogue:
        failures.append(f"dialogue accuracy {report.dialogue_accuracy:.2%} < {min_dialogue:.2%}")
    return failures


def _print(report: EvalReport, name: str, curve: list[dict[str, Any]], out: TextIO) -> None:
    summary = report.summary()
    lines = [
        f"evaluation set: {name}",
        f"in-scope top-1 accuracy   {report.accuracy:7.2%}  ({report.correct}/{report.in_scope})",
        f"out-of-scope answered     {report.false_answer_rate:7.2%}  ({report.false_answers}/{report.out_of_scope})",
        f"follow-up dialogue turns  {report.dialogue_accuracy:7.2%}  ({report.turns_ok}/{report.turns})",
        f"small talk recognised     {summary['smalltalk_accuracy']:7.2%}",
        f"clarify rate {summary['clarify_rate']:.2%}, fallback rate {summary['fallback_rate']:.2%}",
        f"latency per question: p50 {summary['latency_ms_p50']} ms, p99 {summary['latency_ms_p99']} ms",
        "per topic:",
        *(f"  {topic:<12} {ok / total:7.2%}  ({ok}/{total})" for topic, (ok, total) in sorted(report.per_topic.items())),
    ]  # fmt: skip
    if report.per_kind:
        lines.append("per kind:")
        lines += [
            f"  {kind:<17} {ok / total:7.2%}  ({ok}/{total})"
            for kind, (ok, total) in sorted(report.per_kind.items())
        ]
    if report.per_reason:
        lines.append("fallbacks per reason (all single questions):")
        lines += [
            f"  {reason:<17} {n}" for reason, n in sorted(report.per_reason.items(), key=lambda r: -r[1])
        ]
    lines.append(f"misses ({len(report.misses)}):")
    for m in report.misses:
        where = f" [{m.dialogue}]" if m.dialogue else ""
        why = f" {m.reason}" if m.reason else ""
        lines.append(f"  {m.question!r}: expected {m.expect}, got {m.got}{why} (score {m.score}){where}")
    if curve:
        lines.append("threshold sweep (answer_at: accuracy / false answers / clarify / dialogues):")
        lines += [f"  {row['answer_at']:5.1f}: {row['accuracy']:7.2%} / {row['false_answer_rate']:6.2%} / "
                  f"{row['clarify_rate']:6.2%} / {row['dialogue_accuracy']:7.2%}" for row in curve]  # fmt: skip
    print("\n".join(lines), file=out)
