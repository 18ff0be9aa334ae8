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

A full build's snapshot (a start with no usable snapshot, from :data:`MIN_FACTS` facts) is written by
:class:`ForkedWriter`: a process forked once the assistant is built (the start returns it at once), which
holds it already (copy on write), first sends back what the write makes that serves questions
(:func:`writing`: the router's pairs of characters, names spelled in pinyin), then writes as the start
would have. :meth:`~jinshui_qa.rebuilder.Rebuilder.flush` joins both writers, a newer reload ends them (a
forked one is left to finish, the reload's separate writer starting from its snapshot: :class:`Chained`);
this module is the one that knows about processes.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from jinshui_qa.routing.router import Router

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


class ForkedWriter:
    """A full build's snapshot written by a process forked from this one (see the module's docstring);
    ``join`` waits for it, ``end`` stops it. In the child ``job`` runs first and returns what ``taken`` is
    given here, by a thread, as soon as the child has sent it (nothing when the child failed or was
    ended before), then ``then`` (the write).

    The child finishes on its own when this process exits (it holds all it writes, and writes atomically:
    a temporary file renamed); it is niced, in a process group of its own (a terminal's Ctrl-C ends this
    process, not the write; ``end`` signals the child and the process it forks), reads nothing from
    standard input and writes nothing to standard output (a pipeline reading this process's output is
    not kept waiting), and leaves through ``os._exit``: no atexit handler, no stdio buffer of this
    process flushed twice. It holds no socket: a start builds before any channel connects. No fork
    (no memory, too many processes): ``OSError``, nothing left open."""

    def __init__(
        self, job: Callable[[], bytes], taken: Callable[[bytes], None], then: Callable[[], None]
    ) -> None:
        import contextlib
        import gc

        self.status: int | None = None  # the child's exit status, once reaped
        self._lock = threading.Lock()  # the child reaped, or signalled: never both at once
        for stream in (sys.stdout, sys.stderr):  # nothing buffered copied into the child
            if stream is not None:
                stream.flush()
        received, sent = os.pipe()
        thawed = not gc.get_freeze_count()
        gc.freeze()  # the collector in either process would touch every object's header, copying its page
        try:
            self.pid = os.fork()
        except OSError:
            os.close(received)
            os.close(sent)
            if thawed:
                gc.unfreeze()
            raise
        if self.pid == 0:
            os.close(received)
            _forked(job, sent, then)
        os.close(sent)
        with contextlib.suppress(OSError):  # the child did it, and ended meanwhile
            os.setpgid(self.pid, self.pid)  # as the child does itself (whichever runs first)
        self._thread = threading.Thread(target=self._reap, args=(received, taken, thawed),
                                        name="index-snapshot-fork", daemon=True)  # fmt: skip
        self._thread.start()

    @staticmethod
    def usable() -> bool:
        """Whether this process may fork a writer: as :func:`jinshui_qa.forking.usable` (more than one
        core, no other thread, ``fork``), from the main thread (the child handles SIGTERM), ``waitid``."""
        from jinshui_qa import forking

        main = threading.current_thread() is threading.main_thread()
        return main and hasattr(os, "waitid") and forking.usable(forking.build_workers(), True)

    def _reap(self, received: int, taken: Callable[[bytes], None], thawed: bool) -> None:
        import contextlib
        import gc

        data = b""
        try:
            with os.fdopen(received, "rb") as pipe:
                data = pipe.read()  # until the child has closed it (before it writes), or ended
            if data:  # taken while the child writes: sooner than its write, whatever becomes of it
                self._take(taken, data)
            with contextlib.suppress(ChildProcessError):  # ended, not reaped: its id still its own
                os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOWAIT)
        finally:
            with self._lock:
                try:
                    self.status = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
                except ChildProcessError:  # reaped already (SIGCHLD ignored): its bytes tell
                    self.status = 0 if data else 1
            if thawed:
                gc.unfreeze()

    @staticmethod
    def _take(taken: Callable[[bytes], None], data: bytes) -> None:
        try:
            taken(data)
        except Exception as exc:  # what serves questions faster only: made again when needed
            from jinshui_qa.lazy_logging import LazyLogger

            LazyLogger(__name__).warning("the snapshot writer's results not taken (%r)", exc)

    def join(self) -> int:
        """Wait until the child has written (or failed) and its results are taken; its exit status."""
        self._thread.join()
        assert self.status is not None
        return self.status

    def end(self) -> None:
        """Stop the child and what it forked (a newer reload writes the snapshot) and wait for it."""
        import signal

        with self._lock:
            if self.status is None:  # alive or not yet reaped: the group's id is still its own
                os.killpg(self.pid, signal.SIGTERM)
        self.join()


class Chained:
    """A reload's :class:`SeparateWriter` (made by ``then``) started once the full build's forked writer
    (``first``) has written: that snapshot is the separate writer's start (only the files changed since
    parsed), where ending ``first`` would leave it none to start from (a full build, minutes at 100,000
    facts). ``join`` waits for both; ``end`` keeps the separate writer from starting or stops it, and lets
    ``first`` finish (its snapshot is sound, older files)."""

    def __init__(self, first: ForkedWriter, then: Callable[[], SeparateWriter]) -> None:
        self.first, self._ended = first, False
        self.second: SeparateWriter | None = None
        self._lock = threading.Lock()
        self._thread = threading.Thread(
            target=self._run, args=(then,), name="index-snapshot-after", daemon=True
        )
        self._thread.start()

    @classmethod
    def after(cls, writer: Any, args: tuple[Any, ...], make: Callable[..., Any] = SeparateWriter) -> Any:
        """The writer of a reload's snapshot (``make(*args)``: a :class:`SeparateWriter`) given the last one,
        ``writer``: after it while it is a :class:`ForkedWriter` (or a chain after one) still writing;
        else ``writer`` (if any) ended first and the separate writer started now."""
        first = writer.first if isinstance(writer, Chained) else writer
        if isinstance(first, ForkedWriter) and first.status is None:
            if isinstance(writer, Chained):
                writer.end()
            return cls(first, partial(make, *args))
        if writer is not None and not isinstance(writer, threading.Thread):
            writer.end()  # a process writing older files: this reload's snapshot replaces it
        if writer is not None:
            writer.join()
        return make(*args)

    def _run(self, then: Callable[[], SeparateWriter]) -> None:
        self.first.join()
        with self._lock:
            if not self._ended:
                self.second = then()

    def join(self) -> int:
        """Wait until both have written (or failed); the separate writer's exit status (1: never started)."""
        self._thread.join()
        return 1 if self.second is None else self.second.join()

    def end(self) -> None:
        """The separate writer not started, or stopped; ``first`` left to finish (not waited for)."""
        with self._lock:
            self._ended, second = True, self.second
        if second is not None:
            second.end()


def _forked(job: Callable[[], bytes], sent: int, then: Callable[[], None]) -> NoReturn:
    """The forked child: ``job``'s bytes sent on ``sent`` (closed: a process ``then`` forks does not
    hold it; nobody reading, as when the parent has exited, is no failure), ``then`` run, then gone (exit status 0; 1 on any failure,
    SIGTERM included, whose ``SystemExit`` removes the temporary file being written)."""
    import contextlib
    import signal

    code = 1
    try:
        signal.signal(signal.SIGTERM, _ended)
        with contextlib.suppress(OSError):  # the parent did it first
            os.setpgid(0, 0)
        os.nice(10)  # the serving process's questions first
        quiet = os.open(os.devnull, os.O_RDWR)
        os.dup2(quiet, 0)
        os.dup2(quiet, 1)
        os.close(quiet)
        data = job()
        with contextlib.suppress(BrokenPipeError), os.fdopen(sent, "wb") as pipe:
            pipe.write(data)  # the parent gone (an `ask` answered, a bot stopped): the write still done
        then()
        code = 0
    except BaseException as exc:
        if not isinstance(exc, SystemExit):
            from jinshui_qa.lazy_logging import LazyLogger

            LazyLogger(__name__).warning("the index snapshot not written (%r)", exc)
    finally:
        os._exit(code)


def writing(save: Callable[[], None], router: Router) -> ForkedWriter:
    """A :class:`ForkedWriter` that first sends ``router``'s pairs of characters and its scorer's names
    spelled in pinyin (seconds each at 100,000 facts; until taken here, made on a first question's use),
    then writes a full build's snapshot (``save``, the foreground write: it finds both made)."""
    import marshal

    from jinshui_qa.text import pinyin

    def job() -> bytes:
        held = pinyin.readings()  # the snapshot holds those the build looked up, not the spelling's
        made = marshal.dumps(("".join(sorted(router.known_pairs())), router.scorer.spelled()))
        pinyin.keep_readings(held)
        return made

    def take(data: bytes) -> None:
        joined, spelled = marshal.loads(data)
        router.known_pairs(frozenset(joined[k : k + 2] for k in range(0, len(joined), 2)))
        router.scorer.seed_spelled(spelled)

    return ForkedWriter(job, take, save)


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
    rebuilder.apart = rebuilder.forked = None  # this process writes itself
    try:
        rebuilder.start(directory)
        rebuilder.flush()
    except FactsError as exc:
        print(f"snapshot not written: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
