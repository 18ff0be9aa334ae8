"""The ``jinshui-qa`` command line: opens what a command needs, calls the library, prints the result.

jinshui-qa check [--facts DIR] [--stale 365d]
jinshui-qa ask [QUESTION] [--json] [--dialog] [--facts DIR]
jinshui-qa chat [--facts DIR] [--data-dir DIR]
jinshui-qa eval [FILE] [--sweep] [--json] [--min-accuracy X --max-false-answers X --min-dialogue X]
jinshui-qa build | report | suggest | audit ...   (maintenance/cli.py)
jinshui-qa bot [--healthcheck] ...                (telegram/cli.py)
jinshui-qa web [--host 127.0.0.1] [--port 8080] [--facts DIR] [--data-dir DIR]   (web/serve.py)

Errors end as one line on standard error: argparse's for a malformed argument (exit 2), the project's
own (:mod:`jinshui_qa.errors`) and OS errors mapped in :func:`main`; a bug shows its traceback only
with ``JQA_DEBUG=1``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

from jinshui_qa.errors import FactsDirMissing, FactsInvalid, JinshuiQAError

if TYPE_CHECKING:
    import argparse

    from jinshui_qa.conversation.assistant import Reply

CORE_COMMANDS = frozenset({"check", "ask", "chat", "eval"})
MAINTENANCE_COMMANDS = frozenset({"build", "report", "suggest", "audit"})


def _cmd_check(args: argparse.Namespace) -> int:
    from jinshui_qa.facts.loader import load
    from jinshui_qa.facts.policy import phrasing_problems

    try:
        base = load(args.facts)
        problems = phrasing_problems(base.facts)
        if problems:
            raise FactsInvalid(problems)
    except FactsInvalid as exc:
        for problem in exc.problems:
            print(problem)
        print(f"{len(exc.problems)} problem(s) found", file=sys.stderr)
        return 1
    print(f"ok: {len(base.facts)} facts, {base.phrasing_count} phrasings, {len(base.topics)} topics")
    if args.stale is not None:
        from jinshui_qa.maintenance.cli import stale_warnings

        for warning in stale_warnings(base, args.stale):
            print(warning)
    return 0


def _lines(stream: Any) -> Iterator[str]:
    """Standard input line by line, decoded leniently so binary noise is a question like any other."""
    for raw in stream.buffer if hasattr(stream, "buffer") else stream:
        line = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
        yield line.rstrip("\r\n")


def _cmd_ask(args: argparse.Namespace) -> int:
    import gc

    # The start (imports, the snapshot, the router) leaves some 450 objects in cycles, and the collector
    # ran 51 times looking for them (3% of a one-question `ask`): it rests until the assistant is built
    # and frozen (bootstrap calls gc.freeze(), which keeps those few), and collects what comes after.
    enabled = gc.isenabled()
    gc.disable()
    try:
        from jinshui_qa.bootstrap import bootstrap
        from jinshui_qa.conversation.assistant import Session
        from jinshui_qa.settings import data_dir

        assistant = bootstrap(args.facts, data=data_dir())  # through the data directory's index snapshot
    finally:
        if enabled:
            gc.enable()
    single = args.question is not None
    shown = _json_line if args.json else _plain_text if single else _plain_line
    # Bytes that are not UTF-8 reach argv as lone surrogates: decode them leniently, like standard input.
    typed = " ".join(args.question or []).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    questions: Iterator[str] = iter([typed]) if single else _lines(sys.stdin)
    session = Session()
    for turn, question in enumerate(questions):
        print(shown(assistant.reply(question, session if args.dialog else Session(), now=float(turn))))
        sys.stdout.flush()
    return 0


def _json_line(reply: Reply) -> str:
    """The reply as JSON, C1 and bidi controls escaped as well (json.dumps escapes only C0): still valid."""
    import json

    from jinshui_qa.maintenance.terminal import terminal_safe

    return terminal_safe(json.dumps(reply.to_json(), ensure_ascii=False), json_escape=True)


def _plain_text(reply: Reply, *, one_line: bool = False) -> str:
    """The reply's text (``one_line``: its line breaks as spaces, one reply per line of standard input):
    no control character from the question reaches the terminal."""
    from jinshui_qa.text.visible import visible

    return visible(reply.text.replace("\n", " ") if one_line else reply.text)


def _plain_line(reply: Reply) -> str:
    return _plain_text(reply, one_line=True)


def _cmd_chat(args: argparse.Namespace) -> int:
    from jinshui_qa.bootstrap import open_runtime
    from jinshui_qa.console.logs import LOG_FILE, one_line_logs
    from jinshui_qa.console.repl import Notices, run_console

    notices = Notices(sys.stdout, interactive=sys.stdin.isatty() and sys.stdout.isatty())
    runtime = open_runtime(
        args.facts, args.data_dir, on_reload=notices.reloaded, on_problems=notices.problems
    )
    with one_line_logs(log_file=runtime.data_dir / LOG_FILE), runtime:
        recorder = runtime.question_log()  # ConfigError (no usable hash key) before the greeting
        with runtime.live:
            return run_console(
                runtime.live,
                stdin=sys.stdin,
                stdout=sys.stdout,
                history=runtime.data_dir / "history",
                recorder=recorder,
                notices=notices,
                reload=runtime.live.reload,  # /reload: deleted and renamed files taken too
            )


def _cmd_eval(args: argparse.Namespace) -> int:
    from pathlib import Path

    from jinshui_qa.errors import EvalSetInvalid
    from jinshui_qa.evaluation.command import DEFAULT_FILE, run_eval

    given = Path(args.file) if args.file else None
    if given is not None and given.exists() and not given.is_file():  # a directory, /dev/zero, a FIFO
        raise EvalSetInvalid(f"{given}: not a regular file")

    return run_eval(args.file or str(DEFAULT_FILE), args.facts, min_accuracy=args.min_accuracy, max_false_answers=args.max_false_answers,
                    min_dialogue=args.min_dialogue, with_sweep=args.sweep, as_json=args.json, out=sys.stdout,
                    err=sys.stderr)  # fmt: skip


def _days(text: str) -> float:
    from jinshui_qa.maintenance.periods import argument, parse_days

    return argument(parse_days)(text)


def _columns() -> int:
    """``shutil.get_terminal_size().columns``, read the same way without importing :mod:`shutil`."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def _parser_class() -> type[argparse.ArgumentParser]:
    """An ArgumentParser whose help is as wide as argparse would make it (the terminal, less 2) without its
    ``import shutil`` (with lzma and bz2: 5 ms), its sub-parsers too. Made here: ``ask`` imports no argparse."""
    import argparse

    class Parser(argparse.ArgumentParser):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("formatter_class", lambda prog: argparse.HelpFormatter(prog, width=_columns() - 2))  # fmt: skip
            super().__init__(*args, **kwargs)

    return Parser


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole parser, or (``command``) only what that command needs: ``ask`` and the healthcheck
    (``bot``) must not pay for the maintenance commands' imports (SQLite, rapidfuzz, reporting)."""
    parser = _parser_class()(prog="jinshui-qa", description="Questions and answers about Jinshui District.")
    # the sub-parsers are of the parser's class too (argparse makes them so): the same help width
    sub = parser.add_subparsers(dest="command", required=True)

    def facts_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--facts", metavar="DIR", help="facts directory (default: $JQA_FACTS_DIR, then ./facts)"
        )

    check = sub.add_parser("check", help="validate the facts YAML files")
    facts_option(check)
    check.add_argument(
        "--stale", metavar="AGE", type=_days, help="also warn about facts verified longer ago (e.g. 365d)"
    )
    check.set_defaults(func=_cmd_check)

    ask = sub.add_parser("ask", help="answer a question, or one per line of standard input")
    ask.add_argument("question", nargs="*", default=None, help="the question (omit to read standard input)")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.add_argument("--dialog", action="store_true", help="treat input lines as turns of one conversation")
    facts_option(ask)
    ask.set_defaults(func=_cmd_ask)

    chat = sub.add_parser("chat", help="chat in the console")
    facts_option(chat)
    chat.add_argument("--data-dir", metavar="DIR", help="where questions and history are kept (default: "
                      "$JQA_DATA_DIR or ~/.local/share/jinshui-qa)")  # fmt: skip
    chat.set_defaults(func=_cmd_chat)

    ev = sub.add_parser("eval", help="measure accuracy on an evaluation set")
    ev.add_argument("file", nargs="?", default=None, help="evaluation YAML (default: tests/eval/dev.yaml)")
    ev.add_argument("--sweep", action="store_true", help="also show accuracy vs false answers by threshold")
    ev.add_argument("--json", action="store_true", help="print the report as JSON")
    ev.add_argument("--min-accuracy", type=float, default=0.0, metavar="X", help="0.97 or 97 (percent)")
    ev.add_argument("--max-false-answers", type=float, default=1.0, metavar="X", help="0.03 or 3 (percent)")
    ev.add_argument("--min-dialogue", type=float, default=0.0, metavar="X", help="0.9 or 90 (percent)")
    facts_option(ev)
    ev.set_defaults(func=_cmd_eval)

    if command is None or command in MAINTENANCE_COMMANDS:
        from jinshui_qa.maintenance import cli as maintenance_cli

        maintenance_cli.add_parsers(sub)
    if command is None or command == "bot":
        from jinshui_qa.telegram import cli as telegram_cli

        telegram_cli.add_parser(sub)
    if command is None or command == "web":
        from jinshui_qa.web import serve as web_cli  # argparse only: FastAPI is imported when `web` runs

        web_cli.add_parser(sub)
    return parser


