"""Start-up time of the commands that run often: the container healthcheck (every 30 s) and `ask`.

    PYTHONPATH=src python benchmarks/startup.py [--runs 10] [--bytecode]

Each command runs in a fresh interpreter, as the container and scripts run it; prints the median and
the fastest of ``--runs`` wall-clock times next to a bare ``python -c pass`` for scale. The data
directory is a fresh temporary one, so the first ``ask`` builds the index snapshot and the others
start from it (the median is a start from the snapshot).

``--bytecode`` lets Python keep compiled bytecode (in a temporary ``PYTHONPYCACHEPREFIX``, after one
untimed run), as an installed wheel has it; without it, where ``PYTHONDONTWRITEBYTECODE`` is set (this
machine's shell, the container), every start compiles the package's source again.
"""

from __future__ import annotations

import argparse
import os
import resource
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


def measure(argv: list[str], runs: int, env: dict[str, str]) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (user + system) seconds of each run: the CPU time is what the wall time
    would be on an idle machine, so it is the figure to compare on a loaded one."""
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return times, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--bytecode", action="store_true", help="keep compiled bytecode between runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data, tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "JQA_DATA_DIR": data}
        if args.bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = cache
        for name, argv in COMMANDS.items():
            measure(argv, 1, env)  # untimed: writes the snapshot (and the bytecode)
            times, cpu = measure(argv, args.runs, env)
            print(f"{name:<32} median {statistics.median(times) * 1000:6.0f} ms   best {min(times) * 1000:6.0f} ms"
                  f"   cpu median {statistics.median(cpu) * 1000:6.0f} ms")  # fmt: skip
    print(f"load average {os.getloadavg()[0]:.2f} (2 cores)")


if __name__ == "__main__":
    main()
