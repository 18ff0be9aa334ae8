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
import os
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.facts.loader import load
from jinshui_qa.facts.schema import FactBase
from jinshui_qa.rebuilder import Rebuilder as Rebuilder  # re-exported (tests, live)
from jinshui_qa.records import dataclass
from jinshui_qa.routing.index import Index, Reuse
from jinshui_qa.routing.router import Router
from jinshui_qa.routing.settings import RouterSettings
from jinshui_qa.routing.spliced import after
from jinshui_qa.routing.state import RouterState
from jinshui_qa.text.normalize import Normalizer, building

if TYPE_CHECKING:
    from jinshui_qa.errors import Problem
    from jinshui_qa.facts.live import LiveAssistant, Reloaded
    from jinshui_qa.storage.question_log import QuestionLog
    from jinshui_qa.storage.question_writer import BackgroundQuestionLog

PathLike = str | os.PathLike[str]


def assistant_for(
    base: FactBase,
    settings: RouterSettings | None = None,
    previous: Assistant | None = None,
    reuse: Reuse | None = None,
    canonical: dict[str, str] | None = None,
    state: RouterState | None = None,
    workers: int | None = None,
) -> Assistant:
    """An assistant over an already validated fact base; ``settings`` tune or switch off router stages.

    ``previous``: the assistant this one replaces (a reload); with the same vocabulary and settings,
    its normaliser is kept and the index reuses the texts and tokens of every fact object the two
    bases share (:class:`Rebuilder` passes it). ``reuse``: the same from a persisted snapshot
    (:mod:`jinshui_qa.storage.index_store`), computed with this vocabulary and these settings, as are
    the ``canonical`` forms of the facts' texts it may hold, and the router's per-fact ``state``
    (:mod:`jinshui_qa.routing.state`; on a reload, the slots of the shared facts are carried over).
    ``workers``: processes a full build may tokenise and derive slots with (default: :func:`~jinshui_qa.forking.build_workers`).
    """
    settings = settings or RouterSettings()
    starting = _STARTING.get() if reuse is not None and state is not None else None  # from the snapshot
    forms = None if starting is None else starting.read()
    from jinshui_qa.storage.snapshot_read import paused_collector

    # each fact text folded once, not once per stage (index, slots, frames...); a first build makes
    # millions of objects and little garbage: the collector's passes over them (in the workers too) wasted
    with building() as memo, paused_collector(previous is None):
        if forms is not None:  # what this start would fold again (storage/start_forms.py)
            memo.folded.update(forms[0])
        old = previous.router if previous is not None else None
        if old is not None and old.settings == settings and old.base.vocabulary == base.vocabulary:
            normalizer = old.index.normalizer
        else:
            normalizer = Normalizer(base.vocabulary, simplify=settings.traditional, numerals=settings.numerals,
                                    synonyms=settings.synonyms, colloquial=settings.colloquial)  # fmt: skip
        normalizer.seed(forms[1] if forms is not None else {})
        normalizer.seed(canonical or {})
        if state is None and old is not None and old.index.normalizer is normalizer:
            state = after(old, base)  # the slots and index rows of the facts the two bases share
            if reuse is None:
                reuse = Reuse(old.index.layout, {}, state.index_english, rows=state.rows)
        if reuse is None and old is not None and old.index.normalizer is normalizer:
            reuse = old.index.reusable()
        if workers is None:
            from jinshui_qa.forking import build_workers

            workers = build_workers()
        index = Index(base, normalizer, with_pinyin=settings.pinyin, reuse=reuse, workers=workers)
        assistant = Assistant(base, Router(index, settings, state, workers=workers))
        if starting is not None and forms is None:
            starting.write(memo.folded, normalizer.memo())
        # The index is long-lived and holds no cycles worth collecting: keep the collector from walking it
        # again and again (a full collection at 20,000 facts took 0.5 s before this); frozen before the
        # collector runs again, which would walk every object made meanwhile once more (0.5 s at 100k)
        gc.freeze()
    return assistant


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

    return _started(Rebuilder(settings, Path(data) / SNAPSHOT_FILE), facts_dir(facts))


class _Starting:
    """A start through a data directory: its snapshot's start forms (:mod:`jinshui_qa.storage.start_forms`),
    under the snapshot key the rebuilder checked the snapshot with."""

    def __init__(self, rebuilder: Rebuilder) -> None:
        from jinshui_qa.storage import start_forms

        assert rebuilder.snapshot is not None
        self.rebuilder, self.forms = rebuilder, start_forms
        self.path = rebuilder.snapshot.with_name(start_forms.FILE)

    def read(self) -> tuple[dict[tuple[str, bool, bool], str], dict[str, str]] | None:
        key = getattr(self.rebuilder, "key", None)
        return None if key is None else self.forms.read(self.path, key)

    def write(self, folded: dict[tuple[str, bool, bool], str], canonical: dict[str, str]) -> None:
        key = getattr(self.rebuilder, "key", None)
        if key is not None:
            self.forms.write(self.path, key, folded, canonical)


_STARTING: ContextVar[_Starting | None] = ContextVar("starting", default=None)


def _started(rebuilder: Rebuilder, directory: Path) -> Assistant:
    """``rebuilder.start(directory)``, a start from its snapshot seeded with the forms it would fold again."""
    token = _STARTING.set(_Starting(rebuilder) if rebuilder.snapshot is not None else None)
    try:
        return rebuilder.start(directory)
    finally:
        _STARTING.reset(token)


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
    live = LiveAssistant(directory, _started(rebuilder, directory), build=rebuilder, files=rebuilder.files,
                         on_reload=on_reload, on_problems=on_problems, store_path=store)  # fmt: skip
    if store is not None:
        _ensure_store(directory, store, live)
    return Runtime(directory, data_path, live, store)


def _ensure_store(directory: Path, store: Path, live: LiveAssistant) -> None:
    import logging  # here: `ask` never writes the fact store (logging costs 8 ms to import)

    from jinshui_qa.storage.fact_store import ensure_store

    log = logging.getLogger(__name__)

    try:
        if ensure_store(directory, store, live().base):
            log.info("wrote the fact store %s", store)
    except Exception as exc:  # a read-only or full data directory must not stop a channel
        log.warning("could not write the fact store %s (%s)", store, exc)
