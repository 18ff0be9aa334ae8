"""What each piece of input understanding adds, measured on the evaluation set (issue 4).

    .venv/bin/python benchmarks/ablation.py [--json]

Runs ``jinshui_qa.evaluation.evaluate`` on tests/eval/dev.yaml with the full pipeline, then with one piece
switched off at a time: OpenCC traditional-to-simplified, the Chinese-numeral pass, the shared
vocabulary's synonyms, the pinyin channel (pypinyin), the vetoes, and follow-up reading. Prints
accuracy per kind of question (typo, traditional, pinyin, numeral, english...), false answers and
dialogue accuracy for each, so the choice of each library rests on what it adds here.
"""

from __future__ import annotations

import argparse
import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import yaml

from jinshui_qa.bootstrap import assistant_for
from jinshui_qa.evaluation.evaluate import evaluate
from jinshui_qa.facts.loader import load
from jinshui_qa.facts.schema import Vocabulary
from jinshui_qa.routing.router import Router
from jinshui_qa.text import normalize

EVAL = Path(__file__).resolve().parents[1] / "tests" / "eval" / "dev.yaml"


@contextlib.contextmanager
def nothing() -> Iterator[None]:
    yield


def without_opencc() -> contextlib.AbstractContextManager[Any]:
    return mock.patch.object(normalize, "to_simplified", lambda text: text)


def without_numerals() -> contextlib.AbstractContextManager[Any]:
    return mock.patch.object(normalize, "arabic_numerals", lambda text: text)


def without_vetoes() -> contextlib.AbstractContextManager[Any]:
    return mock.patch.object(Router, "_veto", lambda self, folded, fact: "")


def without_followups() -> contextlib.AbstractContextManager[Any]:
    return mock.patch.object(Router, "_is_followup", lambda self, folded, canonical, alone: False)


VARIANTS: dict[str, tuple[Callable[[], contextlib.AbstractContextManager[Any]], dict[str, Any]]] = {
    "full pipeline": (nothing, {}),
    "no OpenCC (traditional)": (without_opencc, {}),
    "no Chinese numerals": (without_numerals, {}),
    "no shared synonyms": (nothing, {"synonyms": False}),
    "no pinyin channel": (nothing, {"with_pinyin": False}),
    "no vetoes": (without_vetoes, {}),
    "no follow-up reading": (without_followups, {}),
}


def run(name: str, data: dict[str, Any]) -> dict[str, Any]:
    patch, options = VARIANTS[name]
    base = load()
    if options.get("synonyms") is False:
        v = base.vocabulary
        base = type(base)(base.facts, base.topics, base.reports,
                          Vocabulary({}, v.stopwords, v.other_places, v.not_covered, v.measures))  # fmt: skip
    with patch():
        assistant = assistant_for(base, with_pinyin=options.get("with_pinyin", True))
        report = evaluate(assistant, data)
    kinds = {kind: round(ok / total, 3) for kind, (ok, total) in sorted(report.per_kind.items())}
    return {
        "variant": name,
        **{k: v for k, v in report.summary().items() if "latency" not in k},
        "kinds": kinds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    data = yaml.safe_load(EVAL.read_text(encoding="utf-8"))
    rows = [run(name, data) for name in VARIANTS]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    kinds = sorted({k for row in rows for k in row["kinds"]})
    print(
        f"{'variant':<26}{'in-scope':>9}{'false ans':>10}{'dialogue':>9}  "
        + " ".join(f"{k[:8]:>8}" for k in kinds)
    )
    for row in rows:
        cells = " ".join(f"{row['kinds'].get(k, 0):>8.1%}" for k in kinds)
        print(f"{row['variant']:<26}{row['accuracy']:>9.1%}{row['false_answer_rate']:>10.1%}"
              f"{row['dialogue_accuracy']:>9.1%}  {cells}")  # fmt: skip


if __name__ == "__main__":
    main()
