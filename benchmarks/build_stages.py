"""Where a full build from YAML spends its CPU time, stage by stage (issue 14, "validation at scale").

    PYTHONPATH=src python benchmarks/build_stages.py DIR            # a full build, as Rebuilder.start does
    PYTHONPATH=src python benchmarks/build_stages.py DIR --facts    # reading and checking the facts alone
    PYTHONPATH=src python benchmarks/build_stages.py DIR --reload   # the facts' side of a one-file reload

With ``--reload`` the total includes the first, full load; the stages listed are the reload's.

DIR is a facts directory (benchmarks/fact_files.py writes synthetic ones). ``PYTHONPATH`` chooses the
source tree measured (an older commit's ``src`` works: stages it lacks are left out). Each stage is
timed in CPU seconds of this process and of the build's worker processes (:mod:`jinshui_qa.routing.pool`;
the wall time on a quiet machine is about the CPU time over the cores used; the load average is printed,
since others' work inflates the wall time), by wrapping the functions below, in one run:

* ``line-aware parse``: :func:`jinshui_qa.facts.yaml_lines.parse` (PyYAML with libyaml, Python nodes);
* ``fast parse``: :func:`jinshui_qa.facts.fast_yaml.fast_parse` (yaml_rs and the scan of the text);
* ``checks per file``: the schema checks of each topic file (``validation._topic_file``);
* ``cross-file checks``: duplicate ids and phrasings (the phrasings folded: normalisation that the
  index then finds memoised), related ids, sources, periods; ``policy``: facts/README.md's rules;
* ``Index``, ``Router``: the index (normalisation, tokens, pinyin) and the router's state;
* ``snapshot save``: writing the persisted snapshot;
* each fan-out (:func:`jinshui_qa.forking.fan_out`, by its caller): the CPU of this process's job and
  of the forked workers' (a worker longer than this process's job is waited for), and its wall time.
  What this process does outside them runs while the other cores idle.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import tempfile
import time
from collections import defaultdict
from itertools import pairwise
from pathlib import Path
from typing import Any

CPU: dict[str, float] = defaultdict(float)
OWN: dict[str, float] = defaultdict(float)  # this process alone: on idle cores, about the wall time
CALLS: dict[str, int] = defaultdict(int)


def _cpu(workers: bool = True) -> float:
    """CPU seconds of this process and (``workers``) of its children that ended (the build's workers)."""
    own, ended = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + (ended.ru_utime + ended.ru_stime if workers else 0.0)


COLLECTED: dict[int, list[float]] = defaultdict(lambda: [0, 0.0])  # generation -> passes, CPU seconds
_STARTED = [0.0]


def _collected(phase: str, info: dict[str, Any]) -> None:
    """A ``gc.callbacks`` hook: each pass of the collector counted, with its CPU time, by generation."""
    if phase == "start":
        _STARTED[0] = _cpu(workers=False)
        return
    held = COLLECTED[info["generation"]]
    held[0] += 1
    held[1] += _cpu(workers=False) - _STARTED[0]


EVENTS: list[tuple[str, float, float, float]] = []  # the timeline (--timeline): what, wall, this process's
# CPU, the collector's CPU so far
PROFILE: list[Any] = []  # --serial: a cProfile of this process outside the fan-outs


def _event(what: str) -> None:
    EVENTS.append((what, time.perf_counter(), _cpu(workers=False), sum(c for _, c in COLLECTED.values())))


def _wrap(owner: Any, name: str, label: str) -> None:
    original = getattr(owner, name, None)
    if original is None:  # an older tree without this stage
        return

    def timed(*args: Any, **kwargs: Any) -> Any:
        started, alone = _cpu(), _cpu(workers=False)
        _event(f"{label} begins")
        try:
            return original(*args, **kwargs)
        finally:
            CPU[label] += _cpu() - started
            OWN[label] += _cpu(workers=False) - alone
            CALLS[label] += 1
            _event(f"{label} ends")

    setattr(owner, name, timed)


FANS: list[tuple[str, float, float, float]] = []  # each fan-out: who called, CPU here, of the workers, wall


def _wrap_fan_out() -> None:
    """Each :func:`jinshui_qa.forking.fan_out` timed: this process's job (CPU), its workers' (CPU, ended),
    and the wall time of the whole; a worker longer than this process's job is waited for."""
    import inspect

    from jinshui_qa import forking

    original = forking.fan_out

    def timed(here: Any, away: Any) -> Any:
        caller = inspect.stack()[1].function
        wall, workers, mine = time.perf_counter(), _cpu() - _cpu(workers=False), [0.0]

        def job() -> Any:
            started = _cpu(workers=False)
            try:
                return here()
            finally:
                mine[0] = _cpu(workers=False) - started
                _event(f"fan-out of {caller}: this process's job ends")

        _event(f"fan-out of {caller} begins")
        for profile in PROFILE:
            profile.disable()
        try:
            return original(job, away)
        finally:
            ended = _cpu() - _cpu(workers=False) - workers
            FANS.append((caller, mine[0], ended, time.perf_counter() - wall))
            _event(f"fan-out of {caller} ends")
            for profile in PROFILE:
                profile.enable()

    forking.fan_out = timed


def _wrap_facts() -> None:
    import jinshui_qa.facts.validation as validation

    _wrap(validation, "parse", "line-aware parse")
    _wrap(validation, "fast_parse", "fast parse")
    _wrap(validation, "_topic_file", "checks per file")
    _wrap(validation, "_cross_checks", "cross-file checks")
    _wrap(validation, "policy_problems", "policy")
    _wrap(getattr(validation, "CrossTables", None), "vouch", "cross-file checks (tables)")  # newer trees


def _build(directory: Path) -> None:
    import jinshui_qa.bootstrap as bootstrap
    from jinshui_qa.facts.cross_tables import CrossTables
    from jinshui_qa.facts.fast_load import FileCache
    from jinshui_qa.rebuilder import Rebuilder
    from jinshui_qa.routing import frames

    _wrap_facts()
    _wrap_fan_out()
    _wrap(FileCache, "build", "facts (all of the above)")
    _wrap(bootstrap, "Index", "Index")
    _wrap(bootstrap, "Router", "Router")
    _wrap(Rebuilder, "_save", "snapshot save")
    _wrap(Rebuilder, "_keep", "names' forms kept")
    _wrap(FileCache, "_read_ahead", "read ahead")
    _wrap(frames, "_owners", "subject names' owners")
    _wrap(CrossTables, "reset", "cross-file tables")
    with tempfile.TemporaryDirectory() as scratch:
        rebuilder = Rebuilder(snapshot=Path(scratch) / "snapshot")
        rebuilder.forked = None  # the snapshot written here (profiled), not by a process forked once built
        rebuilder.start(directory)


def _facts(directory: Path) -> None:
    from jinshui_qa.facts.fast_load import FileCache
    from jinshui_qa.text.normalize import building

    _wrap_facts()
    with building():
        FileCache().load(directory)


def _reload(directory: Path) -> None:
    from jinshui_qa.facts.fast_load import FileCache
    from jinshui_qa.facts.loader import read_files
    from jinshui_qa.text.normalize import building

    files = read_files(directory)
    cache = FileCache()
    with building():
        cache.build(files)
    name = sorted(n for n in files if n.startswith("synthetic"))[0]
    files[name] = files[name].replace("verified: 2026-11-28", "verified: 2026-11-27", 1)
    _wrap_facts()
    with building():
        cache.build(files)
    assert cache.parsed == [name], cache.parsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--facts", action="store_true", help="reading and checking the facts alone")
    mode.add_argument("--reload", action="store_true", help="the facts' side of a one-file reload")
    parser.add_argument("--timeline", action="store_true", help="each stage's and fan-out's start and end")
    parser.add_argument("--serial", type=int, default=0, metavar="N",
                        help="the N functions of most CPU of this process outside the fan-outs (cProfile)")  # fmt: skip
    args = parser.parse_args()
    run = _facts if args.facts else _reload if args.reload else _build
    wall, cpu, alone = time.perf_counter(), _cpu(), _cpu(workers=False)
    gc.callbacks.append(_collected)
    _event("start")
    if args.serial:
        import cProfile

        PROFILE.append(cProfile.Profile())
        PROFILE[0].enable()
    run(args.directory)
    for profile in PROFILE:
        profile.disable()
    _event("end")
    wall, cpu, alone = time.perf_counter() - wall, _cpu() - cpu, _cpu(workers=False) - alone
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{run.__name__.strip('_')} of {args.directory}: {cpu:.2f} s CPU ({alone:.2f} s this process), {wall:.2f} s wall, peak RSS "
          f"{peak:.0f} MB (a worker's {workers:.0f} MB), load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print("  the collector (this process): " + ", ".join(f"generation {g}: {COLLECTED[g][0]} passes, {COLLECTED[g][1]:.2f} s CPU" for g in sorted(COLLECTED)))  # fmt: skip
    for label, seconds in CPU.items():
        print(f"  {label:26s} {seconds:8.2f} s CPU, {OWN[label]:8.2f} s this process ({CALLS[label]} calls)")
    for caller, mine, workers, wall in FANS:  # this process alone outside them: its serial path
        print(
            f"  fan-out of {caller:16s} {mine:8.2f} s CPU here, {workers:8.2f} s its workers', {wall:8.2f} s wall"
        )
    if args.timeline:
        _timeline()
    if args.serial:
        import pstats

        pstats.Stats(PROFILE[0]).sort_stats("tottime").print_stats(args.serial)


def _timeline() -> None:
    """Each event, with the wall and this process's CPU since the last one; what ran outside every fan-out
    (this process alone, the other cores idle) summed."""
    print(
        "  timeline (since the last event: wall s, this process's CPU s, the collector's; * outside the fan-outs):"
    )
    inside, alone = 0, [0.0, 0.0, 0.0]
    for (_, wall0, cpu0, gc0), (what, wall, cpu, collected) in pairwise(EVENTS):
        wall_s, cpu_s, gc_s = wall - wall0, cpu - cpu0, collected - gc0
        if not inside:
            alone[0] += wall_s
            alone[1] += cpu_s
            alone[2] += gc_s
        print(f"    {'*' if not inside else ' '} {wall_s:7.2f} {cpu_s:7.2f} {gc_s:6.2f}  -> {what}")
        inside += what.startswith("fan-out") and what.endswith("begins")
        inside -= what.startswith("fan-out") and what.endswith(" ends") and "job" not in what
    print(
        f"  outside the fan-outs: {alone[0]:.2f} s wall, {alone[1]:.2f} s CPU ({alone[2]:.2f} s the collector's)"
    )


if __name__ == "__main__":
    sys.exit(main())
