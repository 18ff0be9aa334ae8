"""How many facts use each English word: the index's and the placement's English words kept by count.

The index's English words (:attr:`~jinshui_qa.routing.index.Index.english_words`: the words of every
fact's English questions and answer) and the placement's (:attr:`~jinshui_qa.routing.placement.Placement.english_words`:
stems and joined pairs of the canonical English texts and keywords, with the index's stemmed) depend on
every fact. A reload that rewords, adds or removes a fact counts only the facts that left and came
(:func:`jinshui_qa.routing.spliced.after`), instead of reading every fact again (issue 14). The counts
are stored in the snapshot (blob ``"words"``), read at the first reload that needs them.
"""

from __future__ import annotations

import itertools
import marshal
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from jinshui_qa.routing.index import _stem

if TYPE_CHECKING:
    from jinshui_qa.facts.schema import Fact

Counts = dict[str, int]
INDEX_WORD = re.compile("[a-z]+")  # Index.english_words' words (of the lower-cased text)
LATIN = re.compile(r"[a-z][a-z'-]*")  # the placement's (routing/placement.py ``_LATIN``)


def index_words(fact: Fact) -> set[str]:
    """The words ``fact`` gives the index's English words."""
    return {w for q in (*fact.questions_en, fact.answer.en) for w in INDEX_WORD.findall(q.lower())}


def placement_words(fact: Fact, canonical: Callable[[str], str]) -> set[str]:
    """The words ``fact`` gives the placement's English words (stems, and stems of two words joined:
    start up -> startup), from its texts' ``canonical`` forms."""
    out: set[str] = set()
    for text in (*fact.questions_en, fact.answer.en, fact.title.en, *fact.keywords):
        words = LATIN.findall(canonical(text))
        out.update(map(_stem, words))
        out.update(_stem(a + b) for a, b in itertools.pairwise(words))
    return out


def counted(facts: Iterable[Fact], words: Callable[[Fact], set[str]]) -> Counts:
    """How many of ``facts`` give each word."""
    out: Counts = {}
    get = out.get
    for fact in facts:
        for word in words(fact):
            out[word] = get(word, 0) + 1
    return out


def _moved(
    counts: Counts, left: Sequence[Fact], came: Sequence[Fact], words: Callable[[Fact], set[str]]
) -> Counts:
    out = counts.copy()
    for fact in left:
        for word in words(fact):
            n = out[word] - 1
            if n:
                out[word] = n
            else:
                del out[word]
    for fact in came:
        for word in words(fact):
            out[word] = out.get(word, 0) + 1
    return out


class WordCounts:
    """Per English word, how many facts give it: ``index`` (:func:`index_words`) and ``placement``
    (:func:`placement_words`), each None when unknown; ``stored``: a snapshot's blob of both, not read yet."""

    def __init__(self, index: Counts | None = None, placement: Counts | None = None,
                 stored: memoryview | bytes | None = None) -> None:  # fmt: skip
        self.index, self.placement, self._stored = index, placement, stored
        self._lock = threading.Lock()  # a snapshot writer's thread reads them too

    @classmethod
    def derived(cls, facts: Sequence[Fact], placement: Counts | None) -> WordCounts:
        """The counts of a router that derived its placement's (``placement``, None: unknown) over ``facts``."""
        return cls(None if placement is None else counted(facts, index_words), placement)

    def _read(self) -> None:
        with self._lock:
            stored, self._stored = self._stored, None
            if stored is not None:
                self._decode(stored)

    def _decode(self, stored: memoryview | bytes) -> None:
        try:  # two dicts as written (anything else: unknown, derived again by the router)
            index, placement = marshal.loads(stored)
        except (ValueError, EOFError, TypeError):
            return
        if type(index) is dict and type(placement) is dict:
            self.index, self.placement = index, placement

    def known(self) -> bool:
        """Whether the placement's counts are known (read from the snapshot when stored)."""
        self._read()
        return self.placement is not None

    def after(
        self, left: Sequence[Fact], came: Sequence[Fact], canonical: Callable[[str], str]
    ) -> WordCounts:
        """The counts once ``left`` are gone and ``came`` have come (new dicts: this one is in use)."""
        self._read()
        index = None if self.index is None else _moved(self.index, left, came, index_words)
        placement = None
        if self.placement is not None:

            def words(fact: Fact) -> set[str]:
                return placement_words(fact, canonical)

            placement = _moved(self.placement, left, came, words)
        return WordCounts(index, placement)

    def index_set(self) -> frozenset[str] | None:
        """The index's English words (None: unknown)."""
        self._read()
        return None if self.index is None else frozenset(self.index)

    def placement_set(self, index_english: frozenset[str]) -> frozenset[str] | None:
        """The placement's English words, given the index's (None: unknown)."""
        self._read()
        if self.placement is None:
            return None
        return frozenset(self.placement.keys() | set(map(_stem, index_english)))

    def plain(self, facts: Sequence[Fact]) -> bytes | None:
        """Both counts as marshal bytes in one order (the snapshot's blob; None: the placement's unknown):
        the index's counted from ``facts`` when unknown (a snapshot writer's thread)."""
        from jinshui_qa.storage.index_store import plain_bytes

        self._read()
        if self.placement is None:
            return None
        if self.index is None:
            self.index = counted(facts, index_words)
        return plain_bytes((dict(sorted(self.index.items())), dict(sorted(self.placement.items()))))


def changed(left: Sequence[Fact], came: Sequence[Fact]) -> tuple[list[Fact], list[Fact]]:
    """``left`` and ``came`` without the facts of one id whose English texts and keywords are the same
    in both (a file read again: its unchanged facts are new objects)."""

    def key(fact: Fact) -> tuple[object, ...]:
        return fact.id, fact.questions_en, fact.answer.en, fact.title.en, fact.keywords

    olds = {key(f) for f in left}
    news = {key(f) for f in came}
    return [f for f in left if key(f) not in news], [f for f in came if key(f) not in olds]
