"""A live reload after editing one file, end to end, as the product does it (issue 14).

    PYTHONPATH=src python benchmarks/reload.py DIR --snapshot FILE [--rounds 3] [--profile OUT]

DIR is a facts directory the benchmark may edit (copy /work/bench/facts10k first: each round edits
one topic file, then puts it back). The assistant is started from ``--snapshot`` (built first when
missing or stale: that build is not timed), then for each round:

* one topic file is edited (``--kind``: a fact's ``verified`` date, as ``router.py --product`` does;
  or its English answer reworded, a keyword added / changed / removed, the fact removed, a new fact
  added, a new file added, a file deleted, the first fact moved to the next file) and ``LiveAssistant.reload()`` runs: its CPU seconds (this process, user + system; the background
  snapshot writer's share is counted while it overlaps), wall seconds, and per stage CPU;
* the new assistant's first questions: in odd rounds while the snapshot is written in the
  background, in even rounds after ``Rebuilder.flush()``: thread CPU and wall ms per question, to
  tell whether the writer (same process, GIL) slows the questions;
* the file is put back and reloaded again (not timed).

``--profile OUT`` writes a cProfile of the first round's reload (``python -m pstats OUT``). ``--pin-code``
lets an older tree start from the snapshot a newer one wrote (same payload), to compare their reloads.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

KINDS = ("verified", "english", "alias-add", "alias-change", "alias-remove", "remove-fact", "add-fact",
         "add-file", "delete-file", "move-fact")  # fmt: skip
HERE = Path(__file__).resolve().parent
CPU: dict[str, float] = defaultdict(float)
SAVED: dict[Path, str] = {}  # a file the edit changed besides the edited one (move-fact), as it was


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss() -> tuple[float, float]:
    """This process's resident and peak resident MB (Linux)."""
    found = dict(
        line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line
    )
    return int(found["VmRSS"].split()[0]) / 1024, int(found["VmHWM"].split()[0]) / 1024


def _wrap(owner: Any, name: str, label: str) -> None:
    original = getattr(owner, name, None)
    if original is None:
        return

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.thread_time()
        try:
            return original(*args, **kwargs)
        finally:
            CPU[label] += time.thread_time() - started

    setattr(owner, name, timed)


def _stages() -> None:
    import jinshui_qa.bootstrap as bootstrap
    import jinshui_qa.facts.validation as validation
    from jinshui_qa.facts.fast_load import FileCache

    _wrap(FileCache, "load", "facts: FileCache.load")
    _wrap(validation, "read_topic_file", "  reading the edited file")
    _wrap(validation, "_cross_checks", "  checks across files")
    _wrap(validation, "policy_problems", "  policy")
    _wrap(bootstrap, "Index", "Index")
    _wrap(bootstrap, "Router", "Router")
    _wrap(bootstrap, "after", "after: the router state (slots, rows)")  # bootstrap's name for it
    from jinshui_qa.rebuilder import Rebuilder

    _wrap(Rebuilder, "_keep", "Rebuilder._keep")
    try:
        from jinshui_qa.facts.cross_tables import CrossTables

        _wrap(CrossTables, "vouch", "  checks across files (tables)")
    except ImportError:  # an older tree
        pass


def _first_fact(text: str) -> tuple[int, int]:
    """Where the first fact of a topic file starts and ends."""
    start = text.index("\n- id: ") + 1
    end = text.find("\n- id: ", start)
    return start, len(text) if end < 0 else end + 1


def _new_fact(text: str, round_: int) -> str:
    """The file's first fact under a new id with new names (no phrasing of it clashes)."""
    a, b = _first_fact(text)
    fact = text[a:b]
    subject = re.search(r"  subject:\n    zh: (\S+)\n    en: ([^\n]+)\n", fact)
    assert subject is not None, "a fact with a subject"
    zh, en = subject[1], subject[2]
    tag = "零一二三四五六七八九"[round_ % 10]
    fact = fact.replace(zh[:2], f"新澜{tag}").replace(en.split()[0], f"Xinlan{round_}")
    return re.sub(r"- id: syn_(\d+)", lambda m: f"- id: syn_9{m[1]}", fact, count=1)


