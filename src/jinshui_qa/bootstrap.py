"""Wire the parts, once for every entry point. Nothing runs at import.

- :func:`assistant_for` / :func:`bootstrap`: fact base -> normaliser -> index -> router -> assistant
  (``ask``, ``eval`` and scripts that embed the bot).
- :func:`open_runtime`: what the long-running channels (``chat``, ``bot``, later ``web``) share: the
  assistant that reloads itself when ``facts/`` changes, the data directory, the question log and the
  SQLite fact store. A channel only chooses its adapter and how its questions are written (directly, or
  by a background thread when it runs an event loop).

Errors: ``FactsDirMissing`` / ``FactsInvalid`` from loading, ``ConfigError`` from ``.env``; a fact store
that cannot be written is a logged warning, as the assistant answers from memory.
"""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.facts.loader import load
from jinshui_qa.facts.schema import FactBase
from jinshui_qa.routing.index import Index, Parts, Reuse
from jinshui_qa.routing.router import Router
from jinshui_qa.routing.settings import RouterSettings
from jinshui_qa.text.normalize import Normalizer, building

if TYPE_CHECKING:
    from jinshui_qa.errors import Problem
    from jinshui_qa.facts.live import LiveAssistant, Reloaded
    from jinshui_qa.storage.question_log import QuestionLog
    from jinshui_qa.storage.question_writer import BackgroundQuestionLog

log = logging.getLogger(__name__)
PathLike = str | os.PathLike[str]


def assistant_for(
    base: FactBase,
    settings: RouterSettings | None = None,
    previous: Assistant | None = None,
    reuse: Reuse | None = None,
    canonical: dict[str, str] | None = None,
) -> Assistant:
    """An assistant over an already validated fact base; ``settings`` tune or switch off router stages.

    ``previous``: the assistant this one replaces (a reload); with the same vocabulary and settings,
    its normaliser is kept and the index reuses the texts and tokens of every fact object the two
    bases share (:class:`Rebuilder` passes it). ``reuse``: the same from a persisted snapshot
    (:mod:`jinshui_qa.storage.index_store`), computed with this vocabulary and these settings, as are
    the ``canonical`` forms of the facts' texts it may hold.
    """
    settings = settings or RouterSettings()
    with building():  # each fact text is folded once, not once per stage (index, slots, frames...)
        old = previous.router if previous is not None else None
        if old is not None and old.settings == settings and old.base.vocabulary == base.vocabulary:
            normalizer = old.index.normalizer
        else:
            normalizer = Normalizer(base.vocabulary, simplify=settings.traditional, numerals=settings.numerals,
                                    synonyms=settings.synonyms, colloquial=settings.colloquial)  # fmt: skip
        normalizer.seed(canonical or {})
        if reuse is None and old is not None and old.index.normalizer is normalizer:
            reuse = old.index.reusable()
        index = Index(base, normalizer, with_pinyin=settings.pinyin, reuse=reuse)
        assistant = Assistant(base, Router(index, settings))
    # The index is long-lived and holds no cycles worth collecting: keep the collector from walking it
    # again and again (a full collection at 20,000 facts took 0.5 s before this).
    gc.freeze()
    return assistant


class Rebuilder:
    """Builds the assistant for each new fact base from the last one it built (see :func:`assistant_for`'s
    ``previous``): what :class:`~jinshui_qa.facts.live.LiveAssistant` calls on a reload.

    With ``snapshot`` (a path in the data directory), :meth:`start` builds the first assistant from the
    persisted snapshot where it still applies, and every build stores a fresh one
    (:mod:`jinshui_qa.storage.index_store`); a snapshot that cannot be written is a logged warning.
    """

    def __init__(self, settings: RouterSettings | None = None, snapshot: Path | None = None) -> None:
        from jinshui_qa.facts.fast_load import FileCache

        self.settings = settings or RouterSettings()
        self.snapshot = snapshot
        self.files = FileCache()
        self.last: Assistant | None = None
        self._folded: dict[Any, str] = {}
        self._canonical: dict[str, str] = {}

    def start(self, directory: Path) -> Assistant:
        """Load ``directory`` (raises as :func:`load`) and build, reusing the snapshot if it applies."""
        from jinshui_qa.facts.loader import read_files

        files = read_files(directory)
        payload = self._restore(files) if self.snapshot else None
        reuse, folded, canonical = payload or (None, None, None)
        with building(folded) as memo:
            base = self.files.build(files)
            self.last = assistant_for(base, self.settings, reuse=reuse, canonical=canonical)
            self._keep(memo.folded)
        if self.snapshot and (payload is None or self.files.parsed):
            self._save()
        return self.last

    def __call__(self, base: FactBase) -> Assistant:
        with building(self._folded) as memo:
            self.last = assistant_for(base, self.settings, self.last, canonical=self._canonical)
            self._keep(memo.folded)
        if self.snapshot:
            self._save()
        return self.last

    def _keep(self, folded: dict[Any, str]) -> None:
        """The texts this build folded and canonicalised (the base's): the next build starts from them."""
        assert self.last is not None
        self._folded = dict(folded)
        self._canonical = self.last.router.index.normalizer.memo()

    def _key(self, files: dict[str, str]) -> str:
        from jinshui_qa.facts.fast_load import SCHEMA
        from jinshui_qa.storage.index_store import snapshot_key

        return snapshot_key(self.settings, files, SCHEMA)

    def _restore(self, files: dict[str, str]) -> tuple[Reuse, dict[Any, str], dict[str, str]] | None:
        from jinshui_qa.storage.index_store import read_snapshot

        assert self.snapshot is not None
        payload = read_snapshot(self.snapshot, self._key(files))
        if payload is None:
            return None
        try:
            self.files.restore(payload["files"])
            reuse: dict[int, Parts] = {}
            for name, parts in payload["parts"].items():
                for fact, (canon, bag, spelled, py_bag) in zip(self.files.facts_of(name), parts, strict=True):
                    reuse[id(fact)] = (fact, canon, bag, spelled, py_bag)
            from jinshui_qa.text.pinyin import seed_readings

            seed_readings(dict(payload["readings"]))
            return reuse, dict(payload["folded"]), dict(payload["canonical"])
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):  # well-formed but not ours
            log.warning("index snapshot %s does not hold what this version writes: rebuilding", self.snapshot)
            self.files.restore({})
            return None

    def _save(self) -> None:
        from jinshui_qa.storage.index_store import write_snapshot

        assert self.snapshot is not None and self.last is not None
        kept = self.last.router.index.reusable()
        files = self.files.export()
        parts = {
            name: tuple(kept[id(f)][1:] for f in self.files.facts_of(name) if id(f) in kept) for name in files
        }
        try:
            from jinshui_qa.text.pinyin import readings

            payload = {"files": files, "parts": parts, "folded": self._folded, "canonical": self._canonical,
                       "readings": readings()}  # fmt: skip
            write_snapshot(self.snapshot, self._key(self.files.texts), payload)
        except OSError as exc:
            log.warning("could not write the index snapshot %s (%s)", self.snapshot, exc)


