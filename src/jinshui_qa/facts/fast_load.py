"""Incremental loading: a topic file whose text has not changed is not parsed or validated again.

:class:`FileCache` remembers each topic file's validated topic and facts by file name and a digest of
its text. :meth:`FileCache.load` reads the directory as :func:`jinshui_qa.facts.loader.load` does and
hands :func:`~jinshui_qa.facts.validation.build_factbase` the cached result for every unchanged file,
so a reload after editing one file of a large base parses and checks that file only. The checks
across files (duplicate ids and phrasings, sources, related ids, policy) still run on every fact,
with each question's folded form remembered. A file with problems is never cached: it is read again,
with the line-aware parser, and reported as ``file:line: message`` as before.

A changed topic file is read by :func:`~jinshui_qa.facts.validation.read_topic_file`: the fast
reading (:mod:`jinshui_qa.facts.fast_yaml`) when it can vouch for the file and the file is clean, else
the line-aware parser. At 10,000 facts (14 MB of YAML) PyYAML with libyaml took 9 s of CPU (its nodes and
constructor are Python), the fast reading 0.8 s.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import marshal
import os
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from jinshui_qa.errors import Problem
from jinshui_qa.facts.cross_tables import CrossTables, Summary, same_facts
from jinshui_qa.facts.loader import TextCache, file_digest
from jinshui_qa.facts.records import MARSHAL, Part, Records, joined
from jinshui_qa.facts.schema import Bilingual, Fact, FactBase, Figure, Report, SourceRef, Topic
from jinshui_qa.text.normalize import fold


class FileCache:
    """Validated topic files by name and text digest, and the folded form of their questions.

    Holds only what the files present at the last :meth:`load` produced (bounded by the fact base).
    Thread-safe: one load at a time.
    """

    def __init__(self) -> None:
        self._files: dict[str, tuple[bytes, Topic | None, Sequence[Fact]]] = {}
        self._all: Records[Fact] | None = None  # every file's facts, from a snapshot (made on access)
        self._text: dict[str, tuple[object, str]] = {}  # name -> (its entry, the text it was read from)
        self.tables = CrossTables()  # the checks across files of the last base that passed them
        # the phrasing keys a snapshot held (and its reports): adopted at the first build (they read the
        # facts' ids only, and are needed only then)
        self._keys: tuple[Mapping[str, Any], dict[str, Report]] | None = None
        self.reader = TextCache()  # a file whose stat is unchanged is not read again
        self._lock = threading.Lock()
        self.parsed: list[str] = []  # the files the last load read (the others came from the cache)
        self.texts: dict[str, str] = {}  # the texts of the last load (for a snapshot's key)
        self._ahead: dict[str, tuple[str, Any]] = {}  # name -> (its text, what read_ahead read there)
        self._summed: dict[str, Summary] = {}  # name -> the summary read_ahead made of its facts
        self._summaries: dict[str, Summary] = {}  # those of the files whose facts this build took

    def load(self, directory: str | os.PathLike[str] | None = None) -> FactBase:
        """Like :func:`jinshui_qa.facts.loader.load`, reading again only the files that changed."""
        from jinshui_qa.facts.loader import facts_dir, read_all

        files, unreadable = read_all(facts_dir(directory), self.reader)
        return self.build(files, unreadable)

    def build(self, files: dict[str, str], unreadable: dict[str, list[Problem]] | None = None) -> FactBase:
        """:func:`build_factbase` over ``files`` (name -> text), with unchanged topic files cached and
        the checks across files done for the changed ones (:class:`CrossTables`); ``unreadable`` as for
        :func:`build_factbase`."""
        from jinshui_qa.facts.validation import build_factbase  # yaml: imported only to validate
        from jinshui_qa.storage.snapshot_read import paused_collector

        first = not self._files  # a first build: no garbage worth collecting; the facts frozen for the
        with self._lock, paused_collector(first):  # collector at the end, as the assistant over them is
            self._adopt_keys()  # over the files the snapshot held, before any is dropped
            self._files = {name: entry for name, entry in self._files.items() if name in files}
            self._text = {name: text for name, text in self._text.items() if name in files}
            self.parsed = []
            self._read_ahead(files)
            try:
                base = build_factbase(files, fold, unreadable, read_topic=self._read_topic, tables=self.tables,
                                      memo=self.tables.memo, digest=self._digest, summaries=self._summaries)  # fmt: skip
            finally:
                self._ahead, self._summed, self._summaries = {}, {}, {}
            self.texts = files
            if first:  # before the collector runs again (a full pass over them: 0.6 s at 100k)
                gc.freeze()
            return base

    def _read_ahead(self, files: dict[str, str]) -> None:
        """The topic files never read before, read by several processes when there are many
        (:mod:`jinshui_qa.facts.read_ahead`): a full build."""
        from jinshui_qa.facts.read_ahead import read_ahead
        from jinshui_qa.facts.schema import SOURCES_FILE, VOCABULARY_FILE

        fresh = [n for n in files if n not in self._files and n not in (SOURCES_FILE, VOCABULARY_FILE)]
        self._ahead = {
            name: (files[name], read) for name, read in read_ahead(fresh, files, self._summed).items()
        }

    def _digest(self, name: str, text: str) -> bytes:
        """:func:`~jinshui_qa.facts.validation.file_digest`, from the entry read from that very text."""
        held = self._text.get(name)
        if held is not None and held[1] is text and held[0] is self._files.get(name):
            return self._files[name][0]
        return file_digest(name, text)

    def _read_topic(
        self, name: str, text: str, problems: list[Problem]
    ) -> tuple[Topic | None, Sequence[Fact], bool]:
        hit = self._files.get(name)
        from jinshui_qa.facts.validation import read_topic_file

        held = self._text.get(name)
        if hit is not None and held is not None and held[0] is hit and held[1] == text:  # no digest of every
            if held[1] is not text:  # file at each reload: the text it was read from is compared
                self._text[name] = (hit, text)
            return hit[1], hit[2], True  # as cached: a snapshot's records are not made
        digest = file_digest(name, text)
        if hit is not None and hit[0] == digest:
            self._text[name] = (hit, text)
            return hit[1], hit[2], True

        self.parsed.append(name)
        own: list[Problem] = []
        ahead = self._ahead.pop(name, None)
        if ahead is not None and ahead[0] is text:  # read by read_ahead from this very text
            topic, facts, complete, found = ahead[1]
            own.extend(found)
            summed = self._summed.get(name)
            if summed is not None:  # the summary of these very facts
                self._summaries[name] = summed
        else:
            topic, facts, complete = read_topic_file(name, text, own)
        if own or not complete:
            self._files.pop(name, None)
            self._text.pop(name, None)
            problems.extend(own)
        else:
            entry = self._files[name] = (digest, topic, tuple(facts))
            self._text[name] = (entry, text)
        return topic, facts, complete

    def check_keys(self) -> dict[str, Any]:
        """The phrasing keys of the checks across files (:class:`CrossTables`) per cached file, for a
        snapshot (:meth:`adopt_keys`); empty unless they describe exactly the cached files."""
        with self._lock:
            if self._keys is not None:  # a snapshot's, not adopted yet: the cached files are its files
                return dict(self._keys[0])
            keys = self.tables.keys()
            held = self.tables.files()
            if set(keys) != set(self._files) or any(
                not same_facts(held[name], entry[2]) for name, entry in self._files.items()
            ):
                return {}
            return keys

    def adopt_keys(self, keys: Mapping[str, Any], reports: dict[str, Report]) -> None:
        """Take :meth:`check_keys` from a snapshot, with the reports of the base it was written from, as
        the checks across files of the cached files (already restored), at the next :meth:`build`: a
        start from the snapshot reads no fact. Foreign data leaves the tables empty (full checks)."""
        with self._lock:
            self.tables, self._keys = CrossTables(), (keys, reports) if keys else None

    def _adopt_keys(self) -> None:
        """The keys :meth:`adopt_keys` took, adopted over the cached files (under the lock)."""
        pending, self._keys = self._keys, None
        if pending is None:
            return
        keys, reports = pending
        files = {name: entry[2] for name, entry in self._files.items()}
        try:
            self.tables.adopt(files, {str(name): found for name, found in keys.items()}, reports)
        except (TypeError, ValueError, AttributeError):  # not ours: the checks across files run in full
            self.tables = CrossTables()

    # -- a snapshot of the cache: plain data (marshal-able) and the facts packed (facts/records.py)
    def export(self) -> tuple[dict[str, Any], tuple[str, ...], bytes, bytes]:
        """The validated files for :mod:`jinshui_qa.storage.index_store`: per file (in name order) its
        digest, topic and number of facts; the facts' ids; the facts packed (records and their ends).
        Facts restored from a snapshot and never read are written as they were read, not made."""
        with self._lock:
            names = sorted(self._files)
            files = {name: (self._files[name][0], _plain_topic(self._files[name][1]), len(self._files[name][2]))
                     for name in names}  # fmt: skip
            ids = tuple(i for name in names for i in _ids(self._files[name][2]))
            blob, ends = joined(
                _raw(self._files[name][2], k) for name in names for k in range(len(self._files[name][2]))
            )
            return files, ids, blob, ends

    def facts_of(self, name: str) -> Sequence[Fact]:
        """The cached facts of one file (empty when it is not cached)."""
        entry = self._files.get(name)
        return entry[2] if entry else ()

    def cached(self, files: dict[str, str]) -> tuple[Sequence[Fact], tuple[Topic, ...]]:
        """The facts and topics of every cached file, in name order (as validation builds them), with
        ``files`` taken as the last load's texts: for a start whose files a snapshot holds unchanged
        (the facts are then the snapshot's records, made on access)."""
        with self._lock:
            names = sorted(self._files)
            self.texts, self.parsed = files, []
            for name in names:  # each entry was read from these very texts: not hashed again at a reload
                if name in files:
                    self._text[name] = (self._files[name], files[name])
            whole = self._all
            parts = [self._files[name][2] for name in names]
            if (
                whole is None
                or sum(map(len, parts)) != len(whole)
                or not all(isinstance(p, Part) and p.records is whole for p in parts)
            ):
                whole = None
            facts: Sequence[Fact] = whole if whole is not None else tuple(f for part in parts for f in part)
            return facts, tuple(t for name in names if (t := self._files[name][1]) is not None)

    def restored(self) -> Sequence[Fact]:
        """Every file's facts as the last :meth:`restore` took them, in name order (made on access)."""
        return self._all if self._all is not None else ()

    def restore(self, exported: tuple[Any, ...] = ()) -> None:
        """Take validated files from :meth:`export` (``files, ids, blob, ends``; a file still has to
        match its digest to be used): the facts are made from their records when first read. Raises
        ValueError (the cache left empty) when the parts do not fit; ``()`` empties the cache."""
        with self._lock:
            self._files, self._all = {}, None
            if not exported:
                return
            files, ids, blob, ends = exported
            facts = Records(blob, ends, _fact, tuple(ids))
            at = 0
            restored: dict[str, tuple[bytes, Topic | None, Sequence[Fact]]] = {}
            for name in sorted(files):
                digest, topic, count = files[name]
                restored[name] = (bytes(digest), _topic(topic), Part(facts, at, at + int(count)))
                at += int(count)
            if at != len(facts):
                raise ValueError("facts that no file holds")
            self._files, self._all = restored, facts


SCHEMA = repr([(c.__name__, [f.name for f in dataclasses.fields(c)]) for c in (Fact, Figure, Topic)])
"""The fields plain data is written with; part of the snapshot's key, so a schema change rebuilds it."""


def _ids(facts: Sequence[Fact]) -> Sequence[str]:
    """The ids of a file's facts, without making those restored from a snapshot."""
    if isinstance(facts, Part) and facts.records.ids:
        return facts.records.ids[facts.start : facts.stop]
    return [f.id for f in facts]


def _raw(facts: Sequence[Fact], k: int) -> bytes:
    """Fact ``k`` of a file as marshal bytes: as stored when it came from a snapshot."""
    if isinstance(facts, Part):
        return facts.raw(k)
    return marshal.dumps(_plain_fact(facts[k]), MARSHAL)


def _plain_topic(topic: Topic | None) -> tuple[str, str, str, str] | None:
    return None if topic is None else (topic.id, topic.title.zh, topic.title.en, topic.file)


def _topic(plain: tuple[str, str, str, str] | None) -> Topic | None:
    return None if plain is None else Topic(plain[0], Bilingual(plain[1], plain[2]), plain[3])


def _plain_fact(f: Fact) -> tuple[Any, ...]:
    return (f.id, f.topic, f.audience, f.title.zh, f.title.en, f.questions_zh, f.questions_en, f.keywords,
            f.answer.zh, f.answer.en, tuple(dataclasses.astuple(g) for g in f.figures), f.time,
            f.source.report, f.source.section, f.verified.toordinal(),
            None if f.subject is None else (f.subject.zh, f.subject.en), f.related, f.file, f.line)  # fmt: skip


def _fact(p: tuple[Any, ...]) -> Fact:
    return Fact(id=p[0], topic=p[1], audience=p[2], title=Bilingual(p[3], p[4]), questions_zh=p[5],
                questions_en=p[6], keywords=p[7], answer=Bilingual(p[8], p[9]),
                figures=tuple(Figure(*g) for g in p[10]), time=p[11], source=SourceRef(p[12], p[13]),
                verified=dt.date.fromordinal(p[14]), subject=None if p[15] is None else Bilingual(*p[15]),
                related=p[16], file=p[17], line=p[18])  # fmt: skip