def _edit(kind: str, directory: Path, edited: Path, original: str, round_: int) -> None:
    """Edit ``directory`` as ``kind`` says (round ``round_``); :func:`_undo` puts it back."""
    a, b = _first_fact(original)
    fact = original[a:b]
    tag = "零一二三四五六七八九"[round_ % 10]
    if kind == "verified":
        day = f"verified: 2026-11-{27 - round_ % 20:02d}"
        changed = original.replace("verified: 2026-11-28", day, 1)
    elif kind == "english":
        answer = re.search(r"  answer:\n    zh: [^\n]*\n    en: ([^\n]*)\n", fact)
        assert answer is not None
        at = a + answer.end(1)
        changed = original[:at] + f" Reworded{round_} as reported." + original[at:]
    elif kind.startswith("alias-"):
        keywords = re.search(r"  keywords:\n((?:  - [^\n]*\n)+)", fact)
        assert keywords is not None
        lines = keywords[1].splitlines(keepends=True)
        at = a + keywords.start(1)
        if kind == "alias-add":
            lines.insert(1, f"  - 新别名{tag}号\n")
        elif kind == "alias-change":
            lines[1] = lines[1].rstrip("\n") + f"改{tag}\n"
        else:
            del lines[1]
        changed = original[:at] + "".join(lines) + original[at + len(keywords[1]) :]
    elif kind == "remove-fact":
        changed = original[:a] + original[b:]
    elif kind == "add-fact":
        changed = original + _new_fact(original, round_)
    elif kind == "add-file":
        head = original[: original.index("\nfacts:\n")]
        head = re.sub(r"(topic:\n  id: )(\S+)", lambda m: f"{m[1]}{m[2]}_new{round_}", head, count=1)
        (directory / "synthetic_zz_added.yaml").write_text(
            head + "\nfacts:\n" + _new_fact(original, round_), encoding="utf-8"
        )
        return
    elif kind == "delete-file":
        edited.unlink()
        return
    elif kind == "move-fact":  # the first fact moved to the end of the next file
        after = _next(directory, edited)
        text = SAVED[after] = after.read_text(encoding="utf-8")
        after.write_text(text.rstrip("\n") + "\n" + fact, encoding="utf-8")
        changed = original[:a] + original[b:]
    else:
        raise ValueError(kind)
    edited.write_text(changed, encoding="utf-8")


def _next(directory: Path, edited: Path) -> Path:
    files = sorted(directory.glob("synthetic_*.yaml"))
    return files[files.index(edited) + 1]


def _undo(kind: str, directory: Path, edited: Path, original: str) -> None:
    if kind == "add-file":
        (directory / "synthetic_zz_added.yaml").unlink()
    elif kind == "move-fact":
        after = _next(directory, edited)
        after.write_text(SAVED.pop(after), encoding="utf-8")
        edited.write_text(original, encoding="utf-8")
    else:
        edited.write_text(original, encoding="utf-8")


