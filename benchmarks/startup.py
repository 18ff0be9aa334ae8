"""Start-up time of the commands that run often: the container healthcheck (every 30 s) and `ask`.

    PYTHONPATH=src python benchmarks/startup.py [--runs 10] [--bytecode] [--phases] [--instructions]
                                                [--src DIR]

Each command runs in a fresh interpreter, as the container and scripts run it; prints the median and
the fastest of ``--runs`` wall-clock times, and the median CPU time (user + system, which the other
processes on a loaded machine inflate less), next to a bare ``python -c pass`` for scale. The data
directory is a fresh temporary one, so the first ``ask`` builds the index snapshot and the others
start from it (the median is a start from the snapshot, as a user's second ``ask``). The commands
run as ``python -m jinshui_qa``, and the last also as the installed ``jinshui-qa`` script (beside
``sys.executable``), which a user runs and which does not import :mod:`runpy`.

``--bytecode`` lets Python keep compiled bytecode (in a temporary ``PYTHONPYCACHEPREFIX``, after one
untimed run), as an installed wheel has it; without it, where ``PYTHONDONTWRITEBYTECODE`` is set (this
machine's shell, the container), every start compiles the package's source again.

``--phases`` also times the three phases of ``ask`` in a fresh interpreter each run (CPU ms, medians):
importing what ``ask`` imports, the start from the snapshot (``bootstrap``), and the first reply.
``--instructions`` also counts the instructions of one ``ask`` (the script, else ``python -m``) under
valgrind's callgrind, when valgrind is installed: exact, and the same on a loaded machine as on a
quiet one (wall and CPU times are not).
``--src DIR`` measures another tree's ``src`` (e.g. an older commit's, from ``git archive``).
``--against DIR`` then measures the last command (the script's ``ask``) of this tree and of the tree at
``DIR`` (its ``src``) alternately, run by run, each in its own data directory and bytecode cache: on a
machine others load, the two see the same minutes; prints each tree's wall and CPU medians.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUESTION = "金水区有多少家高新技术企业"
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "jinshui-qa bot --healthcheck": [sys.executable, "-m", "jinshui_qa", "bot", "--healthcheck"],
    "jinshui-qa ask 高企有几家": [sys.executable, "-m", "jinshui_qa", "ask", "高企有几家"],
    f"jinshui-qa ask {QUESTION}": [sys.executable, "-m", "jinshui_qa", "ask", QUESTION],
}
SCRIPT = Path(sys.executable).with_name("jinshui-qa")  # the console script a user runs (no runpy)
if SCRIPT.is_file():
    COMMANDS[f"{SCRIPT.name} ask {QUESTION} (script)"] = [str(SCRIPT), "ask", QUESTION]
# The phases of `ask` as cli._cmd_ask runs them, timed in CPU seconds; prints "import start reply".
PHASES = f"""
import time
t0 = time.process_time()
import jinshui_qa.cli
from jinshui_qa.bootstrap import bootstrap
from jinshui_qa.conversation.assistant import Session
from jinshui_qa.settings import data_dir
from jinshui_qa.text.visible import visible
t1 = time.process_time()
assistant = bootstrap(None, data=data_dir())
t2 = time.process_time()
visible(assistant.reply({QUESTION!r}, Session(), now=0.0).text)
t3 = time.process_time()
print(t1 - t0, t2 - t1, t3 - t2)
"""


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


def phases(runs: int, env: dict[str, str]) -> list[float]:
    """Median CPU seconds of import, start from the snapshot and first reply, each run in a fresh
    interpreter."""
    rows = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", PHASES], env=env, capture_output=True, text=True, check=True
        )
        rows.append([float(x) for x in out.stdout.split()])
    return [statistics.median(column) for column in zip(*rows, strict=True)]


def instructions(argv: list[str], env: dict[str, str]) -> int | None:
    """Instructions executed by one run of ``argv`` (valgrind's callgrind), or None without valgrind."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    with tempfile.TemporaryDirectory() as out:
        run = subprocess.run([valgrind, "--tool=callgrind", f"--callgrind-out-file={out}/cg.out", *argv],
                             env=env, capture_output=True, text=True, check=False)  # fmt: skip
    found = re.search(r"Collected : (\d+)", run.stderr)
    return int(found.group(1)) if found else None


def _env(src: str, data: str, cache: str, bytecode: bool) -> dict[str, str]:
    env = {**os.environ, "JQA_DATA_DIR": data, "PYTHONPATH": os.path.abspath(src)}
    env.setdefault("JQA_FACTS_DIR", str(Path(__file__).resolve().parents[1] / "facts"))
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = cache
    return env


def against(src: str, other: str, runs: int, bytecode: bool) -> None:
    """The last command of :data:`COMMANDS` for the trees ``src`` and ``other``, run by run in turn."""
    name, argv = list(COMMANDS.items())[-1]
    trees = {"this": src, "against": other}
    with tempfile.TemporaryDirectory() as tmp:
        envs = {}
        for tree, path in trees.items():
            os.makedirs(f"{tmp}/{tree}/data")
            envs[tree] = _env(path, f"{tmp}/{tree}/data", f"{tmp}/{tree}/cache", bytecode)
            for _ in range(2):  # untimed: the snapshot, the bytecode, the start's own files
                subprocess.run(argv, env=envs[tree], capture_output=True, check=True)
        loads = [os.getloadavg()[0]]
        measured: dict[str, tuple[list[float], list[float]]] = {tree: ([], []) for tree in trees}
        for _ in range(runs):
            for tree in trees:
                times, cpu = measure(argv, 1, envs[tree])
                measured[tree][0].extend(times)
                measured[tree][1].extend(cpu)
        loads.append(os.getloadavg()[0])
    print(f"{name}, {runs} runs each, alternated:")
    for tree, (times, cpu) in measured.items():
        print(f"  {tree:<8} {trees[tree]:<40} wall median {statistics.median(times) * 1000:6.0f} ms"
              f"   cpu median {statistics.median(cpu) * 1000:6.0f} ms")  # fmt: skip
    print(f"load average {min(loads):.2f}-{max(loads):.2f} (2 cores)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--bytecode", action="store_true", help="keep compiled bytecode between runs")
    parser.add_argument("--phases", action="store_true", help="also time ask's phases (CPU, in process)")
    parser.add_argument("--instructions", action="store_true", help="also count one ask's instructions")
    parser.add_argument("--src", metavar="DIR", help="the src directory to measure (default: PYTHONPATH)")
    parser.add_argument("--against", metavar="DIR", help="alternate the ask with the src directory DIR")
    args = parser.parse_args()
    if args.against:
        return against(
            args.src or os.environ.get("PYTHONPATH", "src"), args.against, args.runs, args.bytecode
        )
    with tempfile.TemporaryDirectory() as data, tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "JQA_DATA_DIR": data}
        if args.src:  # that tree's code on this checkout's facts (unless JQA_FACTS_DIR names others)
            env["PYTHONPATH"] = os.path.abspath(args.src)
            env.setdefault("JQA_FACTS_DIR", str(Path(__file__).resolve().parents[1] / "facts"))
        if args.bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = cache
        loads = [os.getloadavg()[0]]
        for name, argv in COMMANDS.items():
            # untimed: writes the snapshot (and the bytecode); an `ask` that fails is not measured (the
            # healthcheck fails by design here: no bot has written a heartbeat)
            first = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
            if "ask" in argv and first.returncode:
                sys.exit(f"{name} failed: {first.stderr.strip()}")
            times, cpu = measure(argv, args.runs, env)
            print(f"{name:<42} median {statistics.median(times) * 1000:6.0f} ms   best {min(times) * 1000:6.0f} ms"
                  f"   cpu median {statistics.median(cpu) * 1000:6.0f} ms")  # fmt: skip
            loads.append(os.getloadavg()[0])
        if args.phases:
            imported, started, replied = phases(args.runs, env)
            print(f"ask's phases (CPU ms, medians): import {imported * 1000:.0f}, start from the snapshot "
                  f"{started * 1000:.0f}, first reply {replied * 1000:.0f}")  # fmt: skip
            loads.append(os.getloadavg()[0])
        if args.instructions:
            name, argv = list(COMMANDS.items())[-1]
            count = instructions(argv, env)
            print(f"instructions, {name}: " + (f"{count / 1e6:.0f} M" if count else "valgrind not found"))
    print(f"load average {min(loads):.2f}-{max(loads):.2f} (2 cores)")


if __name__ == "__main__":
    main()
