"""Builds the assistant for each fact base from the last one, through the persisted snapshot.

:class:`Rebuilder` is what :func:`jinshui_qa.bootstrap.open_runtime` starts from and what
:class:`~jinshui_qa.facts.live.LiveAssistant` calls on a reload. A start whose files are the ones the
snapshot was built from (their digest, :func:`jinshui_qa.facts.plain_base.files_digest`) takes the
validated base from it without importing ``yaml`` or running the checks. A start whose files changed since
(edited while the bot was down) takes that same assistant, over the snapshot's files, as the previous one
of a reload to the files now (:mod:`jinshui_qa.storage.snapshot_start`): only the changed topic files are
parsed and validated (:class:`~jinshui_qa.facts.fast_load.FileCache`), their facts spliced into the index
and the router's names as a live reload splices them (:mod:`jinshui_qa.routing.spliced`,
:mod:`~jinshui_qa.routing.renames`), and the new snapshot written in the background, as after every
reload. A full build (no usable snapshot) of :attr:`Rebuilder.forked` facts or more returns its assistant
at once: a process forked once it is built writes the snapshot (:mod:`jinshui_qa.storage.snapshot_job`).
"""

from __future__ import annotations

import gc
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinshui_qa.errors import FactsError
from jinshui_qa.lazy_logging import LazyLogger
from jinshui_qa.name_forms import composed, fold_keys, moved, names_of, recount, renamed, stored_counts
from jinshui_qa.routing.settings import RouterSettings
from jinshui_qa.storage.snapshot_job import MIN_FACTS as MIN_APART
from jinshui_qa.storage.snapshot_job import Chained, ForkedWriter, SeparateWriter, writing
from jinshui_qa.storage.snapshot_read import Checking, in_background, paused_collector
from jinshui_qa.text.normalize import building

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant
    from jinshui_qa.facts.schema import FactBase
    from jinshui_qa.routing.slots import FactSlots
    from jinshui_qa.routing.state import RouterState, SlotsById
    from jinshui_qa.storage.snapshot_start import Digests, Restored


