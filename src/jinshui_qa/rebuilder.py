"""Builds the assistant for each fact base from the last one, through the persisted snapshot.

:class:`Rebuilder` is what :func:`jinshui_qa.bootstrap.open_runtime` starts from and what
:class:`~jinshui_qa.facts.live.LiveAssistant` calls on a reload. A start whose files are the ones the
snapshot was built from (their digest, :func:`jinshui_qa.facts.plain_base.files_digest`) takes the
validated base from it without importing ``yaml`` or running the checks; otherwise only the changed
topic files are parsed and validated (:class:`~jinshui_qa.facts.fast_load.FileCache`), and only
their facts indexed, as a delta over the stored index. A reload does the same over the last build
and writes the new snapshot from a background thread (:meth:`Rebuilder.flush` waits for it).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinshui_qa.routing.settings import RouterSettings
from jinshui_qa.text.normalize import building

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant
    from jinshui_qa.facts.fast_load import FileCache
    from jinshui_qa.facts.schema import Fact, FactBase
    from jinshui_qa.routing.index import Reuse
    from jinshui_qa.routing.slots import FactSlots
    from jinshui_qa.routing.state import RouterState, SlotsById

log = logging.getLogger(__name__)


def _names(fact: Fact) -> tuple[str, ...]:
    subject = (fact.subject.zh, fact.subject.en) if fact.subject else ()
    return (*fact.keywords, *subject, fact.title.zh, fact.title.en)


class Rebuilder:
    """Builds the assistant for each new fact base from the last one it built (see :func:`~jinshui_qa.bootstrap.assistant_for`'s
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
        self._writer: threading.Thread | None = None
        self._spelled: dict[str, str] | None = None  # the scorer's names by sound, from the snapshot

    def start(self, directory: Path) -> Assistant:
        """Load ``directory`` (raises as :func:`~jinshui_qa.facts.loader.load`) and build, reusing the
        snapshot where it applies."""
        from jinshui_qa.bootstrap import assistant_for
        from jinshui_qa.facts.loader import read_files

        files = read_files(directory)
        payload = self._restore(files) if self.snapshot else None
        reuse, folded, canonical, whole, slots, plain = payload or (None, None, None, None, {}, None)
        with building(folded) as memo:
            base = whole or self.files.build(files)
            state = self._state(plain if whole is not None else None, base, slots)
            self.last = assistant_for(base, self.settings, reuse=reuse, canonical=canonical, state=state)
            if whole is not None and self._spelled is not None:
                self.last.router.scorer.seed_spelled(self._spelled)
            self._keep(memo.folded)
        if self.snapshot and (payload is None or self.files.parsed):
            self._save()
        return self.last

    def _state(self, plain: Any, base: FactBase, slots: SlotsById) -> RouterState | None:
        from jinshui_qa.routing.state import state_from_plain

        try:
            return state_from_plain(plain, base, slots)
        except (TypeError, ValueError, IndexError):  # well-formed but not ours: the router derives it
            log.warning("index snapshot %s holds a router state of another shape: deriving it", self.snapshot)
            return None

    def __call__(self, base: FactBase) -> Assistant:
        from jinshui_qa.bootstrap import assistant_for

        with building(self._folded) as memo:
            self.last = assistant_for(base, self.settings, self.last, canonical=self._canonical)
            self._keep(memo.folded)
        if self.snapshot:
            self._save(background=True)
        return self.last

    def _keep(self, folded: dict[Any, str]) -> None:
        """The folded and canonical forms of the facts' names (keywords, subjects, titles), which a
        router's frame reader and word lists read over every fact: the next build starts from them.
        The other texts (questions, answers) are folded again only for the facts a build indexes."""
        assert self.last is not None
        names = {n for f in self.last.base.facts for n in _names(f)}
        # a copy first (one C call): a question answered meanwhile on another thread folds into the same memo
        self._folded = {key: form for key, form in dict(folded).items() if key[0] in names}
        memo = self.last.router.index.normalizer.memo()
        self._canonical = {text: form for text, form in memo.items() if text in names}

    def _key(self, files: dict[str, str]) -> str:
        from jinshui_qa.facts.fast_load import SCHEMA
        from jinshui_qa.facts.plain_base import BASE_SCHEMA
        from jinshui_qa.routing.state import STATE_SCHEMA
        from jinshui_qa.storage.index_store import snapshot_key

        return snapshot_key(self.settings, files, SCHEMA + BASE_SCHEMA + STATE_SCHEMA)

    def _restore(
        self, files: dict[str, str]
    ) -> tuple[Reuse, dict[Any, str], dict[str, str], FactBase | None, SlotsById, Any] | None:
        """The snapshot's per-fact data (index parts, router slots), and the whole validated base and
        the router's state over all facts (plain) when no file changed since."""
        from jinshui_qa.facts.plain_base import files_digest, restore_base
        from jinshui_qa.routing.state import slots_from_plain
        from jinshui_qa.storage.index_store import read_snapshot_parts

        assert self.snapshot is not None
        parts = read_snapshot_parts(self.snapshot, self._key(files))
        if parts is None:
            return None
        payload, blobs = parts
        try:
            self.files.restore(payload["files"])
            from jinshui_qa.routing.index import Reuse
            from jinshui_qa.routing.packed import ints
            from jinshui_qa.routing.segments import Layout

            layout = Layout.load(payload["index"], blobs)
            positions: dict[int, tuple[Fact, int]] = {}
            for name, stored in payload["positions"].items():
                for fact, j in zip(self.files.facts_of(name), ints(stored), strict=True):
                    if j >= len(layout):
                        raise ValueError("a position outside the stored index")
                    if j >= 0:
                        positions[id(fact)] = (fact, j)
            reuse = Reuse(layout, positions, frozenset(payload["english"]))
            slots: dict[int, tuple[Fact, FactSlots]] = {}
            for name, plain in payload["slots"].items():
                for fact, one in zip(self.files.facts_of(name), plain, strict=True):
                    slots[id(fact)] = (fact, slots_from_plain(one))
            from jinshui_qa.text.pinyin import seed_readings

            seed_readings(dict(payload["readings"]))
            whole = None
            if payload["digest"] == files_digest(files):
                whole = restore_base(payload["base"], *self.files.cached(files))
                self._spelled = {str(k): str(v) for k, v in payload["spelled"].items()}
            return reuse, dict(payload["folded"]), dict(payload["canonical"]), whole, slots, payload["router"]
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):  # well-formed but not ours
            log.warning("index snapshot %s does not hold what this version writes: rebuilding", self.snapshot)
            self.files.restore({})
            return None

    def flush(self) -> None:
        """Wait until the snapshot a reload is writing in the background is written."""
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.join()

    def _save(self, *, background: bool = False) -> None:
        """Store the snapshot of the last build; ``background``: the plain data is made and written by
        a thread (a reload swaps in the new assistant without waiting), from what is taken here."""
        from jinshui_qa.text.pinyin import readings

        assert self.snapshot is not None and self.last is not None
        self.flush()
        texts = dict(self.files.texts)
        facts = {name: self.files.facts_of(name) for name in texts}
        known = {"folded": self._folded, "canonical": self._canonical, "readings": readings()}
        args = (self.snapshot, self._key(texts), self.last, texts, self.files, facts, known)
        if not background:
            _write(*args)
            return
        self._writer = threading.Thread(target=_write, args=args, name="index-snapshot")
        self._writer.start()


