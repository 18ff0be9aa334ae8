"""Per-question latency of the product as a running bot sees it (warm), over an evaluation set.

    PYTHONPATH=src python benchmarks/latency.py [--set tests/eval/dev.yaml] [--rounds 3]

Builds the assistant as ``bootstrap`` does, asks every single question and dialogue turn of the set
once untimed (patterns compile on first use, memos fill), then times ``--rounds`` passes in which each
question starts a fresh session, and prints the median over rounds of p50, p90 and p99 in
milliseconds, with the load average (the machines are shared: compare runs made together).
``jinshui-qa eval`` prints latency too, but over one cold pass, first uses included.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path
from typing import Any

import yaml

from jinshui_qa.bootstrap import bootstrap
from jinshui_qa.conversation.assistant import Session


def questions(data: Any) -> list[str]:
    """Every ``q:`` string in the set (single questions, dialogue turns, compound items)."""
    found: list[str] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("q"), str):
                found.append(item["q"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return found


def percentiles(times: list[float]) -> tuple[float, float, float]:
    """p50, p90 and p99 of ``times`` (seconds), in milliseconds."""
    ordered = sorted(times)
    at = lambda share: ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000  # noqa: E731
    return at(0.5), at(0.9), at(0.99)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="tests/eval/dev.yaml", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asked = questions(yaml.safe_load(args.set.read_text(encoding="utf-8")))
    assistant = bootstrap()
    for text in asked:
        assistant.reply(text, Session())
    rounds = []
    for _ in range(args.rounds):
        times = []
        for text in asked:
            start = time.perf_counter()
            assistant.reply(text, Session())
            times.append(time.perf_counter() - start)
        rounds.append(percentiles(times))
    p50, p90, p99 = (statistics.median(r[k] for r in rounds) for k in range(3))
    print(f"{args.set.name}: {len(asked)} questions x {args.rounds} rounds, warm, fresh session each")
    print(f"p50 {p50:.2f} ms   p90 {p90:.2f} ms   p99 {p99:.2f} ms   load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