log = LazyLogger(__name__)


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
        self._writer: threading.Thread | SeparateWriter | ForkedWriter | Chained | None = None
        self.directory: Path | None = None  # the files :meth:`start` read
        self.apart: int | None = MIN_APART  # from so many facts a reload's snapshot: by another process
        self.forked: int | None = MIN_APART  # a full build's: by a process forked once it is built
        self._spelled: dict[str, str] | None = None  # the scorer's names by sound, from the snapshot
        self._forms: memoryview | None = None  # the snapshot's folded / canonical names, not read yet:
        # meanwhile ``_folded`` / ``_canonical`` hold the forms builds added and ``_dropped`` the names
        # dropped since (:func:`_composed`), so that a reload does not read them (a snapshot writer does)
        self._dropped: set[str] = set()
        self._names: dict[str, int] | None = None  # each name of the last build's facts: how many hold it
        self._counts: memoryview | None = None  # the snapshot's ``_names``, not read yet
        self._seen = 0  # how many canonical forms the normaliser held at the last build
        self._counted: dict[str, memoryview] = {}  # the snapshot's counts of English words and names, unread

    def start(self, directory: Path) -> Assistant:
        """Load ``directory`` (raises as :func:`~jinshui_qa.facts.loader.load`) and build, reusing the
        snapshot where it applies."""
        from jinshui_qa.facts.loader import read_files
        from jinshui_qa.facts.plain_base import files_digest

        self.directory = directory
        checking = Checking(self.snapshot) if self.snapshot else None  # the snapshot checked meanwhile
        try:
            with paused_collector():
                raw: dict[str, bytes] = {}  # the bytes read, hashed as read (the texts not encoded again)
                files = read_files(directory, self.files.reader, raw)  # a reload reads only files changed
                each: dict[str, bytes] = {}  # each file's digest
                digests = in_background(lambda: (files_digest(files, raw, each), each))  # beside the decoding
                payload = None if checking is None else self._restore(files, digests, checking)
        finally:
            if checking is not None:
                checking.close()
        if payload is not None:
            try:
                first = self._first(files, payload)  # the snapshot's own files, as they were
                if payload[-1]:
                    return first
                return self._changed(files)
            except FactsError:  # the facts' own problem (a changed file): reported, not a rebuild
                self.last = None
                raise
            except Exception as exc:  # the checksum right, the contents not: corrupt, never trusted
                log.warning("index snapshot %s cannot be decoded (%r): rebuilding", self.snapshot, exc)
                self._forget()
        digests()  # its thread ended: a build forks only when no other thread runs (forking.usable)
        return self._first(files, None)

    def _changed(self, files: dict[str, str]) -> Assistant:
        """A start whose files changed since the snapshot (edited while the bot was down): the assistant
        :meth:`_first` made over the snapshot's own files is the previous one of a reload (:meth:`__call__`):
        only the changed files are parsed and checked, their facts spliced in, the snapshot written by a
        thread."""
        return self(self.files.build(files))

    def _first(self, files: dict[str, str], payload: Any) -> Assistant:
        """The first assistant, from the snapshot's ``payload`` (:meth:`_restore`: over the files it was
        written from) or, None, built from ``files``."""
        from jinshui_qa.bootstrap import assistant_for

        reuse, whole, slots, plain, _ = payload or (None, None, {}, None, False)
        with building() as memo, paused_collector(whole is not None):  # a start: nothing collected
            base = whole or self.files.build(files)
            if whole is None:  # the facts live as long as the assistant (assistant_for freezes it all at the
                gc.freeze()  # end): the collector's full passes during the build do not walk them again
            state = self._state(plain if whole is not None else None, base, slots)
            self.last = assistant_for(base, self.settings, reuse=reuse, state=state)
            if whole is not None and self._spelled is not None:
                self.last.router.scorer.seed_spelled(self._spelled)
            if whole is not None:  # the counts of English words and of names, read when a reload needs them
                from jinshui_qa.routing.keyword_counts import KeywordCounts
                from jinshui_qa.routing.word_counts import WordCounts

                self.last.router.words = WordCounts(stored=self._counted.get("words"))
                self.last.router.scorer.counts = KeywordCounts(stored=self._counted.get("keywords"))
            if whole is None:  # else the names' forms are the snapshot's, read at the first reload
                self._keep(memo.folded)
        if self.snapshot and payload is None:
            self._save(forked=True)
        return self.last

    def _state(
        self, plain: Any, base: FactBase, slots: SlotsById | Sequence[FactSlots]
    ) -> RouterState | None:
        from jinshui_qa.routing.state import state_from_plain

        try:
            return state_from_plain(plain, base, slots)
        except (TypeError, ValueError, IndexError, KeyError):  # well-formed but not ours: derived
            log.warning("index snapshot %s holds a router state of another shape: deriving it", self.snapshot)
            return None

    def __call__(self, base: FactBase) -> Assistant:
        from jinshui_qa.bootstrap import assistant_for
        from jinshui_qa.routing.renames import spliceable

        previous = self.last
        kept = (
            previous is not None
            and previous.router.settings == self.settings
            and previous.base.vocabulary == base.vocabulary
        )
        # every name's form needed (the names read again, not spliced by count): the stored ones read
        needed = not kept or previous is None or (renamed(previous.base, base) and not spliceable(previous.router))  # fmt: skip
        if needed or (self._names is None and self._counts is None):
            self._read_forms()
        with building(self._folded) as memo:  # the normaliser kept (as assistant_for decides) has its forms
            self.last = assistant_for(
                base, self.settings, previous, canonical=self._canonical if needed else None
            )
            self._keep(memo.folded, previous.base if previous is not None else None)
        if self.snapshot:
            self._save(background=True)
        return self.last

    def _read_forms(self) -> None:
        """The names' forms a start from a whole snapshot left unread (the next build starts from them)."""
        forms, self._forms = self._forms, None
        if forms is not None:
            try:
                self._folded, self._canonical = composed(forms, self._folded, self._canonical, self._dropped)
            except (ValueError, EOFError, TypeError, IndexError):  # a cache: computed again
                log.warning("index snapshot %s holds names' forms of another shape: ignored", self.snapshot)
            self._dropped = set()

    def _keep(self, folded: dict[Any, str], before: FactBase | None = None) -> None:
        """The folded and canonical forms of the facts' names (keywords, subjects, titles), which a
        router's frame reader and word lists read over every fact: the next build starts from them.
        The other texts (questions, answers) are folded again only for the facts a build indexes.

        ``before``: the base the last build was over (a reload): the names are counted by the facts
        that left and came, and only the forms computed by this build are looked at."""
        assert self.last is not None
        from jinshui_qa.facts.runs import shared_ends

        facts = self.last.base.facts
        # a copy first (one C call, under the GIL): other threads (questions answered meanwhile, the
        # previous snapshot's writer) fold into the same memo while this runs
        folded = folded.copy()
        canonical = self.last.router.index.normalizer.memo()
        counts, self._counts = self._counts, None
        if counts is not None and self._names is None:  # the snapshot's: no fact read for their names
            self._names = stored_counts(counts)
        if before is None or self._names is None:
            names = self._names = dict(Counter(chain.from_iterable(map(names_of, facts))))  # counted in C
            self._folded = {key: form for key, form in folded.items() if key[0] in names}
            self._canonical = {n: form for n in names if (form := canonical.get(n)) is not None}  # (3x fewer)
            self._seen = len(canonical)
            return
        names = self._names
        lo, end = shared_ends(before.facts, facts)  # the facts outside are the same objects: not read
        dropped = recount(names, before.facts[lo : len(before.facts) - end], facts[lo : len(facts) - end])
        # both memos only grow in insertion order (until cleared when full): the build's folds come after
        # the seed (this build's ``self._folded``), the normaliser's new forms after the last count
        fresh = islice(folded.items(), len(self._folded) if len(folded) >= len(self._folded) else 0, None)
        self._folded = moved(self._folded, fresh, names, dropped, lambda key: key[0], fold_keys)
        grown = islice(canonical.items(), self._seen if len(canonical) >= self._seen else 0, None)
        self._canonical = moved(self._canonical, grown, names, dropped, lambda text: text, lambda n: (n,))
        if self._forms is not None:  # the snapshot's forms, not read: these names' go when they are
            self._dropped |= dropped
        self._seen = len(canonical)

    def _key(self, files: dict[str, str]) -> str:
        from jinshui_qa.facts.fast_load import SCHEMA
        from jinshui_qa.facts.plain_base import BASE_SCHEMA
        from jinshui_qa.routing.state import STATE_SCHEMA
        from jinshui_qa.storage.index_store import snapshot_key

        self.key = snapshot_key(self.settings, files, SCHEMA + BASE_SCHEMA + STATE_SCHEMA)
        return self.key

    def _restore(
        self, files: dict[str, str], digests: Callable[[], Digests], checking: Checking
    ) -> Restored | None:
        """The first assistant's parts from the snapshot (:func:`~jinshui_qa.storage.snapshot_start.restore`),
        over the files it was written from; what a reload reads later kept here."""
        from jinshui_qa.storage.snapshot_start import restore

        assert self.snapshot is not None
        taken = restore(self.snapshot, self._key(files), files, digests, checking, self.files)
        if taken is None:
            self._forget()
            return None
        restored, later = taken
        self._spelled, self._forms, self._counts = later["spelled"], later["forms"], later["counts"]
        self._counted = later["counted"]
        return restored

    def _forget(self) -> None:
        """Nothing of a snapshot that turned out not to be sound kept: the full build derives it all."""
        self.files.restore()
        self.last, self._spelled, self._forms, self._names, self._counts = None, None, None, None, None
        self._folded, self._canonical, self._dropped, self._counted, self._seen = {}, {}, set(), {}, 0

    def flush(self) -> None:
        """Wait until the snapshot being written in the background (by a thread or a process) is written."""
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.join()

    def _save(self, *, background: bool = False, forked: bool = False) -> None:
        """Store the snapshot of the last build; ``background`` (a reload, swapped in without waiting): made
        and written by a thread from what is taken here, or from ``apart`` facts by another process;
        ``forked`` (a full build), from ``forked`` facts by a forked one (storage/snapshot_job.py)."""
        from jinshui_qa.text.pinyin import readings

        assert self.snapshot is not None and self.last is not None
        size, writer = len(self.last.base.facts), self._writer
        if background and self.directory and self.apart is not None and size >= self.apart:
            # a separate process's, once a full build's forked writer (if still writing) has written
            self._writer = Chained.after(writer, (self.directory, self.snapshot, self.settings))
            return
        if background and writer is not None and not isinstance(writer, threading.Thread):
            writer.end()  # a process writing older files: this reload's snapshot replaces it
        self.flush()
        if forked and self.forked is not None and size >= self.forked and ForkedWriter.usable():
            try:
                self._writer = writing(self._save, self.last.router)  # the assistant returned meanwhile
                return
            except OSError as exc:  # no fork (memory, processes): written here
                log.warning("could not fork the index snapshot's writer (%s): writing it now", exc)
        texts = dict(self.files.texts)
        facts = {name: self.files.facts_of(name) for name in texts}  # per file: compared by identity
        known = {"forms": (self._forms, dict(self._folded), dict(self._canonical), frozenset(self._dropped)),
                 "readings": readings()}  # fmt: skip
        if self._names is not None:
            known["names"] = dict(self._names)  # a copy: the next reload changes it
        from jinshui_qa.storage.snapshot_writer import write

        args = (self.snapshot, self._key(texts), self.last, texts, self.files, facts, known)
        if not background:
            write(*args)
            return
        self._writer = threading.Thread(target=write, args=args, name="index-snapshot")
        self._writer.start()
