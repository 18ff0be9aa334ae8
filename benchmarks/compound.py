"""What reading compound questions costs: latency of ``Assistant.reply`` (with the compound path) against
``Assistant.reply_one`` (the single-question path alone), on single and on compound questions.

    PYTHONPATH=src .venv/bin/python benchmarks/compound.py [--repeat 5]

Single questions: tests/eval/questions.yaml; compound ones: tests/eval/dev_compound.yaml. Prints the
median and the 99th percentile in milliseconds per question.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from jinshui_qa.bootstrap import bootstrap
from jinshui_qa.conversation.assistant import Reply, Session

EVAL = Path(__file__).resolve().parents[1] / "tests" / "eval"


def timings(
    answer: Callable[[str, Session], Reply], questions: list[str], repeat: int
) -> tuple[float, float]:
    took = []
    for _ in range(repeat):
        for question in questions:
            started = time.perf_counter()
            answer(question, Session())
            took.append((time.perf_counter() - started) * 1000)
    took.sort()
    return statistics.median(took), took[min(len(took) - 1, int(len(took) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    assistant = bootstrap()
    single = [str(q["q"]) for q in yaml.safe_load((EVAL / "questions.yaml").read_text("utf-8"))["questions"]]
    compound = [
        str(q["q"]) for q in yaml.safe_load((EVAL / "dev_compound.yaml").read_text("utf-8"))["compound"]
    ]
    assistant.reply(single[0])  # warm the lazy parts (the gazetteer is built at the first compound message)
    rows = [
        ("single questions, reply_one", timings(assistant.reply_one, single, args.repeat)),
        ("single questions, reply", timings(assistant.reply, single, args.repeat)),
        ("compound questions, reply", timings(assistant.reply, compound, args.repeat)),
    ]
    for name, (p50, p99) in rows:
        print(f"{name:<30} p50 {p50:6.2f} ms   p99 {p99:6.2f} ms")


if __name__ == "__main__":
    main()
