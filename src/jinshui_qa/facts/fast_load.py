"""Incremental loading: a topic file whose text has not changed is not parsed or validated again.

:class:`FileCache` remembers each topic file's validated topic and facts by file name and a digest of
its text. :meth:`FileCache.load` reads the directory as :func:`jinshui_qa.facts.loader.load` does and
hands :func:`~jinshui_qa.facts.validation.build_factbase` the cached result for every unchanged file,
so a reload after editing one file of a large base parses and checks that file only. The checks
across files (duplicate ids and phrasings, sources, related ids, policy) still run on every fact,
with each question's folded form remembered. A file with problems is never cached: it is read again,
with the line-aware parser, and reported as ``file:line: message`` as before.

Measured (benchmarks/router.py): PyYAML's libyaml loader building plain data is no faster here than the
line-aware parse (it also constructs every node in Python), so the gain comes from not reading
unchanged files again, not from a second parser.
"""

from __future__ import annotations

import hashlib
import os
import threading

from jinshui_qa.errors import Problem
from jinshui_qa.facts.schema import Fact, FactBase, Topic
from jinshui_qa.facts.validation import build_factbase, read_topic_file
from jinshui_qa.text.normalize import fold


class FileCache:
    """Validated topic files by name and text digest, and the folded form of their questions.

    Holds only what the files present at the last :meth:`load` produced (bounded by the fact base).
    Thread-safe: one load at a time.
    """

    def __init__(self) -> None:
        self._files: dict[str, tuple[bytes, Topic | None, tuple[Fact, ...]]] = {}
        self._folded: dict[str, str] = {}
        self._lock = threading.Lock()
        self.parsed: list[str] = []  # the files the last load read (the others came from the cache)

    def load(self, directory: str | os.PathLike[str] | None = None) -> FactBase:
        """Like :func:`jinshui_qa.facts.loader.load`, reading again only the files that changed."""
        from jinshui_qa.facts.loader import facts_dir, read_files

        files = read_files(facts_dir(directory))
        return self.build(files)

    def build(self, files: dict[str, str]) -> FactBase:
        """:func:`build_factbase` over ``files`` (name -> text), with unchanged topic files cached."""
        with self._lock:
            self._files = {name: entry for name, entry in self._files.items() if name in files}
            self.parsed = []
            folded: dict[str, str] = {}
            previous = self._folded

            def normalise(text: str) -> str:
                hit = previous.get(text)
                if hit is None:
                    hit = fold(text)
                folded[text] = hit
                return hit

            base = build_factbase(files, normalise, self._read_topic)
            self._folded = folded
            return base

    def _read_topic(self, name: str, text: str, problems: list[Problem]) -> tuple[Topic | None, list[Fact]]:
        digest = hashlib.blake2b(text.encode(), digest_size=16).digest()
        hit = self._files.get(name)
        if hit is not None and hit[0] == digest:
            return hit[1], list(hit[2])
        self.parsed.append(name)
        own: list[Problem] = []
        topic, facts = read_topic_file(name, text, own)
        if own:
            self._files.pop(name, None)
            problems.extend(own)
        else:
            self._files[name] = (digest, topic, tuple(facts))
        return topic, facts
