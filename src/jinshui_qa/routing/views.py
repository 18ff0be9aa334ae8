"""An index's packed layout (:mod:`jinshui_qa.routing.segments`) as Python objects: token weights, and
per fact its documents and bags, built on first use and kept in a bounded cache. Scoring reads the
rows' token ids instead (:mod:`jinshui_qa.routing.matching`); these serve follow-ups and tools."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from collections.abc import Set as AbstractSet
from typing import TypeVar

from jinshui_qa.records import dataclass
from jinshui_qa.routing.packed import docs_of
from jinshui_qa.routing.segments import STOP_FACTOR, Layout

CACHE_FACTS = 20_000  # facts whose documents / bags are kept as Python objects (per view)
ANALYSED = 4_096  # messages whose analysis (canonical form, tokens, pinyin) the scorer keeps
K = TypeVar("K")
V = TypeVar("V")


def kept(cache: MutableMapping[K, V], key: K, made: V, limit: int) -> V:
    """Keep ``made`` under ``key`` in ``cache``, emptied first when it holds ``limit`` entries; ``made``."""
    if len(cache) >= limit:
        cache.clear()
    cache[key] = made
    return made


@dataclass(frozen=True, slots=True)
class Doc:
    """One question, keyword, title or subject of a fact, as tokens (interned strings) and their weight."""

    fact: int
    tokens: tuple[str, ...]
    weight: float


def stopped(stop: AbstractSet[str]) -> Callable[[str], bool]:
    """Whether a token is a stopword's (a character, or a bigram with one)."""
    return lambda token: token in stop or (len(token) == 2 and (token[0] in stop or token[1] in stop))


class Weights:
    """Inverse document frequency over facts, with stopwords damped and unseen tokens heaviest."""

    def __init__(self, layout: Layout, stop: set[str]) -> None:
        self.total = max(len(layout), 1)
        self.unseen = math.log(1 + 2 * self.total)
        self.stop = stop
        self._layout = layout
        self._stopped = stopped(stop)

    def of(self, token: str) -> float:
        layout = self._layout
        t = layout.id(token)
        if t >= 0 and layout.df[t]:
            return layout.wt[t]
        return self.unseen * STOP_FACTOR if self._stopped(token) else self.unseen

    def sum(self, tokens: Iterable[str]) -> float:
        return sum(self.of(t) for t in tokens)


class _View:
    """Per fact, built on first use from the packed rows and kept in a bounded cache."""

    def __init__(self, layout: Layout, channel: int) -> None:
        self._layout, self._channel = layout, channel
        self._cache: dict[int, object] = {}

    def __len__(self) -> int:
        return len(self._layout)

    def _kept(self, i: int, made: object) -> None:
        kept(self._cache, i, made, CACHE_FACTS)


class Docs(_View):
    """``docs[i]``: fact ``i``'s documents (a list of :class:`Doc`)."""

    def __getitem__(self, i: int) -> list[Doc]:
        hit = self._cache.get(i)
        if hit is None:
            layout = self._layout
            word, weight = layout.tokens.words.__getitem__, layout.wt.__getitem__
            hit = [
                Doc(i, tuple(map(word, ids)), sum(map(weight, ids)))
                for ids in docs_of(layout.row(i, self._channel))
            ]
            self._kept(i, hit)
        return hit  # type: ignore[return-value]

    def __iter__(self) -> Iterator[list[Doc]]:
        return (self[i] for i in range(len(self)))


class Bags(_View):
    """``bags[i]``: the tokens of fact ``i``'s documents and answers (a frozenset)."""

    def __getitem__(self, i: int) -> frozenset[str]:
        hit = self._cache.get(i)
        if hit is None:
            words = self._layout.tokens.words
            hit = frozenset(map(words.__getitem__, self._layout.row(i, self._channel)))
            self._kept(i, hit)
        return hit  # type: ignore[return-value]

    def __iter__(self) -> Iterator[frozenset[str]]:
        return (self[i] for i in range(len(self)))
