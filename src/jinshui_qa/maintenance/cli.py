"""The maintainers' subcommands: ``build``, ``report``, ``suggest`` and ``audit``, plus ``check --stale``.

``add_parsers(subparsers)`` adds them to the main parser; each sets ``func(args) -> int`` (the exit code).
Facts come from ``--facts DIR`` (else ``$JQA_FACTS_DIR``, else the checkout's ``facts/``); the SQLite
files from ``--db PATH``, else ``--data-dir`` / ``$JQA_DATA_DIR`` / ``~/.local/share/jinshui-qa`` (where the
bot and the console log questions). Exit codes: 0 fine,
1 a finding (invalid facts, unsupported numbers, a failed apply), 2 cannot run (missing file or directory).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

from jinshui_qa import settings
from jinshui_qa.bootstrap import assistant_for
from jinshui_qa.errors import ConfigError, FactsDirMissing, FactsInvalid, StoreError
from jinshui_qa.facts.loader import facts_dir, load, read_files
from jinshui_qa.facts.schema import FactBase
from jinshui_qa.maintenance import audit, suggest
from jinshui_qa.maintenance import usage_report as reporting
from jinshui_qa.maintenance.arguments import (
    log_to_read,
    parse_selection,
    path_argument,
    positive_int,
    score,
    store_to_write,
)
from jinshui_qa.maintenance.periods import argument, parse_days, parse_since
from jinshui_qa.maintenance.terminal import terminal_safe
from jinshui_qa.storage.fact_store import STORE_FILE, build_store, facts_signature
from jinshui_qa.storage.question_log import LOG_FILE

__all__ = ["add_parsers", "data_dir", "parse_days", "parse_since", "stale_warnings"]


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--data-dir``, else ``JQA_DATA_DIR`` (environment over ``./.env``), else
    ``~/.local/share/jinshui-qa``: where the bot and the console log questions."""
    return settings.data_dir(explicit)


def _facts(args: argparse.Namespace) -> str | None:
    """``--facts``, else ``JQA_FACTS_DIR`` from the environment or ``./.env`` (as the bot reads it)."""
    return settings.facts_setting(args.facts)


def stale_warnings(base: FactBase, days: float, today: dt.date | None = None) -> list[str]:
    """One ``file:line: message`` warning per fact last verified more than ``days`` days ago."""
    today = today or dt.date.today()
    return [f"{f.file}:{f.line}: fact {f.id}: last verified {f.verified.isoformat()}, "
            f"{(today - f.verified).days} days ago (more than {days:g})"
            for f in audit.stale_facts(base, days, today)]  # fmt: skip


def _load(args: argparse.Namespace) -> FactBase | None:
    try:
        return load(_facts(args))
    except FactsDirMissing as exc:
        print(f"jinshui-qa: {exc}", file=sys.stderr)
    except FactsInvalid as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s); fix them with `jinshui-qa check`", file=sys.stderr)
    return None


def cmd_build(args: argparse.Namespace) -> int:
    base = _load(args)
    if base is None:
        return 1
    info = build_store(base, store_to_write(args), signature=facts_signature(facts_dir(_facts(args))))
    print(info.summary())
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    now = time.time()
    report = reporting.report_for(log_to_read(args), args.since, now, limit=args.limit)
    if args.json:  # JSON escapes C0 controls itself; DEL, C1 and bidi controls are escaped here as \uXXXX
        print(terminal_safe(json.dumps(report.to_json(), ensure_ascii=False, indent=2), json_escape=True))
    elif args.csv:
        sys.stdout.write(terminal_safe(report.to_csv()))
    else:
        print(terminal_safe(report.text()))
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    base = _load(args)
    if base is None:
        return 1
    now = time.time()
    report = reporting.report_for(log_to_read(args), args.since, now, limit=args.limit)
    clusters = [c for c in [*report.unanswered, *report.wrong_clusters] if c.count >= args.min_count]
    if not clusters:
        print("no unanswered questions to suggest for")
        return 0
    files = read_files(facts_dir(_facts(args)))
    suggestions = suggest.suggest(assistant_for(base), clusters, min_score=args.min_score, facts_files=files)
    for s in suggestions:
        print(terminal_safe(s.describe()))
    if args.apply is None:
        return 0
    chosen = _chosen(args.apply, suggestions)
    if not chosen:
        print("nothing to apply")
        return 0
    directory = facts_dir(_facts(args))
    _writable(directory)
    try:
        changed, problems = suggest.apply(directory, chosen, based_on=files)
    except OSError as exc:
        raise StoreError(
            f"cannot write the facts in {directory} ({exc.strerror or exc}); {ON_THE_HOST}"
        ) from None
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        why = (
            "a file changed meanwhile"
            if "changed meanwhile" in str(problems[0])
            else "the facts would not validate"
        )
        print(f"not applied: {why}; no file was changed", file=sys.stderr)
        return 1
    print(f"added {len(chosen)} phrasing(s) to {', '.join(changed)}; the facts validate")
    return 0


ON_THE_HOST = "run `jinshui-qa suggest --apply` on the host checkout (the container mounts facts/ read-only)"


def _writable(directory: Path) -> None:
    """StoreError before anything is suggested into a facts folder that cannot be written."""
    files = [directory, *directory.glob("*.yaml")]
    if not all(os.access(path, os.W_OK) for path in files):
        raise StoreError(f"the facts in {directory} are read-only; {ON_THE_HOST}")


