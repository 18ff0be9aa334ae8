"""The product's own configuration at scale (issue 14): what ``bootstrap`` builds, from YAML files.

    PYTHONPATH=src python benchmarks/router.py --product --sizes 1000,10000 [--queries 300] [--src DIR]

Per size, synthetic facts are written as YAML (benchmarks/fact_files.py, kept in ``--work``, not timed)
and three fresh processes run, so that each peak RSS is its own:

* ``build``: the full build from YAML with no snapshot (``Rebuilder.start``: read, validate, index,
  router, and write the snapshot), its wall and CPU time until the assistant is returned, ready to answer
  (``build_s``, ``build_cpu_s``: from 8,192 facts the snapshot is written meanwhile by a forked process),
  until the snapshot is on disk (``written_s``, ``written_cpu_s``, after ``Rebuilder.flush``; the
  writer's own CPU ``build_writer_cpu_s``), and peak RSS (this process's; ``children_peak_mb``: the
  largest of its workers and the writer);
* ``serve``: a start from the persisted snapshot (``cold s``), the questions of
  ``synthetic.make_queries`` routed one by one (p50, p99 wall ms, accuracy, false answers; CPU p50,
  p99 and max), each followed by a fixed pure-Python job, the probe (``probe_cpu_p50/p99/max``: the
  same work every time, so its spread is the machine's noise in the same minutes), a reload after
  editing one file (``LiveAssistant.reload``), the same questions again right after it
  (``reloaded_cpu_*``), and the peak RSS of the whole process. ``--serve-runs R`` runs it R times, each
  in a fresh process from the same snapshot: a figure of the row is the median of the runs' figures
  (every question of a run counts in that run's p99), and ``serve_runs`` keeps each run's;
* ``baseline``: rapidfuzz ``extractOne`` of the canonical question against every canonical phrasing
  (answering at ratio >= 60), on the same questions.

``--src DIR`` measures another source tree (e.g. an older commit's ``src``): without
``bootstrap.Rebuilder`` it builds with ``assistant_for(load(dir))`` and has no snapshot or reload.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BASELINE_CUTOFF = 60.0


def _cpu() -> float:
    """This process's CPU time (user + system), seconds, with its children's that ended (a full build's
    workers, :mod:`jinshui_qa.routing.pool`)."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def _children_cpu() -> float:
    """The CPU time of this process's children that ended (user + system), seconds."""
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return workers.ru_utime + workers.ru_stime


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, -(-len(ordered) * q // 100) - 1))]  # type: ignore[call-overload]


def _start(directory: Path, snapshot: Path) -> tuple[Any, Any]:
    """The assistant as the product starts it, and the Rebuilder (None for an older tree)."""
    try:
        from jinshui_qa.bootstrap import Rebuilder
    except ImportError:
        from jinshui_qa.bootstrap import assistant_for
        from jinshui_qa.facts.loader import load

        return assistant_for(load(directory)), None
    rebuilder = Rebuilder(snapshot=snapshot)
    return rebuilder.start(directory), rebuilder


def _queries(base: Any, n: int, seed: int) -> list[Any]:
    sys.path.insert(0, str(HERE))
    from synthetic import make_queries

    return list(make_queries(base, n + 10, seed))


def _scores(qs: list[Any], outcomes: list[tuple[bool, str | None]]) -> dict[str, float]:
    inside = [(q, o) for q, o in zip(qs, outcomes, strict=True) if q.expect]
    outside = [o for q, o in zip(qs, outcomes, strict=True) if not q.expect]
    return {
        "accuracy": round(sum(o[0] and o[1] == q.expect for q, o in inside) / max(1, len(inside)), 4),
        "false_answers": round(sum(o[0] for o in outside) / max(1, len(outside)), 4),
    }


def _latency(ms: list[float]) -> dict[str, float]:
    return {"p50": round(statistics.median(ms), 3), "p99": round(_pct(ms, 99), 3)}


def probe() -> int:
    """The same pure-Python work each call (about 1 ms): a dict of 6,000 keys made, then summed."""
    table = {}
    for i in range(6000):
        table[i * 7919 % 6007] = i
    return sum(table.values())


def _routed(
    router: Any, qs: list[Any], probe_ms: list[float] | None = None
) -> tuple[list[float], list[float], list[tuple[bool, str | None]]]:
    """Each question routed: wall ms, this thread's CPU ms, and (answered, fact id); with ``probe_ms``,
    the probe's CPU ms after each question, in the same minutes as the questions."""
    ms, cpu_ms, outcomes = [], [], []
    for q in qs:
        t, c = time.perf_counter(), time.thread_time()
        r = router.route(q.text)
        ms.append((time.perf_counter() - t) * 1000)
        cpu_ms.append((time.thread_time() - c) * 1000)
        outcomes.append((r.status == "answer", r.fact_id))
        if probe_ms is not None:
            c = time.thread_time()
            probe()
            probe_ms.append((time.thread_time() - c) * 1000)
    return ms, cpu_ms, outcomes


def phase(config: dict[str, Any]) -> dict[str, Any]:
    """One measurement in this (fresh) process; ``config``: phase, dir, snapshot, queries, seed."""
    directory, snapshot = Path(config["dir"]), Path(config["snapshot"])
    if config["phase"] == "restart":  # benchmarks/restart.py
        from restart import restart

        return restart(config)
    if config["phase"] == "build":
        snapshot.unlink(missing_ok=True)
        started, cpu = time.perf_counter(), _cpu()
        _, rebuilder = _start(directory, snapshot)
        ready_s, ready_cpu, children = time.perf_counter() - started, _cpu() - cpu, _children_cpu()
        out = {"build_s": round(ready_s, 2), "build_cpu_s": round(ready_cpu, 2), "build_peak_mb": _peak_mb()}
        if rebuilder is not None:  # the snapshot, written by a process forked once the assistant was built
            rebuilder.flush()
        out |= {"written_s": round(time.perf_counter() - started, 2), "written_cpu_s": round(_cpu() - cpu, 2),
                "build_writer_cpu_s": round(_children_cpu() - children, 2),  # the forked writer's, its fork's
                "children_peak_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}  # fmt: skip
        return out
    started, cpu = time.perf_counter(), _cpu()
    assistant, rebuilder = _start(directory, snapshot)
    out: dict[str, Any] = {
        "cold_s": round(time.perf_counter() - started, 2),
        "cold_cpu_s": round(_cpu() - cpu, 2),
    }
    out["start_peak_mb"] = _peak_mb()
    out["from_snapshot"] = rebuilder is not None and not rebuilder.files.parsed
    qs = _queries(assistant.base, config["queries"], config["seed"])
    warm, qs = qs[:10], qs[10:]
    if config["phase"] == "baseline":
        from rapidfuzz import fuzz, process

        normalizer = assistant.router.index.normalizer
        choices, owners = [], []
        for fact in assistant.base.facts:
            for phrasing in (*fact.questions_zh, *fact.questions_en):
                choices.append(normalizer.canonical(phrasing))
                owners.append(fact.id)
        ms, outcomes = [], []
        for q in warm[:3] + qs:
            t = time.perf_counter()
            _, score, at = process.extractOne(normalizer.canonical(q.text), choices, scorer=fuzz.ratio)
            ms.append((time.perf_counter() - t) * 1000)
            outcomes.append((score >= BASELINE_CUTOFF, owners[at]))
        return _latency(ms[3:]) | _scores(qs, outcomes[3:])
    for q in warm:
        assistant.router.route(q.text)
    probe_ms: list[float] = []
    ms, cpu_ms, outcomes = _routed(assistant.router, qs, probe_ms)
    out |= _latency(ms) | _scores(qs, outcomes)
    out |= {"cpu_" + k: v for k, v in _latency(cpu_ms).items()}  # what load does not inflate
    out["cpu_max"] = round(max(cpu_ms, default=0.0), 3)
    out |= {"probe_cpu_" + k: v for k, v in _latency(probe_ms).items()}  # the machine's noise meanwhile
    out["probe_cpu_max"] = round(max(probe_ms, default=0.0), 3)
    out["outcomes_digest"] = hashlib.sha256(repr(outcomes).encode()).hexdigest()[:12]
    out["serving_peak_mb"] = _peak_mb()  # started and answered, before the reload's two assistants
    if rebuilder is not None:
        from jinshui_qa.facts.live import LiveAssistant

        live = LiveAssistant(directory, assistant, build=rebuilder, files=rebuilder.files)
        # the snapshot of the files as they are, put back after the reload's (the writer replaces the file:
        kept = snapshot.with_name(snapshot.name + ".kept")  # a hard link holds it)
        kept.unlink(missing_ok=True)
        os.link(snapshot, kept)
        edited = sorted(directory.glob("synthetic_*.yaml"))[0]
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text.replace("verified: 2026-11-28", "verified: 2026-11-27", 1), encoding="utf-8")
        try:
            t, cpu = time.perf_counter(), _cpu()
            problems = live.reload()
            out["reload_s"] = round(time.perf_counter() - t, 2)
            out["reload_cpu_s"] = round(_cpu() - cpu, 2)
            out["reload_parsed"] = len(rebuilder.files.parsed)
            assert not problems, problems
            # the same questions right after the reload (its snapshot writer running, as in the product)
            _, cpu_ms, again = _routed(live.assistant.router, qs)
            out |= {"reloaded_cpu_" + k: v for k, v in _latency(cpu_ms).items()}
            out["reloaded_cpu_max"] = round(max(cpu_ms, default=0.0), 3)
            out["reloaded_same"] = again == outcomes
            out["serve_peak_mb"] = _peak_mb()
            t, cpu = time.perf_counter(), _cpu()
            rebuilder.flush()  # the reload's snapshot: a thread of this process, or another (snapshot_job)
            out["write_s"], out["write_cpu_s"] = round(time.perf_counter() - t, 2), round(_cpu() - cpu, 2)
            out["written_peak_mb"] = _peak_mb()  # this, the serving process
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            out["writer_process_peak_mb"] = round(children.ru_maxrss / 1024, 1)
        finally:
            edited.write_text(text, encoding="utf-8")
            rebuilder.flush()
            os.replace(kept, snapshot)
    out.setdefault("serve_peak_mb", _peak_mb())
    return out


def _phase_in_subprocess(config: dict[str, Any], src: Path) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(src))
    command = [sys.executable, str(Path(__file__).resolve()), json.dumps(config)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=HERE.parent)
    if done.returncode:
        raise SystemExit(f"{config['phase']} at {config['dir']} failed:\n{done.stderr[-3000:]}")
    row: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return row