def _facts_exist(explicit: str | None) -> None:
    """``--facts DIR`` names a directory, else FactsDirMissing (not "sources.yaml:0: missing" from inside)."""
    if explicit:
        from pathlib import Path

        path = Path(explicit)
        if not path.is_dir():
            state = "is not a directory" if path.exists() else "does not exist"
            raise FactsDirMissing(f"facts directory {path} (from --facts) {state}")


def plain_ask(argv: Sequence[str]) -> argparse.Namespace | None:
    """``ask`` and words, none starting with ``-``: the namespace argparse gives, without importing it or
    building the parser (3% of a one-question ``ask``); None for any other command line."""
    if not argv or argv[0] != "ask" or any(word.startswith("-") for word in argv[1:]):
        return None
    return cast("argparse.Namespace", SimpleNamespace(command="ask", question=list(argv[1:]), json=False,
                                                      dialog=False, facts=None, func=_cmd_ask))  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    known = CORE_COMMANDS | MAINTENANCE_COMMANDS | {"bot", "web"}
    args = plain_ask(argv) or build_parser(argv[0] if argv and argv[0] in known else None).parse_args(argv)
    if getattr(args, "question", None) == []:
        args.question = None
    started = time.perf_counter()
    try:
        _facts_exist(getattr(args, "facts", None))
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
    except OSError as exc:  # a file the command was pointed at: missing, a directory, not readable
        where = f" {exc.filename}" if exc.filename else ""
        print(f"jinshui-qa: cannot use{where}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: one line for the user, the traceback with JQA_DEBUG=1
        if os.environ.get("JQA_DEBUG"):
            raise
        print(f"jinshui-qa: internal error ({type(exc).__name__}: {str(exc)[:200]}); rerun with JQA_DEBUG=1 "
              "for the details and report it", file=sys.stderr)  # fmt: skip
        return 70
    finally:
        if os.environ.get("JQA_TIMING"):
            print(f"[{(time.perf_counter() - started) * 1000:.0f} ms]", file=sys.stderr)
    return code
