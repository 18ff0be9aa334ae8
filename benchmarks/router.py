"""Router benchmark (issue 4, "Scale"): latency, build time and memory on synthetic fact bases, a naive
rapidfuzz baseline in the same run, and the cold start of ``jinshui-qa ask`` on the real facts.

    .venv/bin/python benchmarks/router.py                       # 100, 1k, 10k, 100k facts + cold start
    .venv/bin/python benchmarks/router.py --sizes 100,1000 --queries 200
    .venv/bin/python benchmarks/router.py --pinyin both --json  # every size with and without pinyin

Each (size, pinyin channel) runs in a fresh subprocess, so memory figures are clean RSS deltas and one
size's garbage never slows the next. See benchmarks/README.md for what each column means.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_SIZES = (100, 1_000, 10_000, 100_000)
COLD_QUESTION = "金水区有多少家高新技术企业"
BASELINE_CUTOFF = 60.0  # the naive baseline "answers" when fuzz.ratio reaches this (uncalibrated)
TARGETS = {"p99_1000_ms": 5.0, "p99_100000_ms": 50.0, "cold_start_s": 1.0}
WARMUP = 10


# -- measuring one fact base (runs in a worker subprocess) ---------------------------------------------
def _rss_mb() -> float:
    """Resident set size of this process, from /proc (Linux), in MiB."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # not Linux: peak RSS is the best there is
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pct(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), nearest rank on the sorted values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


def _summary(values_ms: list[float]) -> dict[str, float]:
    return {
        "p50": round(statistics.median(values_ms), 3),
        "p99": round(_pct(values_ms, 99), 3),
        "mean": round(statistics.fmean(values_ms), 3),
        "max": round(max(values_ms), 3),
    }


def _timed(fn: Any, *args: Any) -> tuple[Any, float]:
    """The result and the wall time in ms."""
    started = time.perf_counter_ns()
    out = fn(*args)
    return out, (time.perf_counter_ns() - started) / 1e6


def _clocked(fn: Any, *args: Any) -> tuple[Any, float, float]:
    """The result, the wall time and this thread's CPU time, in ms. On a busy machine the CPU time is
    what the wall time would be without other processes taking the CPU."""
    cpu, wall = time.thread_time_ns(), time.perf_counter_ns()
    out = fn(*args)
    return out, (time.perf_counter_ns() - wall) / 1e6, (time.thread_time_ns() - cpu) / 1e6


def _latency(wall: list[float], cpu: list[float]) -> dict[str, float]:
    return _summary(wall) | {"cpu_p50": round(statistics.median(cpu), 3), "cpu_p99": round(_pct(cpu, 99), 3)}


