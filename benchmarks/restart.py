"""A start of the product after fact files changed since its snapshot was written (edited while it was down).

    PYTHONPATH=src python benchmarks/restart.py --dir COPY --snapshot PATH [--edits figure,name] [--runs 3] [--src DIR]

``COPY``: a copy of a fact directory (benchmarks/fact_files.py), edited and put back by each run. One start
first leaves the snapshot of the files as they are (a full build when there is none; not timed); then per
run and edit (:data:`EDITS`) a fresh process (``router_product.py``'s ``restart`` phase) edits the files,
starts as the product does (``Rebuilder.start``: wall, CPU seconds with the forked workers', peak RSS),
waits for the snapshot that start writes, and puts the files and the snapshot back. ``--src``: another
source tree (the old one, alternated in the same minutes). Prints each run as JSON, then per edit the
median CPU seconds.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from router_product import HERE, _cpu, _peak_mb, _phase_in_subprocess, _start

EDITS = ("date", "figure", "name", "add_fact", "remove_fact", "add_file", "remove_file")


def _blocks(text: str) -> list[str]:
    return re.split(r"(?m)(?=^- id: )", text)


def _renamed(block: str, tag: str) -> str:
    """``block`` (one fact) as a new fact: another id, its subject's leading words replaced everywhere."""
    zh, en = (
        re.search(r"subject:\n +zh: (..)", block),
        re.search(r"\n +en: (\w+)", block.split("subject:")[1]),
    )
    assert zh and en, block[:200]
    return re.sub(
        r"^- id: (\S+)", rf"- id: \1_{tag}", block.replace(zh[1], "甪直").replace(en[1], f"Luzhi{tag}")
    )


def edit(directory: Path, kind: str) -> Callable[[], None]:
    """One edit of ``kind`` (:data:`EDITS`) to the first synthetic file of ``directory`` (or a file added or
    removed); returns what puts the files back."""
    files = sorted(directory.glob("synthetic_*.yaml"))
    path = files[-1] if kind == "remove_file" else files[0]
    text = path.read_text(encoding="utf-8")
    blocks = _blocks(text)
    first = blocks[1]
    if kind == "add_file":
        path = directory / "synthetic_zz_added.yaml"
        path.write_text(
            re.sub(r"  id: (\S+)", r"  id: \1_added", blocks[0], count=1) + _renamed(first, "file"),
            encoding="utf-8",
        )
        return lambda: path.unlink()
    if kind == "remove_file":
        path.unlink()
        return lambda: path.write_text(text, encoding="utf-8")
    if kind == "date":
        blocks[1] = first.replace("verified: 2026-11-28", "verified: 2026-11-27", 1)
    elif kind == "figure":  # a count's value, in the figure and in both answers
        at = next(k for k, b in enumerate(blocks) if re.search(r"value: (\d+)\.0\n +unit: (家|个)\n", b))
        value = re.search(r"value: (\d+)\.0\n", blocks[at])[1]  # type: ignore[index]
        blocks[at] = re.sub(rf"(?<![\d.]){value}(?![\d])", str(int(value) + 1), blocks[at])
    elif kind == "name":  # a keyword renamed: the frame reader's and the scorer's names change
        blocks[1] = re.sub(r"(keywords:\n +- )(\S+)", r"\1\2甪直", first, count=1)
    elif kind == "add_fact":
        blocks.insert(2, _renamed(first, "fact"))
    elif kind == "remove_fact":
        del blocks[1]
    assert "".join(blocks) != text, kind
    path.write_text("".join(blocks), encoding="utf-8")
    return lambda: path.write_text(text, encoding="utf-8")


def restart(config: dict[str, Any]) -> dict[str, Any]:
    """A start after one edit (``config["edit"]``) made while the product was down, from the snapshot of
    the files before it: wall and CPU seconds and peak RSS to the assistant; then the snapshot the start
    writes (in the background) waited for, not timed, and the files and the snapshot put back (a hard
    link: the writer replaces the file, never writes in place)."""
    directory, snapshot = Path(config["dir"]), Path(config["snapshot"])
    kept = snapshot.with_name(snapshot.name + ".kept")
    kept.unlink(missing_ok=True)
    os.link(snapshot, kept)
    undo = edit(directory, config["edit"])
    try:
        started, cpu = time.perf_counter(), _cpu()
        assistant, rebuilder = _start(directory, snapshot)
        out = {"edit": config["edit"], "restart_s": round(time.perf_counter() - started, 2),
               "restart_cpu_s": round(_cpu() - cpu, 2), "restart_peak_mb": _peak_mb(), "facts": len(assistant.base.facts),
               "parsed": None if rebuilder is None else len(rebuilder.files.parsed)}  # fmt: skip
        if rebuilder is not None:
            rebuilder.flush()  # the snapshot written by a thread after the start: its CPU and peak besides
            out["written_cpu_s"], out["written_peak_mb"] = round(_cpu() - cpu, 2), _peak_mb()
    finally:
        undo()
        os.replace(kept, snapshot)
    return out


def restarts(directory: Path, snapshot: Path, edits: list[str], runs: int, src: Path) -> list[dict[str, Any]]:
    """Every edit ``runs`` times, each a fresh process (:func:`restart`), after one start that leaves the
    snapshot of ``directory`` as it is (built, or written for the files now; not timed)."""
    config = {"dir": str(directory), "snapshot": str(snapshot), "queries": 0, "seed": 0}
    if not snapshot.exists():
        _phase_in_subprocess(config | {"phase": "build"}, src)
    code = "import sys; sys.path.insert(0, sys.argv[1]); import router_product as p; p._start(*map(p.Path, sys.argv[2:]))[1].flush()"
    subprocess.run([sys.executable, "-c", code, str(HERE), str(directory), str(snapshot)], check=True,
                   env=dict(os.environ, PYTHONPATH=str(src)))  # fmt: skip
    rows = []
    for _ in range(runs):
        for kind in edits:
            rows.append(_phase_in_subprocess(config | {"phase": "restart", "edit": kind}, src))
            rows[-1]["load_average"] = round(os.getloadavg()[0], 1)
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    return rows


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="A start after files changed since the snapshot.")
    parser.add_argument(
        "--dir", type=Path, required=True, help="a copy of a fact directory (edited, put back)"
    )
    parser.add_argument("--snapshot", type=Path, required=True)
    parser.add_argument("--edits", default=",".join(EDITS), help=f"of {','.join(EDITS)}")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--src", type=Path, default=HERE.parent / "src")
    a = parser.parse_args()
    done = restarts(a.dir.resolve(), a.snapshot.resolve(), a.edits.split(","), a.runs, a.src.resolve())
    for kind in a.edits.split(","):
        cpu = [r["restart_cpu_s"] for r in done if r["edit"] == kind]
        peak = max(r["restart_peak_mb"] for r in done if r["edit"] == kind)
        print(f"{kind}: CPU s median {statistics.median(cpu)} of {cpu}, peak RSS {peak:.0f} MB")
