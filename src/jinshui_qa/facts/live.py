"""Live fact updates: the assistant in use, swapped for a new one when the facts change and validate.

:class:`LiveAssistant` is an ``AssistantSource``: calling it returns the current assistant (a plain
attribute read, atomic), so a message in flight finishes on the assistant it started with. A daemon
thread polls the facts directory's stat signature about once a second; once it changed, every file is
read at each poll, and the change is loaded only when names, sizes, mtimes *and* content have stayed
the same for ``settle`` seconds (two intervals by default; at least two polls), so a file saved slowly,
with a pause shorter than that, is never served half-written. The text read is what is validated (the
same checks as ``jinshui-qa check``) and swapped in only when it passes. Otherwise the old fact base
keeps serving and ``on_problems`` hears ``file:line: message`` problems - once: the same problems are
not reported again until the facts load or the problems change. The watcher never drops a whole file
by itself: a deleted file is a problem until ``reload()`` (the admins' ``/reload``) accepts it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.errors import FactsError, FactsInvalid, Problem
from jinshui_qa.facts.fast_load import FileCache
from jinshui_qa.facts.loader import TextCache, file_digest, read_files
from jinshui_qa.facts.runs import ids_of
from jinshui_qa.facts.schema import FactBase
from jinshui_qa.rebuilder import Rebuilder
from jinshui_qa.storage.fact_store import facts_signature
from jinshui_qa.storage.store_update import update_store

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Reloaded:
    """A successful swap: the new assistant and what changed."""

    assistant: Assistant
    previous_fingerprint: str
    added: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def fingerprint(self) -> str:
        return self.assistant.base.fingerprint

    def summary(self) -> str:
        base = self.assistant.base
        change = (
            f"+{len(self.added)} -{len(self.removed)} facts" if self.added or self.removed else "facts edited"
        )
        return f"facts reloaded: {len(base.facts)} facts, {base.phrasing_count} phrasings ({change})"


class LiveAssistant:
    """The current assistant, reloaded from ``facts_dir`` when its files change."""

    def __init__(self, facts_dir: str | os.PathLike[str], assistant: Assistant | None = None, *,
                 build: Callable[[FactBase], Assistant] | None = None, files: FileCache | None = None,
                 on_reload: Callable[[Reloaded], None] | None = None,
                 on_problems: Callable[[list[Problem]], None] | None = None,
                 store_path: str | os.PathLike[str] | None = None,
                 interval: float = 1.0, settle: float | None = None) -> None:  # fmt: skip
        self.facts_dir = Path(facts_dir)
        rebuilder = Rebuilder()
        self.build = build or rebuilder  # reuses the unchanged facts' index entries on a reload
        self.files = files or rebuilder.files  # a reload parses and checks the changed files only
        self.on_reload = on_reload
        self.on_problems = on_problems
        self.store_path = Path(store_path) if store_path else None
        self.interval = interval
        self.settle = 2 * interval if settle is None else settle  # seconds a change must stay unchanged
        self._since: tuple[str, float] = ("", 0.0)  # the pending change and when it was first seen
        self._notified: list[Problem] = []  # the problems the watcher last reported
        self._watch_error = ""
        self._texts = TextCache()  # the watcher's reads: unchanged files are not read again
        self._digests: dict[str, tuple[str, bytes]] = {}  # name -> (text, its digest), the last poll's
        self._signature = facts_signature(self.facts_dir)
        self.assistant = assistant if assistant is not None else self.build(self.files.load(self.facts_dir))
        self._files = self._names()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_problems: list[Problem] = []  # of the last reload (empty: it succeeded or found no change)
        self.last_reload_at: float | None = None  # wall-clock time of the last reload (None: none yet)

    def __call__(self) -> Assistant:
        return self.assistant

    def _names(self) -> frozenset[str]:
        return frozenset(p.name for p in self.facts_dir.glob("*.yaml"))

    # -- reloading ---------------------------------------------------------------------------------------
    def reload(self, *, allow_removal: bool = True, files: Mapping[str, str] | None = None,
               signature: str | None = None) -> list[Problem]:  # fmt: skip
        """Load, validate and swap in the facts; returns the problems (empty on success or no change).

        On any problem the current assistant stays. With ``allow_removal=False`` (the watcher), a file
        that disappeared since the last good load is itself a problem, and problems already reported
        are not reported again. ``files`` (name -> text, with the stat ``signature`` taken before they
        were read) is text already read; without it the directory is read now.
        """
        with self._lock:  # callbacks run after it is released, so they may call reload() themselves
            signature = signature or facts_signature(self.facts_dir)
            problems, event = self._reload(allow_removal, files)
            self._signature = signature
            self.last_problems = problems
            self.last_reload_at = time.time()
            repeated = not allow_removal and problems == self._notified
            self._notified = problems
        if problems and not repeated:
            for problem in problems:
                log.warning("facts not reloaded: %s", problem)
            self._notify(self.on_problems, problems)
        if event is not None:
            self._notify(self.on_reload, event)
        return problems

    def _reload(
        self, allow_removal: bool, files: Mapping[str, str] | None
    ) -> tuple[list[Problem], Reloaded | None]:
        names = self._names() if files is None else frozenset(files)
        gone = sorted(self._files - names)
        if gone and not allow_removal:
            return [
                Problem(n, 0, "file deleted; its facts keep being served until /reload") for n in gone
            ], None
        try:
            base = self.files.load(self.facts_dir) if files is None else self.files.build(dict(files))
        except FactsInvalid as exc:
            return exc.problems, None
        except FactsError as exc:
            return [Problem(str(self.facts_dir), 0, str(exc))], None
        except OSError as exc:
            return [Problem(str(self.facts_dir), 0, f"cannot read: {exc}")], None
        old = self.assistant
        self._files = names
        if base.fingerprint == old.base.fingerprint:
            return [], None
        try:
            new = self.build(base)
        except Exception as exc:  # a bug in building must not take the bot down either
            log.exception("facts not reloaded: building the assistant failed")
            return [Problem(str(self.facts_dir), 0, f"building the assistant failed: {exc}")], None
        self.assistant = new
        old_ids, new_ids = set(ids_of(old.base.facts)), set(ids_of(base.facts))  # no record made
        event = Reloaded(
            new, old.base.fingerprint, tuple(sorted(new_ids - old_ids)), tuple(sorted(old_ids - new_ids))
        )
        log.info("%s", event.summary())
        if self.store_path is not None:
            try:  # the rows of the facts that changed (the whole file when it does not hold the old base)
                update_store(old.base, base, self.store_path)
            except Exception:
                log.exception("facts reloaded, but the SQLite store %s could not be updated", self.store_path)
        return [], event

    @staticmethod
    def _notify(callback: Callable[[T], None] | None, value: T) -> None:
        if callback is None:
            return
        try:
            callback(value)
        except Exception:
            log.exception("live facts: a notification callback failed")

    def poll(self, settled: str | None = None) -> str | None:
        """One watcher step: returns the changed signature awaiting another look, or None.

        Pass the previous call's result back in. A change is reloaded when the same stat signature and
        content are seen twice in a row, ``settle`` seconds or more after they were first seen.
        """
        stat_signature = facts_signature(self.facts_dir)
        if stat_signature == self._signature:
            return None
        files, digest = self._read()
        current = f"{stat_signature}:{digest}"
        now = time.monotonic()
        if current != settled or self._since[0] != current:
            self._since = (current, now)
            return current
        if now - self._since[1] < self.settle:
            return current
        self.reload(allow_removal=False, files=files, signature=stat_signature)
        return None

    def _read(self) -> tuple[dict[str, str] | None, str]:
        """Every file's text (None when some cannot be read) and a digest of what was found. A file
        whose stat did not change since the last poll is not read again, nor its digest made again."""
        try:
            files = read_files(self.facts_dir, self._texts)
        except FactsError as exc:
            return None, hashlib.sha256(str(getattr(exc, "problems", exc)).encode()).hexdigest()[:16]
        digests = {}
        for name, text in files.items():
            held = self._digests.get(name)
            digests[name] = held if held is not None and held[0] is text else (text, file_digest(name, text))
        self._digests = digests
        found = b"".join(name.encode() + b"\0" + digests[name][1] for name in sorted(files))
        return files, hashlib.sha256(found).hexdigest()[:16]

    # -- the watcher thread ------------------------------------------------------------------------------
    def start(self) -> LiveAssistant:
        """Start the watcher (a daemon thread); idempotent."""
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._watch, name="jinshui-qa facts watcher", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def __enter__(self) -> LiveAssistant:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _watch(self) -> None:
        pending: str | None = None
        while not self._stop.wait(self.interval):
            try:
                pending = self.poll(pending)
                self._watch_error = ""
            except Exception as exc:
                if repr(exc) != self._watch_error:  # logged once, not at every poll
                    log.exception("live facts: the watcher hit an error; it keeps watching")
                self._watch_error = repr(exc)
                pending = None