def measure(
    size: int,
    pinyin: bool,
    queries: int,
    seed: int,
    exact_init_max: int,
    variants: list[list[int]],
    context_queries: int,
    context_seconds: float,
    parts_queries: int,
    proposed: bool,
    use_tracemalloc: bool,
) -> dict[str, Any]:
    """Build one synthetic fact base and measure the router, the proposals and the baseline on it."""
    import gc

    from proposals import (
        LinearInitRouter,
        faster_contains,
        linear_signature_keywords,
        proposed_router,
    )
    from rapidfuzz import fuzz, process
    from synthetic import make_factbase, make_followups, make_queries

    from jinshui_qa.facts.loader import load
    from jinshui_qa.routing.index import Index
    from jinshui_qa.routing.router import Router
    from jinshui_qa.text.normalize import Normalizer, clean

    try:
        from jinshui_qa.routing.router import Context
    except ImportError:  # moved by the router's split into scoring.py
        from jinshui_qa.routing.scoring import Context  # type: ignore[no-redef]

    real = load()
    started = time.perf_counter()
    base = make_factbase(size, seed, template=real)
    qs = make_queries(base, queries + WARMUP, seed)
    warm, qs = qs[:WARMUP], qs[WARMUP:]
    row: dict[str, Any] = {
        "size": size,
        "pinyin": pinyin,
        "facts": len(base.facts),
        "phrasings": base.phrasing_count,
        "generate_s": round(time.perf_counter() - started, 2),
    }
    normalizer = Normalizer(base.vocabulary)
    normalizer.canonical("金水區")  # OpenCC loaded before timing, as it is by validation in the bot
    if pinyin:
        from jinshui_qa.text.pinyin import syllables

        syllables("金水")  # pypinyin imported before timing: an import, not build work
    gc.collect()
    if use_tracemalloc:
        import tracemalloc

        tracemalloc.start()
    rss0 = _rss_mb()
    index, index_ms = _timed(lambda: Index(base, normalizer, with_pinyin=pinyin))
    # Router as written, unless its signature-keyword step is still quadratic and the base is too big.
    exact = size <= exact_init_max or not _quadratic_signatures(real)
    router, router_ms = _timed(lambda: (Router if exact else LinearInitRouter)(index))
    rss1 = _rss_mb()
    if use_tracemalloc:
        row["tracemalloc_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    linear_sig_ms = 0.0
    if size <= exact_init_max:  # src's signature keywords beside proposal 1's: time and agreement
        linear_sig, linear_sig_ms = _timed(linear_signature_keywords, router)
        original_sig, original_sig_ms = _timed(router.scorer._signature_keywords)
        row["signature_as_written_s"] = round(original_sig_ms / 1000, 3)
        same = sum(set(a) == set(b) for a, b in zip(original_sig, linear_sig, strict=True))
        row["signature_same"] = round(same / size, 4)
    elif not exact:
        linear_sig_ms = router.signature_seconds * 1000  # type: ignore[attr-defined]
    row.update(
        index_s=round(index_ms / 1000, 3),
        router_s=round(router_ms / 1000, 3),
        build_s=round((index_ms + router_ms) / 1000, 3),
        rss_mb=round(rss1 - rss0, 1),
        docs=sum(len(d) + len(p) for d, p in zip(index.docs, index.py_docs or [[]] * size, strict=False)),
        tokens=sum(1 for n in index.layout.df if n),
        signature_linear_s=round(linear_sig_ms / 1000, 3),
        router_init="as written" if exact else "linear signature keywords (benchmarks/proposals.py)",
        src=_src_state(),
    )
    if proposed:
        try:
            _normaliser_proposal(row, base, normalizer, index, index_ms, pinyin)
        except Exception as exc:  # src moved under the proposal: report it, measure the rest
            row["normaliser_error"] = repr(exc)

    # Router latency, end to end (clean, smalltalk, analyse, candidates, scoring, vetoes, decision).
    for q in warm:
        router.route(q.text)
    gen2 = gc.get_stats()[2]["collections"]
    lat, cpu, results = _run(router.route, [q.text for q in qs])
    row["gc_gen2_during_queries"] = gc.get_stats()[2]["collections"] - gen2
    row["router"] = _latency(lat, cpu) | _accuracy(qs, _outcomes(results))

    # Follow-ups: short messages routed with the context of an answered question, as in a chat.
    answered = [r for r in results if r.status == "answer" and r.fact_id][:context_queries]
    contexts = [Context(r.fact_id, r.tokens, r.lang) for r in answered]  # type: ignore[arg-type]
    followups = make_followups(len(contexts), seed)
    if contexts:
        clat, ccpu, cresults = _run(router.route, followups, contexts, seconds=context_seconds)
        contexts, followups = contexts[: len(cresults)], followups[: len(cresults)]
        row["followups"] = _latency(clat, ccpu) | {"count": len(cresults)}

    # Where a question's time goes: analysis (normalise, tokens, pinyin), candidates, scoring.
    parts: dict[str, list[float]] = {"analyse": [], "candidates": [], "score": [], "rest": [], "pool": []}
    for q, total in list(zip(qs, cpu, strict=True))[:parts_queries]:
        (_, canonical, tokens, py), _, analyse_ms = _clocked(router.analyse, clean(q.text))
        _, _, cand_ms = _clocked(index.candidates, tokens | py)
        _, _, score_ms = _clocked(lambda: router.score(tokens, py, canonical=canonical))  # noqa: B023
        parts["analyse"].append(analyse_ms)
        parts["candidates"].append(cand_ms)
        parts["score"].append(score_ms)
        parts["rest"].append(max(0.0, total - analyse_ms - score_ms))
        parts["pool"].append(sum(index.postings(t) for t in tokens | py))
    row["parts"] = {k: _summary(v) for k, v in parts.items() if k != "pool"}
    row["postings_read_p50"] = int(statistics.median(parts["pool"]))

    # The proposals (benchmarks/proposals.py) on the same index and questions.
    if proposed:
        try:
            row["proposed"] = []
            with faster_contains() as patched:
                for budget, limit in variants:
                    variant, applied = proposed_router(router, index, budget or None, limit)
                    row["proposals_applied"] = sorted([*applied, "6"] if patched else applied)
                    if not row["proposals_applied"]:  # all of them are in src already
                        break
                    for q in warm:
                        variant.route(q.text)
                    plat, pcpu, presults = _run(variant.route, [q.text for q in qs])
                    entry = {"budget": budget, "limit": limit, "agreement": _agreement(results, presults)}
                    entry |= _latency(plat, pcpu) | _accuracy(qs, _outcomes(presults))
                    if contexts:
                        clat, ccpu, pcresults = _run(variant.route, followups, contexts)
                        entry["followups"] = _latency(clat, ccpu) | {
                            "agreement": _agreement(cresults, pcresults)
                        }
                    row["proposed"].append(entry)
        except Exception as exc:  # src moved under the proposals: report it, measure the rest
            row["proposed_error"] = repr(exc)

    # Naive baseline: rapidfuzz fuzz.ratio of the normalised question against every normalised phrasing.
    rss2 = _rss_mb()
    started = time.perf_counter()
    choices: list[str] = []
    owners: list[str] = []
    for fact in base.facts:
        for phrasing in (*fact.questions_zh, *fact.questions_en):
            choices.append(normalizer.canonical(phrasing))
            owners.append(fact.id)
    baseline_build = time.perf_counter() - started
    rss3 = _rss_mb()

    def naive(text: str) -> tuple[str, float]:
        _, score, at = process.extractOne(normalizer.canonical(text), choices, scorer=fuzz.ratio)
        return owners[at], score

    for q in warm[:3]:
        naive(q.text)
    blat, bcpu, boutcomes = [], [], []
    for q in qs:
        (fact_id, score), ms, cpu_ms = _clocked(naive, q.text)
        blat.append(ms)
        bcpu.append(cpu_ms)
        boutcomes.append(
            (score >= BASELINE_CUTOFF, fact_id, "answer" if score >= BASELINE_CUTOFF else "fallback")
        )
    row["baseline"] = _latency(blat, bcpu) | _accuracy(qs, boutcomes)
    row["baseline"] |= {"build_s": round(baseline_build, 3), "rss_mb": round(rss3 - rss2, 1)}
    row["speedup_p50"] = round(row["baseline"]["p50"] / row["router"]["p50"], 2)
    row["speedup_p99"] = round(row["baseline"]["p99"] / row["router"]["p99"], 2)
    row["speedup_cpu_p99"] = round(row["baseline"]["cpu_p99"] / row["router"]["cpu_p99"], 2)
    row["load_average"] = os.getloadavg()[0]
    return row


def _run(
    route: Any, texts: list[str], contexts: list[Any] | None = None, seconds: float = 0.0, least: int = 5
) -> tuple[list[float], list[float], list[Any]]:
    """Route every text (with its context, if given); wall and CPU ms per text, and the results. With
    ``seconds``, stop once that much time has gone by and at least ``least`` texts are done."""
    wall, cpu, results = [], [], []
    started = time.perf_counter()
    for i, text in enumerate(texts):
        if seconds and i >= least and time.perf_counter() - started > seconds:
            break
        result, ms, cpu_ms = _clocked(route, text) if contexts is None else _clocked(route, text, contexts[i])
        wall.append(ms)
        cpu.append(cpu_ms)
        results.append(result)
    return wall, cpu, results


def _outcomes(results: list[Any]) -> list[tuple[bool, str | None, str]]:
    return [(r.status == "answer", r.fact_id, r.status) for r in results]


def _agreement(a: list[Any], b: list[Any]) -> float:
    """Share of questions given the same status and fact."""
    return round(
        sum((x.status, x.fact_id) == (y.status, y.fact_id) for x, y in zip(a, b, strict=True)) / len(a), 4
    )


def _normaliser_proposal(row: dict[str, Any], base: Any, normalizer: Any, index: Any, index_ms: float,
                         pinyin: bool) -> None:  # fmt: skip
    """Proposal 8: the alias regex of Normalizer.canonical, as written and guarded, on the same texts."""
    from proposals import guarded_alias_re

    from jinshui_qa.routing.index import Index
    from jinshui_qa.text.normalize import Normalizer, fold

    guarded = guarded_alias_re(normalizer)
    if guarded is None:  # no aliases, or src guards its regex already
        return
    texts = [fold(t) for f in base.facts[:2000] for t in (*f.questions_zh, *f.questions_en, *f.keywords)]
    sub = normalizer.aliases.__getitem__
    (as_written, written_ms), (faster, guarded_ms) = (
        _timed(lambda p: [p.sub(lambda m: sub(m.group(0)), t) for t in texts], pattern)
        for pattern in (normalizer._alias_re, guarded)
    )
    _, canonical_ms = _timed(lambda: [normalizer.canonical(t) for t in texts])
    assert as_written == faster, "the guarded alias regex substitutes differently"
    row["normaliser"] = {"texts": len(texts), "canonical_us": round(canonical_ms * 1000 / len(texts), 1),
                         "alias_us": round(written_ms * 1000 / len(texts), 1),
                         "guarded_alias_us": round(guarded_ms * 1000 / len(texts), 1)}  # fmt: skip
    if len(base.facts) <= 10_000:  # small enough to build the index a second time, with the guarded regex
        quick = Normalizer(base.vocabulary)
        quick._alias_re = guarded
        again, again_ms = _timed(lambda: Index(base, quick, with_pinyin=pinyin))
        same = (
            again.layout.df.tobytes() == index.layout.df.tobytes()
            and again.layout.tokens.words == index.layout.tokens.words
        )
        assert same, "the guarded alias regex changes the index"
        row["normaliser"] |= {
            "index_s": round(index_ms / 1000, 3),
            "index_guarded_s": round(again_ms / 1000, 3),
        }
        del again


def _quadratic_signatures(template: Any) -> bool:
    """Whether Router._signature_keywords, as in src, takes more than 3x as long for twice the facts."""
    from synthetic import make_factbase

    from jinshui_qa.routing.index import Index
    from jinshui_qa.routing.router import Router
    from jinshui_qa.text.normalize import Normalizer

    seconds = []
    for n in (400, 800):
        base = make_factbase(n, 1, template=template)
        router = Router(Index(base, Normalizer(base.vocabulary), with_pinyin=False))
        seconds.append(_timed(router.scorer._signature_keywords)[1])
    return seconds[1] > 3 * seconds[0]


def _src_state() -> str:
    """The commit, and which files of src/jinshui_qa differ from it (read-only git commands)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=ROOT, check=True).stdout.strip()  # fmt: skip
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src/jinshui_qa"], capture_output=True,
                               text=True, cwd=ROOT, check=True).stdout.split("\n")  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    changed = sorted(line[3:].removeprefix("src/jinshui_qa/") for line in dirty if line.strip())
    return head + (f" + changes in {', '.join(changed)}" if changed else "")


def _accuracy(qs: list[Any], outcomes: list[tuple[bool, str | None, str]]) -> dict[str, float]:
    """Top-1 answered accuracy on in-scope queries, answered rate on out-of-scope ones, clarify rate."""
    inside = [(q, o) for q, o in zip(qs, outcomes, strict=True) if q.expect]
    outside = [o for q, o in zip(qs, outcomes, strict=True) if not q.expect]
    return {
        "accuracy": round(sum(o[0] and o[1] == q.expect for q, o in inside) / max(1, len(inside)), 4),
        "false_answers": round(sum(o[0] for o in outside) / max(1, len(outside)), 4),
        "clarify": round(sum(o[2] == "clarify" for o in outcomes) / len(outcomes), 4),
    }


# -- cold start -------------------------------------------------------------------------------------------
# Runs in a fresh interpreter: each phase of `jinshui-qa ask`, in the order the command goes through them.
_PHASES = r"""
import json, sys, time
T = time.perf_counter
out = {}
t = T(); import jinshui_qa.cli; out["import jinshui_qa.cli (argparse, errors)"] = T() - t
t = T()
from jinshui_qa.bootstrap import assistant_for
from jinshui_qa.conversation.assistant import Assistant, Session
from jinshui_qa.facts.loader import facts_dir, read_files
from jinshui_qa.facts.validation import build_factbase
out["import bootstrap, dialogue, router, index (rapidfuzz...)"] = T() - t
from jinshui_qa.text import normalize
from jinshui_qa.text import pinyin
from jinshui_qa.facts import yaml_lines
t = T(); normalize.to_simplified("區"); out["OpenCC t2s: import and load"] = T() - t
t = T(); files = read_files(facts_dir()); out["read facts/*.yaml"] = T() - t
t = T(); base = build_factbase(files); out["build_factbase: parse + validate"] = T() - t
t = T(); [yaml_lines.parse(text) for text in files.values()]
out["  of which YAML parse (yaml_lines), measured again"] = T() - t
t = T(); pinyin.syllables("金"); out["pypinyin: import and dictionaries"] = T() - t
from jinshui_qa.routing.index import Index
from jinshui_qa.routing.router import Router
t = T(); normalizer = normalize.Normalizer(base.vocabulary); out["Normalizer (alias regex)"] = T() - t
t = T(); index = Index(base, normalizer); out["Index (%d facts, with pinyin)" % len(base.facts)] = T() - t
t = T(); router = Router(index); out["Router init"] = T() - t
assistant = Assistant(base, router)
t = T(); assistant.reply(sys.argv[1], Session()); out["first reply"] = T() - t
t = T(); assistant.reply(sys.argv[1], Session()); out["(a second reply, warm)"] = T() - t
import pickle
blob = pickle.dumps((base, router), protocol=pickle.HIGHEST_PROTOCOL)
t = T(); pickle.loads(blob)
out["(pickle.loads of base + router, %d KiB: what a cache would cost)" % (len(blob) // 1024)] = T() - t
print(json.dumps(out))
"""


def _ask_command() -> list[str]:
    local = ROOT / ".venv" / "bin" / "jinshui-qa"
    beside = Path(sys.executable).with_name("jinshui-qa")  # a shared venv (run with PYTHONPATH=src)
    found = str(local) if local.exists() else str(beside) if beside.exists() else shutil.which("jinshui-qa")
    if not found:
        raise SystemExit("jinshui-qa is not installed (pip install -e . in the venv)")
    return [found]


def _timed_runs(command: list[str], env: dict[str, str], runs: int) -> tuple[list[float], list[float], str]:
    """Wall and CPU (user + system, from the children's rusage) seconds of ``runs`` runs, and the output."""
    import resource

    walls, cpus, out = [], [], ""
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=True, cwd=ROOT)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        out = done.stdout
    return walls, cpus, out


def cold_start(runs: int, question: str = COLD_QUESTION) -> dict[str, Any]:
    """Median wall (and CPU) time of `jinshui-qa ask QUESTION` in fresh processes, where the time goes,
    and what two cheap settings would save."""
    import tempfile

    env = {k: v for k, v in os.environ.items() if k != "JQA_TIMING"}
    command = [*_ask_command(), "ask", question]
    out: dict[str, Any] = {"question": question, "runs": runs, "variants": {}}
    with tempfile.TemporaryDirectory(prefix="jqa-pycache-") as pycache:
        cached = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"} | {
            "PYTHONPYCACHEPREFIX": pycache
        }
        variants = {
            "as configured" + (" (PYTHONDONTWRITEBYTECODE=1: src compiled every run)"
                               if env.get("PYTHONDONTWRITEBYTECODE") else ""): env,
            "with a bytecode cache (PYTHONPYCACHEPREFIX, a warm-up run first)": cached,
            "bytecode cache + PYPINYIN_NO_DICT_COPY=1": cached | {"PYPINYIN_NO_DICT_COPY": "1"},
            "bytecode cache + PYPINYIN_NO_DICT_COPY=1 PYPINYIN_NO_PHRASES=1": cached
            | {"PYPINYIN_NO_DICT_COPY": "1", "PYPINYIN_NO_PHRASES": "1"},
        }  # fmt: skip
        subprocess.run(command, capture_output=True, env=cached, check=True, cwd=ROOT)  # fills the cache
        for name, variant_env in variants.items():
            walls, cpus, stdout = _timed_runs(command, variant_env, runs)
            out["variants"][name] = {"median_s": round(statistics.median(walls), 3),
                                     "min_s": round(min(walls), 3), "max_s": round(max(walls), 3),
                                     "cpu_median_s": round(statistics.median(cpus), 3)}  # fmt: skip
            out["answer"] = stdout.strip().splitlines()[0] if stdout.strip() else ""
    first = next(iter(out["variants"].values()))
    out |= {k: first[k] for k in ("median_s", "min_s", "max_s", "cpu_median_s")}
    floor, _, _ = _timed_runs([sys.executable, "-c", "pass"], env, runs)
    out["python_startup_s"] = round(statistics.median(floor), 3)
    run = subprocess.run([sys.executable, "-c", _PHASES, question], capture_output=True, text=True, env=env,
                         check=True, cwd=ROOT)  # fmt: skip
    out["phases_s"] = {k: round(v, 4) for k, v in json.loads(run.stdout).items()}
    importtime = subprocess.run([sys.executable, "-X", "importtime", *command], capture_output=True, text=True,
                                env=env, check=True, cwd=ROOT).stderr  # fmt: skip
    imports: list[tuple[str, float]] = []
    for line in importtime.splitlines():
        if not line.startswith("import time:") or "|" not in line or "cumulative" in line:
            continue
        _, cumulative, name = line.split("|")
        depth = (len(name) - len(name.lstrip(" ")) - 1) // 2
        if depth <= 2 and int(cumulative) >= 10_000:  # three levels, 10 ms and more
            imports.append(("  " * depth + name.strip(), int(cumulative) / 1e6))
    out["imports_s"] = [(name, round(seconds, 4)) for name, seconds in reversed(imports)]
    return out


# -- the whole run ------------------------------------------------------------------------------------------
def _configs(sizes: list[int], mode: str, pinyin_max: int) -> list[tuple[int, bool]]:
    """Which (size, pinyin) pairs to measure. auto: pinyin on up to pinyin_max facts, off above, plus
    off at 1,000 facts so the growth ratio to the largest size compares like with like."""
    out: list[tuple[int, bool]] = []
    for size in sizes:
        if mode in ("on", "both") or (mode == "auto" and size <= pinyin_max):
            out.append((size, True))
        if mode in ("off", "both") or (
            mode == "auto" and (size > pinyin_max or (size == 1_000 and max(sizes) > pinyin_max))
        ):
            out.append((size, False))
    return out


def _worker(config: dict[str, Any]) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(config)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"worker {config} failed:\n{done.stderr}")
    row: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return row


def _fit_signature(rows: list[dict[str, Any]]) -> None:
    """Where Router._signature_keywords was too slow to run, extrapolate it (quadratic) from the largest
    size where it ran, with the same pinyin setting; router_as_written_s is then an estimate."""
    for row in rows:
        if row.get("router_init") == "as written":
            row["router_as_written_s"] = row["router_s"]
            continue
        known = [r for r in rows if "signature_as_written_s" in r and r["pinyin"] == row["pinyin"]]
        if not known:
            continue
        ref = max(known, key=lambda r: r["size"])
        estimate = ref["signature_as_written_s"] * (row["size"] / ref["size"]) ** 2
        row["signature_as_written_est_s"] = round(estimate, 1)
        row["router_as_written_s"] = round(row["router_s"] - row["signature_linear_s"] + estimate, 1)
        row["router_as_written_estimated_from"] = ref["size"]


def _growth(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Latency ratio between the smallest size >= 1,000 and the largest, per pinyin setting and variant."""
    out = []
    for pinyin in (True, False):
        same = sorted((r for r in rows if r["pinyin"] == pinyin), key=lambda r: r["size"])
        low = next((r for r in same if r["size"] >= 1_000), same[0] if same else None)
        if not same or low is None or same[-1]["size"] <= low["size"]:
            continue
        high = same[-1]
        size_ratio = high["size"] / low["size"]
        for name, pick in (
            ("router", lambda r: r["router"]),
            ("baseline", lambda r: r["baseline"]),
            ("proposed", lambda r: r["proposed"][0] if r.get("proposed") else None),
        ):
            a, b = pick(low), pick(high)
            if not a or not b:
                continue
            ratios = {p: round(b[p] / a[p], 2) for p in ("p50", "p99", "cpu_p50", "cpu_p99") if p in a}
            exponent = {p: round(math.log(max(ratios[p], 1e-9)) / math.log(size_ratio), 2) for p in ratios}
            out.append(
                {
                    "variant": name,
                    "pinyin": pinyin,
                    "from": low["size"],
                    "to": high["size"],
                    "size_ratio": size_ratio,
                    "latency_ratio": ratios,
                    "exponent": exponent,
                    "sublinear": all(r < size_ratio for r in ratios.values()),
                    "clearly_sublinear": all(r <= math.sqrt(size_ratio) for r in ratios.values()),
                }
            )
    return out


def _verdicts(
    rows: list[dict[str, Any]], growth: list[dict[str, Any]], cold: dict[str, Any] | None
) -> list[dict[str, Any]]:
    out = []

    def row_for(size: int) -> dict[str, Any] | None:
        found = [r for r in rows if r["size"] == size]
        return next((r for r in found if r["pinyin"]), found[0] if found else None)

    for size, key in ((1_000, "p99_1000_ms"), (100_000, "p99_100000_ms")):
        r = row_for(size)
        if r:
            entry = {
                "target": f"p99 < {TARGETS[key]:g} ms at {size:,} facts",
                "pinyin": r["pinyin"],
                "p99_ms": r["router"]["p99"],
                "cpu_p99_ms": r["router"]["cpu_p99"],
                "met": r["router"]["p99"] < TARGETS[key],
            }
            if r.get("proposed"):
                best = r["proposed"][0]
                entry |= {
                    "proposed_p99_ms": best["p99"],
                    "proposed_cpu_p99_ms": best["cpu_p99"],
                    "proposed_met": best["p99"] < TARGETS[key],
                }
            out.append(entry)
    for g in growth:
        if g["variant"] in ("router", "proposed"):
            span = f"{'py-on' if g['pinyin'] else 'py-off'}, {g['from']:,}->{g['to']:,}"
            out.append(
                {
                    "target": f"growth clearly sublinear ({g['variant']}, {span})",
                    "measured": g["latency_ratio"],
                    "met": g["clearly_sublinear"],
                }
            )
    if cold:
        out.append(
            {
                "target": "cold start of `jinshui-qa ask` < 1 s",
                "median_s": cold["median_s"],
                "cpu_median_s": cold["cpu_median_s"],
                "cached_bytecode_median_s": list(cold["variants"].values())[1]["median_s"],
                "met": cold["median_s"] < TARGETS["cold_start_s"],
            }
        )
    return out


def _table(header: list[str], rows: list[list[Any]]) -> str:
    """Right-aligned text columns, the first one left-aligned, under a header and a rule."""
    cells = [header, *[[str(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = [
        "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
        for r in cells
    ]
    return "\n".join([lines[0], "-" * len(lines[0]), *lines[1:]])


def _as_written(row: dict[str, Any]) -> str:
    return ("~" if "router_as_written_estimated_from" in row else "") + str(row.get("router_as_written_s"))


def _label(row: dict[str, Any]) -> str:
    return f"{row['size']:,} py-{'on' if row['pinyin'] else 'off'}"


def _ms(stats: dict[str, Any], *keys: str) -> list[str]:
    return [f"{stats[k]:.2f}" for k in keys]


def _rates(stats: dict[str, Any]) -> list[str]:
    return [f"{stats['accuracy']:.1%}", f"{stats['false_answers']:.1%}"]


def _print_report(report: dict[str, Any]) -> None:
    rows = report["rows"]
    say = print
    say(f"router benchmark: {report['queries']} queries per size, seed {report['seed']}, {report['machine']}")
    say("load average (1 min): " + ", ".join(f"{_label(r)} {r['load_average']:.1f}" for r in rows))
    say("p50/p99: wall time; cpu: this thread's CPU time, i.e. the wall time without other processes.")
    if rows:
        say(f"src measured: {rows[0].get('src', '?')}")
    say("\nLatency per question (ms): Router.route vs a naive baseline (rapidfuzz fuzz.ratio over every")
    say("phrasing). acc = in-scope questions answered with the right fact; FA = out-of-scope questions")
    say(
        f"answered (the baseline answers at ratio >= {BASELINE_CUTOFF:g}); "
        "x = baseline / router (> 1: router faster)."
    )
    head = [
        "facts",
        "p50",
        "p99",
        "cpu p99",
        "acc",
        "FA",
        "base p50",
        "base p99",
        "base cpu p99",
        "base acc",
        "base FA",
        "x p50",
        "x p99",
        "x cpu p99",
    ]
    say(
        _table(
            head,
            [
                [
                    _label(r),
                    *_ms(r["router"], "p50", "p99", "cpu_p99"),
                    *_rates(r["router"]),
                    *_ms(r["baseline"], "p50", "p99", "cpu_p99"),
                    *_rates(r["baseline"]),
                    r["speedup_p50"],
                    r["speedup_p99"],
                    r["speedup_cpu_p99"],
                ]
                for r in rows
            ],
        )
    )
    say("\nBuild time (s) and memory (MiB, RSS delta). router = Router init as run; 'as written' = with")
    say("Router._signature_keywords as in src (~ extrapolated quadratically where too slow to run).")
    head = ["facts", "index", "router", "as written", "index+router MB", "tokens", "base build", "base MB"]
    say(
        _table(
            head,
            [
                [
                    _label(r),
                    *_ms(r, "index_s", "router_s"),
                    _as_written(r),
                    f"{r['rss_mb']:.1f}",
                    f"{r['tokens']:,}",
                    f"{r['baseline']['build_s']:.2f}",
                    f"{r['baseline']['rss_mb']:.1f}",
                ]
                for r in rows
            ],
        )
    )
    say("\nWhere a question's time goes (CPU ms, p50/p99): analyse = normalise, tokens, pinyin;")
    say("candidates = Index.candidates; score = Router.score (candidates included); rest = vetoes, decision.")
    parts = ("analyse", "candidates", "score", "rest")
    say(
        _table(
            ["facts", *parts, "postings read p50"],
            [
                [
                    _label(r),
                    *(f"{r['parts'][k]['p50']:.2f}/{r['parts'][k]['p99']:.2f}" for k in parts),
                    f"{r['postings_read_p50']:,}",
                ]
                for r in rows
            ],
        )
    )
    if rows and all(r.get("proposals_applied") == [] for r in rows):
        say("\nProposals (benchmarks/proposals.py): none left to measure, src has them all.")
    if any(r.get("proposed") for r in rows):
        say("\nProposed changes (benchmarks/proposals.py), same index and queries; same = share of questions")
        say(
            "given the same decision (status and fact) as by the router as written. Proposals applied: "
            + ", ".join(sorted({p for r in rows for p in r.get("proposals_applied", [])}))
            + "."
        )
        head = ["facts", "budget", "limit", "p50", "p99", "cpu p50", "cpu p99", "acc", "FA", "same"]
        say(
            _table(
                head,
                [
                    [
                        _label(r),
                        v["budget"] or "none",
                        v["limit"],
                        *_ms(v, "p50", "p99", "cpu_p50", "cpu_p99"),
                        *_rates(v),
                        f"{v['agreement']:.1%}",
                    ]
                    for r in rows
                    for v in r.get("proposed", [])
                ],
            )
        )
    norm = [r for r in rows if r.get("normaliser")]
    if norm:
        say("\nNormalizer.canonical per text (us): the whole call, its alias regex as written, and guarded")
        say("and the Index build (s) as written and with the guarded regex (same postings), where rebuilt")
        say(_table(["facts", "texts", "canonical", "alias regex", "guarded", "index", "index guarded"],
                   [[_label(r), r["normaliser"]["texts"], r["normaliser"]["canonical_us"],
                     r["normaliser"]["alias_us"], r["normaliser"]["guarded_alias_us"],
                     r["normaliser"].get("index_s", ""), r["normaliser"].get("index_guarded_s", "")]
                    for r in norm]))  # fmt: skip
    if any(r.get("followups") for r in rows):
        say(
            "\nFollow-ups (ms): short messages (那总投资呢, 排第几...) routed with an answered question's context"
        )
        with_proposed = any((r.get("proposed") or [{}])[0].get("followups") for r in rows)
        head = ["facts", "n", "p50", "p99", "cpu p99"]
        head += ["proposed p50", "proposed p99", "proposed cpu p99", "same"] if with_proposed else []
        table = []
        for r in rows:
            if r.get("followups"):
                f, pf = r["followups"], (r.get("proposed") or [{}])[0].get("followups")
                extra = (
                    [*_ms(pf, "p50", "p99", "cpu_p99"), f"{pf['agreement']:.1%}"] if pf else ["", "", "", ""]
                )
                table.append([_label(r), f["count"], *_ms(f, "p50", "p99", "cpu_p99"), *extra][: len(head)])
        say(_table(head, table))
    if report["growth"]:
        say("\nGrowth of latency (clearly sublinear: every ratio <= sqrt(size ratio), i.e. exponent <= 0.5)")
        for g in report["growth"]:
            lr, ex = g["latency_ratio"], g["exponent"]
            verdict = (
                "clearly sublinear"
                if g["clearly_sublinear"]
                else "sublinear"
                if g["sublinear"]
                else "NOT sublinear"
            )
            ratios = ", ".join(f"{k.replace('_', ' ')} x{v}" for k, v in lr.items())
            span = f"{g['from']:,} -> {g['to']:,} facts (x{g['size_ratio']:g})"
            say(f"  {g['variant']:<8} py-{'on ' if g['pinyin'] else 'off'} {span}: {ratios}")
            say(f"{'':>19}exponent p50 {ex['p50']}, p99 {ex['p99']}: {verdict}")
    cold = report.get("cold_start")
    if cold:
        say(f"\nCold start: `jinshui-qa ask {cold['question']}`, {cold['runs']} runs each (s)")
        say(_table(["variant", "median", "min", "max", "cpu median"],
                   [[name, *(f"{v[k]:.3f}" for k in ("median_s", "min_s", "max_s", "cpu_median_s"))]
                    for name, v in cold["variants"].items()]))  # fmt: skip
        say(f"bare `python -c pass`: {cold['python_startup_s']:.3f} s; answer: {cold['answer']}")
        say("phases of `ask`, timed one by one in a fresh interpreter (s):")
        for name, seconds in cold["phases_s"].items():
            say(f"  {seconds:7.3f}  {name}")
        say("imports of the real command taking 10 ms or more (python -X importtime, cumulative s, nested):")
        for name, seconds in cold["imports_s"]:
            say(f"  {seconds:7.3f}  {name}")
    say("\nTargets (issue 4)")
    for v in report["verdicts"]:
        shown = ", ".join(f"{k} {v[k]}" for k in v if k not in ("target", "met"))
        say(f"  [{'met' if v['met'] else 'MISSED'}] {v['target']}: {shown}")
    say(f"\n(total {report.get('total_s')} s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="fact base sizes (default: %(default)s)"
    )
    parser.add_argument(
        "--queries", type=int, default=300, metavar="N", help="timed queries per size (default: 300)"
    )
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument(
        "--pinyin",
        choices=("auto", "on", "off", "both"),
        default="auto",
        help="pinyin channel: auto = on up to --pinyin-max facts, off above (and off at 1,000 too)",
    )
    parser.add_argument(
        "--pinyin-max", type=int, default=10_000, metavar="N", help="see --pinyin (default: 10000)"
    )
    parser.add_argument(
        "--exact-init-max",
        type=int,
        default=1_000,
        metavar="N",
        help="build Router as written up to N facts; above, its quadratic signature-keyword "
        "step is replaced by the equivalent linear one and extrapolated (default: 1000)",
    )
    parser.add_argument(
        "--variants",
        default="20000:20",
        metavar="BUDGET:LIMIT,...",
        help="proposed routers to measure: postings budget (0 = none, as in src) and candidate limit "
        "(src: 40); the targets quote the first (default: %(default)s)",
    )
    parser.add_argument(
        "--context-queries",
        type=int,
        default=100,
        metavar="N",
        help="follow-ups routed with a conversation context, per size (default: 100)",
    )
    parser.add_argument(
        "--context-seconds",
        type=float,
        default=10.0,
        metavar="S",
        help="stop the follow-ups after S seconds (at least 5 are run; default: 10)",
    )
    parser.add_argument("--no-proposed", action="store_true", help="skip benchmarks/proposals.py")
    parser.add_argument("--cold-runs", type=int, default=7, metavar="N", help="cold-start runs (0: skip)")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also report tracemalloc peak (slower build)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--save", metavar="FILE", help="also write the report as JSON to FILE")
    parser.add_argument("--show", metavar="FILE", help="print the tables of a report saved with --save")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument(
        "--product",
        action="store_true",
        help="the product's configuration from YAML: build, start from the snapshot, reload, "
        "peak RSS, latency, accuracy, beside the baseline (benchmarks/router_product.py)",
    )
    parser.add_argument(
        "--work", default="/tmp/jqa-router-bench", help="--product: where the YAML and snapshots go"
    )
    parser.add_argument("--src", default=str(ROOT / "src"), help="--product: the source tree to measure")
    parser.add_argument(
        "--serve-runs",
        type=int,
        default=3,
        metavar="R",
        help="--product: serve phases per size, each in a fresh process; the table gives their medians "
        "and each run's p99",
    )
    args = parser.parse_args(argv)
    if args.worker:
        config = json.loads(args.worker)
        if config["size"] >= 50_000:  # if memory runs out, the kernel should pick this process first
            with contextlib.suppress(OSError), open("/proc/self/oom_score_adj", "w") as adj:
                adj.write("1000")
        print(json.dumps(measure(**config), ensure_ascii=False))
        return 0
    if args.show:
        _print_report(json.loads(Path(args.show).read_text(encoding="utf-8")))
        return 0
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    if args.product:
        from router_product import run, table

        rows = run(sizes, args.queries, args.seed, Path(args.work), Path(args.src), args.serve_runs)
        print(table(rows))
        if args.save:
            Path(args.save).write_text(json.dumps(rows, indent=1), encoding="utf-8")
        return 0
    variants = [[int(n) for n in v.split(":")] for v in args.variants.split(",") if v.strip()]
    report: dict[str, Any] = {
        "queries": args.queries,
        "seed": args.seed,
        "rows": [],
        "machine": f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}",
    }
    begun = time.perf_counter()
    if args.cold_runs:
        print(f"cold start: {args.cold_runs} runs of jinshui-qa ask ...", file=sys.stderr)
        report["cold_start"] = cold_start(args.cold_runs)
    for size, pinyin in _configs(sizes, args.pinyin, args.pinyin_max):
        print(f"{size:,} facts, pinyin {'on' if pinyin else 'off'} ...", file=sys.stderr, end=" ", flush=True)
        started = time.perf_counter()
        row = _worker(
            {
                "size": size,
                "pinyin": pinyin,
                "queries": args.queries,
                "seed": args.seed,
                "exact_init_max": args.exact_init_max,
                "variants": variants,
                "context_queries": args.context_queries,
                "context_seconds": args.context_seconds,
                "parts_queries": 100,
                "proposed": not args.no_proposed,
                "use_tracemalloc": args.tracemalloc,
            }
        )
        row["wall_s"] = round(time.perf_counter() - started, 1)
        print(
            f"{row['wall_s']} s: p50 {row['router']['p50']} ms, p99 {row['router']['p99']} ms",
            file=sys.stderr,
        )
        report["rows"].append(row)
        if args.save:  # partial results survive a failed or interrupted size
            Path(args.save).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    _fit_signature(report["rows"])
    report["growth"] = _growth(report["rows"])
    report["verdicts"] = _verdicts(report["rows"], report["growth"], report.get("cold_start"))
    report["total_s"] = round(time.perf_counter() - begun, 1)
    if args.save:
        Path(args.save).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        _print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
