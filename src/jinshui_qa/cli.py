"""The ``jinshui-qa`` command line: opens what a command needs, calls the library, prints the result.

jinshui-qa check [--facts DIR] [--stale 365d]
jinshui-qa ask [QUESTION] [--json] [--dialog] [--facts DIR]
jinshui-qa chat [--facts DIR]
jinshui-qa eval [FILE] [--sweep] [--json] [--min-accuracy X --max-false-answers X --min-dialogue X]
jinshui-qa web [--host 127.0.0.1] [--port 8080] [--facts DIR] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from jinshui_qa.errors import FactsDirMissing, FactsInvalid, JinshuiQAError

CORE_COMMANDS = frozenset({"check", "ask", "chat", "eval"})
EVAL_FILE = Path(__file__).resolve().parents[2] / "tests" / "eval" / "questions.yaml"


def _cmd_check(args: argparse.Namespace) -> int:
    from jinshui_qa.facts.loader import load

    try:
        base = load(args.facts)
    except FactsInvalid as exc:
        for problem in exc.problems:
            print(problem)
        print(f"{len(exc.problems)} problem(s) found", file=sys.stderr)
        return 1
    print(f"ok: {len(base.facts)} facts, {base.phrasing_count} phrasings, {len(base.topics)} topics")
    if args.stale:
        from jinshui_qa.maintenance.cli import parse_days, stale_warnings

        for warning in stale_warnings(base, parse_days(args.stale)):
            print(warning)
    return 0


def _lines(stream: Any) -> Iterator[str]:
    """Standard input line by line, decoded leniently so binary noise is a question like any other."""
    for raw in stream.buffer if hasattr(stream, "buffer") else stream:
        line = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
        yield line.rstrip("\r\n")


def _cmd_ask(args: argparse.Namespace) -> int:
    from jinshui_qa.bootstrap import bootstrap
    from jinshui_qa.conversation.assistant import Session

    assistant = bootstrap(args.facts)
    single = args.question is not None
    questions: Iterator[str] = iter([" ".join(args.question)]) if single else _lines(sys.stdin)
    session = Session()
    for turn, question in enumerate(questions):
        reply = assistant.reply(question, session if args.dialog else Session(), now=float(turn))
        if args.json:
            print(json.dumps(reply.to_json(), ensure_ascii=False))
        else:
            print(reply.text if single else reply.text.replace("\n", " "))
        sys.stdout.flush()
    return 0


def _cmd_chat(args: argparse.Namespace) -> int:
    from jinshui_qa.console.repl import Notices, one_line_logs, run_console
    from jinshui_qa.facts.live import LiveAssistant
    from jinshui_qa.facts.loader import facts_dir
    from jinshui_qa.storage.question_log import QuestionLog
    from jinshui_qa.telegram.settings import data_dir

    data = data_dir()
    notices = Notices(sys.stdout, interactive=sys.stdin.isatty() and sys.stdout.isatty())
    live = LiveAssistant(facts_dir(args.facts), on_reload=notices.reloaded, on_problems=notices.problems)
    with one_line_logs(), live, QuestionLog.in_dir(data) as questions:
        return run_console(
            live,
            stdin=sys.stdin,
            stdout=sys.stdout,
            history=data / "history",
            recorder=questions,
            notices=notices,
        )


def _cmd_eval(args: argparse.Namespace) -> int:
    import yaml

    from jinshui_qa.bootstrap import bootstrap
    from jinshui_qa.evaluation.evaluate import default_levels, evaluate, sweep

    assistant = bootstrap(args.facts)
    path = Path(args.file)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    report = evaluate(assistant, data)
    summary = report.summary()
    failures = []
    if report.accuracy < args.min_accuracy:
        failures.append(f"accuracy {report.accuracy:.2%} < {args.min_accuracy:.2%}")
    if report.false_answer_rate > args.max_false_answers:
        failures.append(f"false answers {report.false_answer_rate:.2%} > {args.max_false_answers:.2%}")
    if report.dialogue_accuracy < args.min_dialogue:
        failures.append(f"dialogue accuracy {report.dialogue_accuracy:.2%} < {args.min_dialogue:.2%}")
    curve = sweep(assistant, data, default_levels()) if args.sweep else []
    if args.json:
        misses = [m.__dict__ for m in report.misses]
        print(
            json.dumps(
                {**summary, "misses": misses, "sweep": curve, "failures": failures}, ensure_ascii=False
            )
        )
        return 1 if failures else 0
    print(f"evaluation set: {path.name}")
    print(f"in-scope top-1 accuracy   {report.accuracy:7.2%}  ({report.correct}/{report.in_scope})")
    print(
        f"out-of-scope answered     {report.false_answer_rate:7.2%}  ({report.false_answers}/{report.out_of_scope})"
    )
    print(f"follow-up dialogue turns  {report.dialogue_accuracy:7.2%}  ({report.turns_ok}/{report.turns})")
    print(f"small talk recognised     {summary['smalltalk_accuracy']:7.2%}")
    print(f"clarify rate {summary['clarify_rate']:.2%}, fallback rate {summary['fallback_rate']:.2%}")
    print(f"latency per question: p50 {summary['latency_ms_p50']} ms, p99 {summary['latency_ms_p99']} ms")
    print("per topic:")
    for topic, (ok, total) in sorted(report.per_topic.items()):
        print(f"  {topic:<12} {ok / total:7.2%}  ({ok}/{total})")
    if report.per_kind:
        print("per kind:")
        for kind, (ok, total) in sorted(report.per_kind.items()):
            print(f"  {kind:<14} {ok / total:7.2%}  ({ok}/{total})")
    print(f"misses ({len(report.misses)}):")
    for m in report.misses:
        where = f" [{m.dialogue}]" if m.dialogue else ""
        print(f"  {m.question!r}: expected {m.expect}, got {m.got} (score {m.score}){where}")
    if curve:
        print("threshold sweep (answer_at: accuracy / false answers / clarify / dialogues):")
        for row in curve:
            print(f"  {row['answer_at']:5.1f}: {row['accuracy']:7.2%} / {row['false_answer_rate']:6.2%} / "
                  f"{row['clarify_rate']:6.2%} / {row['dialogue_accuracy']:7.2%}")  # fmt: skip
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


def build_parser(core_only: bool = False) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jinshui-qa", description="Questions and answers about Jinshui District."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def facts_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--facts", metavar="DIR", help="facts directory (default: $JQA_FACTS_DIR, then ./facts)"
        )

    check = sub.add_parser("check", help="validate the facts YAML files")
    facts_option(check)
    check.add_argument("--stale", metavar="AGE", help="also warn about facts verified longer ago (e.g. 365d)")
    check.set_defaults(func=_cmd_check)

    ask = sub.add_parser("ask", help="answer a question, or one per line of standard input")
    ask.add_argument("question", nargs="*", default=None, help="the question (omit to read standard input)")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.add_argument("--dialog", action="store_true", help="treat input lines as turns of one conversation")
    facts_option(ask)
    ask.set_defaults(func=_cmd_ask)

    chat = sub.add_parser("chat", help="chat in the console")
    facts_option(chat)
    chat.set_defaults(func=_cmd_chat)

    ev = sub.add_parser("eval", help="measure accuracy on an evaluation set")
    ev.add_argument("file", nargs="?", default=str(EVAL_FILE), help="evaluation YAML (default: tests/eval)")
    ev.add_argument("--sweep", action="store_true", help="also show accuracy vs false answers by threshold")
    ev.add_argument("--json", action="store_true", help="print the report as JSON")
    ev.add_argument("--min-accuracy", type=float, default=0.0, metavar="X")
    ev.add_argument("--max-false-answers", type=float, default=1.0, metavar="X")
    ev.add_argument("--min-dialogue", type=float, default=0.0, metavar="X")
    facts_option(ev)
    ev.set_defaults(func=_cmd_eval)

    if not core_only:  # their imports (SQLite, asyncio, reporting) cost ~0.17 s that `ask` never needs
        from jinshui_qa.maintenance import cli as maintenance_cli
        from jinshui_qa.telegram import cli as telegram_cli
        from jinshui_qa.web import serve as web_cli  # argparse only: FastAPI is imported when `web` runs

        maintenance_cli.add_parsers(sub)
        telegram_cli.add_parser(sub)
        web_cli.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(core_only=bool(argv) and argv[0] in CORE_COMMANDS).parse_args(argv)
    if getattr(args, "question", None) == []:
        args.question = None
    started = time.perf_counter()
    try:
        code: int = args.func(args)
    except FactsDirMissing as exc:
        print(f"jinshui-qa: {exc}", file=sys.stderr)
        return 2
    except FactsInvalid as exc:
        print(f"jinshui-qa: the facts are invalid: {exc} (run `jinshui-qa check`)", file=sys.stderr)
        return 1
    except JinshuiQAError as exc:
        print(f"jinshui-qa: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    finally:
        if os.environ.get("JQA_TIMING"):
            print(f"[{(time.perf_counter() - started) * 1000:.0f} ms]", file=sys.stderr)
    return code
