"""A reload's snapshot written by a separate process, so that the serving process never holds the writer's
memory (issue 14: peak RSS serving).

Writing the snapshot makes plain data of the whole router. At 10,000 synthetic facts a writer thread lifted
the serving process's peak RSS from 222 MB (after the reload) to 457 MB; at 100,000, start5 measured
3.5-3.7 GB, and 2.4 GB still held after the write. So for a base of at least :data:`MIN_FACTS` facts,
:meth:`~jinshui_qa.rebuilder.Rebuilder._save` starts ``python -m jinshui_qa.storage.snapshot_job DIRECTORY
SNAPSHOT`` (the router's settings pickled on its stdin) instead of a thread. The child, at a lower
priority, starts as the product does (:meth:`~jinshui_qa.rebuilder.Rebuilder.start`: from the snapshot,
only the files changed since parsed and spliced in) and writes the snapshot of the files as it read
them; what a snapshot holds depends on the facts only (:mod:`jinshui_qa.storage.snapshot_writer`).

A newer reload ends the child still writing (its files are older; SIGTERM ends it through ``SystemExit``,
so its temporary file is removed) and starts another. Files that are invalid when the child reads them
leave the snapshot as it was (exit status 1; the serving process reports them at its own reload).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

MIN_FACTS = 8_192  # fewer: the write takes a fraction of a second and ~100 MB; a process costs more


class SeparateWriter:
    """The child process writing one reload's snapshot; ``join`` waits for it, ``end`` stops it."""

    def __init__(self, directory: Path, snapshot: Path, settings: Any) -> None:
        import pickle
        import subprocess

        root = str(Path(__file__).resolve().parents[2])  # this code, whatever the child's path: the same key
        path = os.environ.get("PYTHONPATH")
        env = dict(os.environ, PYTHONPATH=root + (os.pathsep + path if path else ""))
        command = [sys.executable, "-m", "jinshui_qa.storage.snapshot_job", str(directory), str(snapshot)]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env)
        assert self.process.stdin is not None
        with self.process.stdin as sent:
            sent.write(pickle.dumps(settings))

    def join(self) -> int:
        """Wait until the child has written (or failed); its exit status."""
        return self.process.wait()

    def end(self) -> None:
        """Stop the child (a newer reload writes the snapshot) and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait()


def _ended(signum: int, frame: Any) -> None:
    raise SystemExit(1)


def main(argv: list[str]) -> int:
    """The child: ``argv`` is ``[DIRECTORY, SNAPSHOT]``, the settings pickled on stdin; 0 when written."""
    import pickle
    import signal

    signal.signal(signal.SIGTERM, _ended)
    os.nice(10)  # the serving process's questions first
    from jinshui_qa.errors import FactsError
    from jinshui_qa.rebuilder import Rebuilder

    directory, snapshot = Path(argv[0]), Path(argv[1])
    rebuilder = Rebuilder(pickle.load(sys.stdin.buffer), snapshot)
    rebuilder.apart = None  # this process writes itself
    try:
        rebuilder.start(directory)
        rebuilder.flush()
    except FactsError as exc:
        print(f"snapshot not written: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