def bootstrap(
    facts: str | os.PathLike[str] | None = None,
    settings: RouterSettings | None = None,
    data: PathLike | None = None,
) -> Assistant:
    """Load the facts (``--facts``, ``$JQA_FACTS_DIR`` or the checkout's) and build an assistant; with
    ``data`` (a data directory), through its persisted index snapshot (built or refreshed as needed)."""
    if data is None:
        return assistant_for(load(facts), settings)
    from jinshui_qa.facts.loader import facts_dir
    from jinshui_qa.storage.index_store import SNAPSHOT_FILE

    return Rebuilder(settings, Path(data) / SNAPSHOT_FILE).start(facts_dir(facts))


@dataclass
class Runtime:
    """What every long-running channel needs; :func:`open_runtime` builds it.

    ``live`` is the current assistant (call it) and watches ``facts_dir`` once started (``with
    runtime.live:`` or the channel's own start/stop); ``data_dir`` holds the question log, the fact store
    (``store_path``, None when the channel keeps none) and channel files such as the bot's heartbeat.
    """

    facts_dir: Path
    data_dir: Path
    live: LiveAssistant
    store_path: Path | None = None
    _logs: list[QuestionLog | BackgroundQuestionLog] = field(default_factory=list, repr=False)

    def question_log(self, *, background: bool = False) -> QuestionLog | BackgroundQuestionLog:
        """The question log in the data directory; ``background``: written by a thread, so that
        recording never blocks an event loop. :meth:`close` closes it (flushing what is queued). Raises
        ConfigError when the user-hash key cannot be loaded (:mod:`jinshui_qa.storage.user_hash`)."""
        from jinshui_qa.storage.question_log import QuestionLog
        from jinshui_qa.storage.question_writer import BackgroundQuestionLog
        from jinshui_qa.storage.user_hash import load_hasher

        hasher = load_hasher(self.data_dir)  # ConfigError now, before the channel starts, when no key works
        opened: QuestionLog | BackgroundQuestionLog = (
            BackgroundQuestionLog.in_dir(self.data_dir, hasher=hasher)
            if background
            else QuestionLog.in_dir(self.data_dir, hasher=hasher)
        )
        self._logs.append(opened)
        return opened

    def close(self) -> None:
        """Stop watching the facts and close the question logs (idempotent)."""
        self.live.stop()
        while self._logs:
            self._logs.pop().close()

    def __enter__(self) -> Runtime:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_runtime(
    facts: PathLike | None = None,
    data: PathLike | None = None,
    *,
    fact_store: bool = False,
    on_reload: Callable[[Reloaded], None] | None = None,
    on_problems: Callable[[list[Problem]], None] | None = None,
) -> Runtime:
    """Load the facts and resolve the data directory as every command does (``--facts`` / ``--data-dir``,
    else the environment over ``./.env``, else the defaults; a data directory that is not a writable
    directory is a ``ConfigError`` before anything is loaded); with ``fact_store``, build or refresh
    ``DATA_DIR/facts.db`` now and on every reload. The watcher is not started yet."""
    from jinshui_qa.facts.live import LiveAssistant
    from jinshui_qa.facts.loader import facts_dir
    from jinshui_qa.settings import data_dir, facts_setting, read_env, usable_data_dir

    env = read_env()
    data_path = usable_data_dir(data_dir(data, env))  # ConfigError now: a file, or a directory not writable
    directory = facts_dir(facts_setting(facts, env))
    store = None
    if fact_store:
        from jinshui_qa.storage.fact_store import STORE_FILE

        store = data_path / STORE_FILE
    from jinshui_qa.storage.index_store import SNAPSHOT_FILE

    rebuilder = Rebuilder(snapshot=data_path / SNAPSHOT_FILE)
    live = LiveAssistant(directory, rebuilder.start(directory), build=rebuilder, files=rebuilder.files,
                         on_reload=on_reload, on_problems=on_problems, store_path=store)  # fmt: skip
    if store is not None:
        _ensure_store(directory, store, live)
    return Runtime(directory, data_path, live, store)


def _ensure_store(directory: Path, store: Path, live: LiveAssistant) -> None:
    from jinshui_qa.storage.fact_store import ensure_store

    try:
        if ensure_store(directory, store, live().base):
            log.info("wrote the fact store %s", store)
    except Exception as exc:  # a read-only or full data directory must not stop a channel
        log.warning("could not write the fact store %s (%s)", store, exc)