def _ask(assistant: Any, texts: list[str]) -> tuple[list[float], list[float]]:
    cpu, wall = [], []
    for text in texts:
        t, c = time.perf_counter(), time.thread_time()
        assistant.router.route(text)
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--snapshot", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--kind", choices=KINDS, default="verified", help="what each round edits")
    parser.add_argument("--pin-code", action="store_true",
                        help="key the snapshot without the code's digest, so that two source trees whose snapshots "
                             "hold the same data share one (a 100,000-fact build is some 400 s of CPU)")  # fmt: skip
    args = parser.parse_args()
    if args.pin_code:
        import jinshui_qa.storage.index_store as index_store

        index_store.code_version = lambda: "pinned"  # type: ignore[assignment]

    from jinshui_qa.facts.live import LiveAssistant
    from jinshui_qa.rebuilder import Rebuilder

    t, c = time.perf_counter(), _cpu()
    rebuilder = Rebuilder(snapshot=args.snapshot)
    assistant = rebuilder.start(args.directory)
    rebuilder.flush()
    print(f"start: {_cpu() - c:.2f} s CPU, {time.perf_counter() - t:.2f} s wall, "
          f"{len(assistant.base.facts)} facts, parsed {len(rebuilder.files.parsed)} files", flush=True)  # fmt: skip
    sys.path.insert(0, str(HERE))
    from synthetic import make_queries

    texts = [q.text for q in make_queries(assistant.base, args.questions, 7)]
    _ask(assistant, texts)
    live = LiveAssistant(args.directory, assistant, build=rebuilder, files=rebuilder.files)
    edited = sorted(args.directory.glob("synthetic_*.yaml"))[0]
    original = edited.read_text(encoding="utf-8")
    _stages()
    rows = []
    asked: dict[bool, list[tuple[float, ...]]] = {True: [], False: []}
    for round_ in range(args.rounds):
        CPU.clear()
        _edit(args.kind, args.directory, edited, original, round_)
        profile = None
        if args.profile and round_ == 0:
            import cProfile

            profile = cProfile.Profile()
            profile.enable()
        t, c, th = time.perf_counter(), _cpu(), time.thread_time()
        problems = live.reload()
        wall, cpu, thread = time.perf_counter() - t, _cpu() - c, time.thread_time() - th
        rss = _rss()  # as the reload returns (the snapshot's writer has only started)
        if profile is not None:
            profile.disable()
            profile.dump_stats(str(args.profile))
        assert not problems, problems[:5]
        writing = round_ % 2 == 0  # alternately: asked while the snapshot is written, or once it is
        w0 = time.perf_counter()
        if not writing:
            rebuilder.flush()
        waited = time.perf_counter() - w0
        qc, qw = _ask(live(), texts)  # the new assistant's first questions, either way
        rebuilder.flush()
        asked[writing].append((statistics.median(qc), max(qc), statistics.median(qw), max(qw), sum(qw)))
        rows.append((cpu, thread, wall))
        print(f"round {round_ + 1}: reload {cpu:.2f} s CPU (process), {thread:.2f} s CPU (reloading thread), "
              f"{wall:.2f} s wall, parsed {rebuilder.files.parsed}; load average {os.getloadavg()[0]:.1f}; "
              f"RSS as it returned {rss[0]:.0f} MB (peak so far {rss[1]:.0f} MB)")  # fmt: skip
        for label, seconds in CPU.items():
            print(f"    {label:30s} {seconds:7.3f} s CPU")
        print(f"  {len(texts)} questions {'during the snapshot write' if writing else f'after it ({waited:.2f} s)'}: "
              f"cpu p50 {statistics.median(qc):.2f} max {max(qc):.2f} ms, wall p50 {statistics.median(qw):.2f} "
              f"max {max(qw):.2f} sum {sum(qw):.0f} ms", flush=True)  # fmt: skip
        _undo(args.kind, args.directory, edited, original)
        assert not live.reload()
        rebuilder.flush()
    for writing, found in asked.items():
        if found:
            med = [statistics.median(column) for column in zip(*found, strict=True)]
            print(f"questions {'during the write' if writing else 'after it'} (median of {len(found)} rounds): "
                  f"cpu p50 {med[0]:.2f} max {med[1]:.2f} ms, wall p50 {med[2]:.2f} max {med[3]:.2f} sum {med[4]:.0f} ms")  # fmt: skip
    print(f"median reload: {statistics.median(r[0] for r in rows):.2f} s CPU (process), "
          f"{statistics.median(r[1] for r in rows):.2f} s CPU (thread), {statistics.median(r[2] for r in rows):.2f} s wall, "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