def _write(path: Path, key: str, last: Assistant, texts: dict[str, str], cache: FileCache,
           facts: dict[str, tuple[Fact, ...]], known: dict[str, Any]) -> None:  # fmt: skip
    """Write the snapshot of ``last`` (see :meth:`Rebuilder._save`), unless the file cache moved on
    meanwhile (a newer reload, which writes its own); a failure is a logged warning."""
    files = cache.export()
    if any(cache.facts_of(name) is not facts.get(name) for name in files) or any(
        cache.facts_of(name) is not held for name, held in facts.items()
    ):
        log.info("index snapshot %s not written: a newer reload replaces it", path)
        return
    from jinshui_qa.facts.plain_base import files_digest, plain_base
    from jinshui_qa.routing.packed import ints
    from jinshui_qa.routing.state import carried, plain_slots, plain_state
    from jinshui_qa.storage.index_store import write_snapshot

    index = last.router.index
    kept = index.reusable().positions
    positions = {name: ints(kept.get(id(f), (f, -1))[1] for f in facts[name]).tobytes() for name in files}
    held = carried(last.router)
    slots = {name: tuple(plain_slots(held[id(f)][1]) for f in facts[name] if id(f) in held) for name in files}
    blobs: list[bytes] = []
    try:
        payload = {"files": files, "index": index.layout.dump(blobs), "positions": positions,
                   "english": tuple(index.english_words), **known, "digest": files_digest(texts),
                   "base": plain_base(last.base), "slots": slots, "router": plain_state(last.router),
                   "spelled": last.router.scorer.spelled()}  # fmt: skip
        write_snapshot(path, key, payload, blobs)
    except OSError as exc:
        log.warning("could not write the index snapshot %s (%s)", path, exc)
