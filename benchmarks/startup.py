"""Start-up time of the commands that run often: the container healthcheck (every 30 s) and `ask`.

    PYTHONPATH=src python benchmarks/startup.py [--runs 10]

Each command runs in a fresh interpreter, as the container and scripts run it; prints the median and
the fastest of ``--runs`` wall-clock times next to a bare ``python -c pass`` for scale.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "jinshui-qa bot --healthcheck": [sys.executable, "-m", "jinshui_qa", "bot", "--healthcheck"],
    "jinshui-qa ask 高企有几家": [sys.executable, "-m", "jinshui_qa", "ask", "高企有几家"],
}


def measure(argv: list[str], runs: int, env: dict[str, str]) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "JQA_DATA_DIR": data}
        for name, argv in COMMANDS.items():
            times = measure(argv, args.runs, env)
            print(
                f"{name:<32} median {statistics.median(times) * 1000:6.0f} ms   best {min(times) * 1000:6.0f} ms"
            )


if __name__ == "__main__":
    main()
