"""What each stage of understanding adds, measured on the evaluation sets (issues 4 and 9).

    PYTHONPATH=src .venv/bin/python benchmarks/ablation.py [--set dev|test] [--json]

Runs ``jinshui_qa.evaluation.evaluate`` with the full pipeline, then with one stage switched off at a
time by configuration (:class:`~jinshui_qa.routing.settings.RouterSettings`, never by patching): OpenCC,
the Chinese-numeral pass, the vocabulary's synonyms, the colloquial lexicon, the pinyin channel, subject
names, the frame checks (period, scope, attribute, place), unplaced content words, asking clauses of long
messages, follow-up reading and latest-period choice. Prints in-scope accuracy, false answers and
dialogue accuracy, then accuracy per kind of question.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from jinshui_qa.bootstrap import assistant_for
from jinshui_qa.evaluation.evaluate import evaluate
from jinshui_qa.facts.loader import load
from jinshui_qa.routing.settings import RouterSettings

EVAL = Path(__file__).resolve().parents[1] / "tests" / "eval"

VARIANTS: dict[str, dict[str, Any]] = {
    "full pipeline": {},
    "no OpenCC (traditional)": {"traditional": False},
    "no Chinese numerals": {"numerals": False},
    "no shared synonyms": {"synonyms": False},
    "no colloquial lexicon": {"colloquial": False},
    "no pinyin channel": {"pinyin": False},
    "no subject names": {"subjects": False},
    "no frame checks": {"frame_checks": False},
    "no unplaced words": {"unplaced_words": False},
    "no frames at all": {"frame_checks": False, "unplaced_words": False},
    "no asking clauses": {"clauses": False},
    "no follow-up reading": {"followups": False},
}


def run(name: str, data: dict[str, Any]) -> dict[str, Any]:
    settings = replace(RouterSettings(), **VARIANTS[name])
    report = evaluate(assistant_for(load(), settings), data)
    kinds = {kind: round(ok / total, 3) for kind, (ok, total) in sorted(report.per_kind.items())}
    return {
        "variant": name,
        **{k: v for k, v in report.summary().items() if "latency" not in k},
        "kinds": kinds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--set", default="dev", choices=("dev", "test"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    data = yaml.safe_load((EVAL / f"{args.set}.yaml").read_text(encoding="utf-8"))
    rows = [run(name, data) for name in VARIANTS]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    print(f"{'variant':<26}{'in-scope':>9}{'false ans':>10}{'dialogue':>9}")
    for row in rows:
        print(f"{row['variant']:<26}{row['accuracy']:>9.1%}{row['false_answer_rate']:>10.1%}"
              f"{row['dialogue_accuracy']:>9.1%}")  # fmt: skip
    kinds = sorted({k for row in rows for k in row["kinds"]})
    print(f"\n{'kind':<18}" + "".join(f"{row['variant'][:10]:>11}" for row in rows))
    for kind in kinds:
        print(f"{kind:<18}" + "".join(f"{row['kinds'].get(kind, 0):>11.0%}" for row in rows))


if __name__ == "__main__":
    main()
