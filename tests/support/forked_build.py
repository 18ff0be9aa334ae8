"""A full build's snapshot as a fresh process writes it (tests/storage/test_build_writer.py): run as
``python -m tests.support.forked_build CONFIG`` (JSON) from the checkout, so that this process is one
thread (a forked writer's condition, ``forking.usable``) whatever the test session left running.

The config: ``facts``, ``snapshot``, ``forked`` (the Rebuilder's threshold: None keeps the write in the
foreground), ``log`` (each process that writes a snapshot appends its id there), and optionally
``no_fork``: ``os.fork`` refused; ``write_fan_out``: from how many facts the write itself forks (``snapshot_writer.MIN_FACTS``: 1 to make
the layout in a process forked by the forked writer); ``gate``: a forked writer holds its written
temporary file until that path exists (it touches
``gate + ".held"`` first); ``then``: ``"open"`` (the gate, then flush), ``"reload"`` (an edit and a reload
while the writer is held; ``open_after_reload``: the gate opened then; ``apart``: the Rebuilder's
threshold for a reload's separate writer), ``"kill"`` (SIGTERM to the writer while held) or ``"exit"``
(this process gone before the writer sends what it made: the summary printed, no flush). Prints a line, then at the end
a JSON summary; each process that exits through its atexit handlers logs ``atexit PID``.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from jinshui_qa.rebuilder import Rebuilder
from jinshui_qa.storage import snapshot_writer


def _instrumented(log: Path, gate: Path | None) -> None:
    """Who writes (a wrapper of the writer, inherited by a forked child) and, with ``gate``, the rename
    of a child's written temporary file held until the gate opens."""
    write, replace, parent = snapshot_writer.write, os.replace, os.getpid()

    def logged(*args: Any) -> None:
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        write(*args)

    def held(source: Any, target: Any) -> None:
        if gate is not None and os.getpid() != parent:
            Path(str(gate) + ".held").touch()
            for _ in range(3000):  # at most 30 s: a writer never ended goes on
                if gate.exists():
                    break
                time.sleep(0.01)
        replace(source, target)

    snapshot_writer.write = logged  # type: ignore[assignment]
    os.replace = held
    atexit.register(lambda: log.open("a", encoding="utf-8").write(f"atexit {os.getpid()}\n"))


def _refused() -> int:
    raise BlockingIOError(11, "Resource temporarily unavailable")


def _wait_for(path: Path) -> None:
    for _ in range(6000):
        if path.exists():
            return
        time.sleep(0.01)
    raise TimeoutError(path)


def _digest(value: Any) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def main(config: dict[str, Any]) -> dict[str, Any]:
    facts, snapshot, log = Path(config["facts"]), Path(config["snapshot"]), Path(config["log"])
    gate = Path(config["gate"]) if config.get("gate") else None
    _instrumented(log, gate)
    snapshot_writer.MIN_FACTS = config.get("write_fan_out", snapshot_writer.MIN_FACTS)
    if config.get("then") == "exit":  # the child's work held until this process has exited
        from jinshui_qa.text import pinyin

        readings, parent = pinyin.readings, os.getpid()

        def after_the_parent() -> Any:
            while os.getpid() != parent and os.getppid() == parent:
                time.sleep(0.01)
            return readings()

        pinyin.readings = after_the_parent  # type: ignore[assignment]
    if config.get("no_fork"):  # as when the system refuses (memory, the process limit)
        os.fork = _refused
    print("before the build")  # buffered (standard output a pipe): printed once, by this process
    rebuilder = Rebuilder(snapshot=snapshot)
    rebuilder.forked = config["forked"]
    rebuilder.apart = config.get("apart", rebuilder.apart)
    assistant = rebuilder.start(facts)
    writer = rebuilder._writer
    out: dict[str, Any] = {"pid": os.getpid(), "writer": type(writer).__name__,
                           "on_disk_at_return": snapshot.exists(), "facts": len(assistant.base.facts)}  # fmt: skip
    then = config.get("then")
    if gate is not None:
        _wait_for(Path(str(gate) + ".held"))
        out["held"] = sorted(p.name for p in snapshot.parent.iterdir())
    if then == "open" and gate is not None:
        gate.touch()
    elif then == "kill":
        assert writer is not None
        os.kill(writer.pid, signal.SIGTERM)  # type: ignore[union-attr]
    elif then == "exit":  # as `ask` does once it has answered: no flush, the writer left to finish
        print(json.dumps(out))
        sys.stdout.flush()
        os._exit(0)
    elif then == "reload":
        from jinshui_qa.facts.live import LiveAssistant

        live = LiveAssistant(facts, assistant, build=rebuilder, files=rebuilder.files)
        path = facts / "innovation.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("verified: 2026-11-30", "verified: 2026-10-07", 1), encoding="utf-8")
        out["problems"] = len(live.reload())
        out["status_after_reload"] = writer.status  # type: ignore[union-attr]
        out["writer_after_reload"] = type(rebuilder._writer).__name__
        if gate is not None and config.get("open_after_reload"):
            gate.touch()
    rebuilder.flush()
    out["files"] = sorted(p.name for p in snapshot.parent.iterdir())  # as flush returns
    out["status"] = None if writer is None else writer.status  # type: ignore[union-attr]
    router = assistant.router
    out["pairs"] = _digest(sorted(router._pairs)) if isinstance(router._pairs, frozenset) else None
    out["spelled"] = _digest(sorted(router.scorer._by_sound.items())) if router.scorer._by_sound else None
    return out


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]))))