RUN_KEYS = ("cpu_p50", "cpu_p99", "cpu_max", "probe_cpu_p50", "probe_cpu_p99", "probe_cpu_max")


def served(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One row from several serve phases: each number is the median of the runs' (the middle run's for
    an odd count), anything else the first run's; ``serve_runs`` keeps each run's question and probe
    figures and load average."""
    row = dict(runs[0])
    for key, value in runs[0].items():
        values = [r.get(key) for r in runs]
        if not isinstance(value, bool) and all(isinstance(v, (int, float)) for v in values):
            row[key] = round(statistics.median(values), 3)  # type: ignore[type-var]
    row["reloaded_same"] = all(r.get("reloaded_same", True) for r in runs)
    row["same_outcomes"] = len({r.get("outcomes_digest") for r in runs}) == 1  # the same answers each run
    row["serve_runs"] = [{k: r[k] for k in (*RUN_KEYS, "load_average") if k in r} for r in runs]
    return row


def run(
    sizes: list[int], queries: int, seed: int, work: Path, src: Path, serve_runs: int = 3
) -> list[dict[str, Any]]:
    """Every size: write the YAML (if not there yet), then the build, ``serve_runs`` serve phases (each
    in a fresh process) and the baseline; one row per size."""
    rows = []
    for size in sizes:
        directory = work / f"facts_{size}_{seed}"
        if not (directory / "sources.yaml").exists():
            subprocess.run([sys.executable, str(HERE / "fact_files.py"), str(size), str(directory)], check=True,
                           env=dict(os.environ, PYTHONPATH=str(HERE.parent / "src")))  # fmt: skip
        config = {"dir": str(directory), "snapshot": str(work / f"snapshot_{size}"), "queries": queries,
                  "seed": seed}  # fmt: skip
        row: dict[str, Any] = {"facts": size}
        row |= _phase_in_subprocess(config | {"phase": "build"}, src)
        runs = []
        for _ in range(max(1, serve_runs)):
            runs.append(_phase_in_subprocess(config | {"phase": "serve"}, src))
            runs[-1]["load_average"] = round(os.getloadavg()[0], 1)
        row |= served(runs)
        row["baseline"] = _phase_in_subprocess(config | {"phase": "baseline"}, src)
        row["load_average"] = round(os.getloadavg()[0], 1)
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    head = ["facts", "build s (cpu) / snapshot on disk s (cpu)", "cold start s (cpu)", "reload s (cpu)", "peak RSS MB (build/serving/after reload/after its write)", "p50 ms", "p99 ms",
            "CPU p50 / p99 / max ms", "each run's CPU p99 ms", "probe CPU p50 / p99 / max ms",
            "accuracy", "false answers", "baseline p50/p99 ms", "baseline acc/FA", "load"]  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        b = r["baseline"]
        cold = f"{r['cold_s']} ({r.get('cold_cpu_s', '-')})"
        built = f"{r['build_s']} ({r.get('build_cpu_s', '-')}) / {r.get('written_s', '-')} ({r.get('written_cpu_s', '-')})"
        cells = [f"{r['facts']:,}", built,
                 cold if r.get("from_snapshot") else f"{cold} (no snapshot)",
                 f"{r.get('reload_s', '-')} ({r.get('reload_cpu_s', '-')})",
                 f"{r['build_peak_mb']:.0f} / {r.get('serving_peak_mb', 0):.0f} / {r['serve_peak_mb']:.0f} / {r.get('written_peak_mb', 0):.0f}", r["p50"], r["p99"],
                 f"{r['cpu_p50']} / {r['cpu_p99']} / {r['cpu_max']}",
                 ", ".join(str(s["cpu_p99"]) for s in r.get("serve_runs", [r])),
                 f"{r.get('probe_cpu_p50', '-')} / {r.get('probe_cpu_p99', '-')} / {r.get('probe_cpu_max', '-')}",
                 f"{r['accuracy']:.1%}", f"{r['false_answers']:.1%}", f"{b['p50']} / {b['p99']}",
                 f"{b['accuracy']:.1%} / {b['false_answers']:.1%}", r["load_average"]]  # fmt: skip
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(json.dumps(phase(json.loads(sys.argv[1]))))