def _chosen(selection: str, suggestions: list[suggest.Suggestion]) -> list[suggest.Suggestion]:
    phrasings = [s for s in suggestions if s.kind == "phrasing"]
    if selection == "all":
        return phrasings
    wanted = {int(n) for n in re.findall(r"\d+", selection)}
    new_facts = sorted(wanted & {s.number for s in suggestions if s.kind != "phrasing"})
    missing = sorted(wanted - {s.number for s in suggestions})
    if missing:
        numbers = ", ".join(map(str, missing))
        raise ConfigError(
            f"--apply {selection}: there is no suggestion {numbers} (see the numbered list above)"
        )
    if new_facts:
        numbers = ", ".join(map(str, new_facts))
        raise ConfigError(f"--apply {selection}: suggestion {numbers} needs a new fact, which --apply cannot "
                          "write: add it to facts/*.yaml by hand")  # fmt: skip
    return [s for s in phrasings if s.number in wanted]


def cmd_audit(args: argparse.Namespace) -> int:
    base = _load(args)
    if base is None:
        return 1
    source = Path(args.source)
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        print(f"jinshui-qa: cannot read the source report {source}: {reason}", file=sys.stderr)
        for line in audit.where_published(base):  # facts/sources.yaml: where to get the text
            print(f"  the report is {line}", file=sys.stderr)
        return 2
    files = read_files(facts_dir(_facts(args)))
    result = audit.audit(base, text, files)
    for line in result.lines(source.name):
        print(line)
    from jinshui_qa.maintenance import fidelity  # claims beyond numbers: relative time, merged categories

    narrower = {n: b for b, ns in base.vocabulary.broader.items() for n in ns}
    claims = [*fidelity.relative_time(base, files),
              *fidelity.merged_categories(base, narrower, base.vocabulary.equivalent, files)]  # fmt: skip
    print(f"fidelity problems ({len(claims)}):" if claims else "fidelity problems: none")
    for claim in claims:
        print(claim)
    from jinshui_qa.bootstrap import assistant_for
    from jinshui_qa.maintenance.computed_audit import audit_comparisons

    computed = audit_comparisons(assistant_for(base))  # comparison and two-part replies over pairs of facts
    for line in computed.lines():
        print(line)
    print(f"audit: {len(base.facts)} facts, {result.checked} numbers checked, {len(result.unsupported)} "
          f"unsupported, {len(result.uncovered)} source figure(s) uncovered")  # fmt: skip
    return 1 if result.unsupported or computed.problems or claims else 0


def add_parsers(subparsers: Any) -> None:
    """Add ``build``, ``report``, ``suggest`` and ``audit`` to an ``add_subparsers()`` object."""

    def facts(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--facts", metavar="DIR", help="facts directory (default: $JQA_FACTS_DIR or the checkout's)"
        )

    def db(p: argparse.ArgumentParser, what: str) -> None:
        p.add_argument(
            "--db",
            metavar="PATH",
            type=path_argument,
            help=f"the {what} (default: DATA_DIR/{p.get_default('db_name')})",
        )
        p.add_argument(
            "--data-dir",
            metavar="DIR",
            type=path_argument,
            help="data directory (default: $JQA_DATA_DIR or ~/.local/share/jinshui-qa)",
        )

    p = subparsers.add_parser("build", help="write the facts into an SQLite file")
    p.set_defaults(func=cmd_build, db_name=STORE_FILE)
    facts(p)
    db(p, "SQLite file to write")

    p = subparsers.add_parser("report", help="what people asked and what went unanswered")
    p.set_defaults(func=cmd_report, db_name=LOG_FILE)
    p.add_argument(
        "--since",
        default="7d",
        type=argument(parse_since),
        help="7d, 24h, 2w, a date (2026-11-01) or all (default: 7d)",
    )
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print JSON")
    fmt.add_argument("--csv", action="store_true", help="print CSV")
    p.add_argument(
        "--limit", type=positive_int, default=10, help="groups and questions per list (default: 10)"
    )
    db(p, "question log")

    p = subparsers.add_parser("suggest", help="phrasings to add for unanswered questions")
    p.set_defaults(func=cmd_suggest, db_name=LOG_FILE)
    p.add_argument(
        "--since", default="30d", type=argument(parse_since), help="look at questions since (default: 30d)"
    )
    apply_help = "append the suggested phrasings (all, or the numbered ones) to the YAML and re-validate"
    p.add_argument(
        "--apply", nargs="?", const="all", type=argument(parse_selection), metavar="N,N", help=apply_help
    )
    p.add_argument(
        "--min-count", type=positive_int, default=1, help="only groups asked at least this often (default: 1)"
    )
    score_help = f"below this nearest-fact score, say 'needs a new fact' (default: {suggest.SUGGEST_AT:g})"
    p.add_argument("--min-score", type=score, default=suggest.SUGGEST_AT, help=score_help)
    p.add_argument("--limit", type=positive_int, default=20, help="groups to look at (default: 20)")
    facts(p)
    db(p, "question log")

    p = subparsers.add_parser(
        "audit", help="check that every number in the facts occurs in the source report"
    )
    p.set_defaults(func=cmd_audit)
    p.add_argument("--source", required=True, metavar="REPORT.txt", help="the source report's text")
    facts(p)
