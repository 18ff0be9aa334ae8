"""Changes proposed for src/jinshui_qa/routing/index.py and router.py, measured beside the code as it is.

Nothing here is used by the bot. ``benchmarks/router.py`` measures the real :class:`Router` and then, on
the same index and the same questions, the router returned by :func:`proposed_router`, which differs only
in the points below. It reports both latencies and how often the two decide alike (status and fact), so
a proposal that changes answers, or a copy here that has drifted from src, shows up at once.

Each proposal is applied only where src still has the code it replaces (``proposed_router`` returns which
were applied). As of commit 4470508 src has all of them (1-2, 5-7 in d1ca8d3/826e98f, 3-4 and 8 in
4470508), so a run reports "none left to measure"; the module stays as the harness for the next ones and
as a check that src has not slid back (the quadratic probe in router.py uses proposal 1 as a fallback).
Only ``_score_channel``'s formula is copied from router.py.

1. ``linear_signature_keywords``: the same result as ``Router._signature_keywords`` (asserted in every
   run up to ``--exact-init-max`` facts), in linear time. The original compares every keyword of a fact
   with every keyword of every other fact: quadratic, about 1 s at 1,000 facts, 100 s at 10,000 and
   hours at 100,000. Here every substring of every keyword is looked up in a set of keywords.
2. ``ProposedRouter._score_channel``: the same scores, bit for bit. The question's token weights and
   their total are computed once per question instead of once per candidate (and ``Weights.sum`` once
   per document: about 10,000 calls of ``Weights.of`` per question); intersections are summed with
   ``map`` over a dict.
3. ``CANDIDATE_LIMIT``: score 20 candidates instead of 40 (the evaluation set gives the same results
   with 10, 20 or 40).
4. ``POSTINGS_BUDGET`` (``Index.candidates(budget=...)``, no longer copied here): postings are read rarest (heaviest) token first and reading stops once
   ``POSTINGS_BUDGET`` fact ids have been added up, so the commonest tokens, whose weight is lowest, no
   longer walk tens of thousands of postings at 100,000 facts; the top ``limit`` is taken with
   ``heapq.nlargest`` rather than by sorting every fact touched. Below about 2,000 facts the budget is
   never reached, so nothing changes there.
5. ``ProposedRouter._veto``: the same vetoes. Which places, uncovered words and measure words the
   question contains is worked out once per question, not once per candidate fact checked.
6. ``contains``: ``router._contains`` compiles a word-boundary regex per English needle through ``re``'s
   512-entry cache, which thrashes once signature keywords and vocabulary exceed it; here the patterns
   are kept in their own LRU cache (``faster_contains`` swaps it in for a measurement).
7. ``ProposedRouter._names_subject`` (follow-ups only): the same answer, but only the subject words
   whose first two characters (Chinese) or first word (English) occur in the question are checked,
   instead of every keyword and subject of every fact (700,000 words at 100,000 facts).
8. ``guarded_alias_re``: ``Normalizer``'s alias regex behind a lookahead on the aliases' first
   characters. The same substitutions (checked on every text measured), but the regex engine skips
   positions where no alias can start instead of trying ~100 alternatives there; ``canonical`` runs
   for every phrasing, keyword and answer when the index and the router are built, and per question.
"""

from __future__ import annotations

import functools
import inspect
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import jinshui_qa.routing.router as router_module
from jinshui_qa.facts.schema import Fact
from jinshui_qa.routing.index import Doc, Index
from jinshui_qa.routing.router import Router
from jinshui_qa.text.normalize import Normalizer, has_cjk

POSTINGS_BUDGET = 20_000
CANDIDATE_LIMIT = 20
_LETTERS = re.compile("[a-z]+")


def linear_signature_keywords(router: Router) -> list[tuple[str, ...]]:
    """``Router._signature_keywords`` in linear time: keywords no other fact's keyword contains."""
    canon = [[router.index.normalizer.canonical(k) for k in f.keywords] for f in router.base.facts]
    keywords = {w for words in canon for w in words}
    lengths = sorted({len(w) for w in keywords})
    holders: dict[str, set[int]] = {}  # keyword -> up to two facts whose keywords contain it
    for i, words in enumerate(canon):
        for word in set(words):
            for size in lengths:
                if size > len(word):
                    break
                for start in range(len(word) - size + 1):
                    piece = word[start : start + size]
                    if piece in keywords:
                        found = holders.setdefault(piece, set())
                        if len(found) < 2:
                            found.add(i)
    return [
        tuple(w for w in words if len(w.replace(" ", "")) >= 2 and holders[w] <= {i})
        for i, words in enumerate(canon)
    ]


class LinearInitRouter(Router):
    """The real router with only ``_signature_keywords`` made linear, so 10,000+ facts can be built."""

    signature_seconds = 0.0

    def _signature_keywords(self) -> list[tuple[str, ...]]:
        started = time.perf_counter()
        out = linear_signature_keywords(self)
        self.signature_seconds = time.perf_counter() - started
        return out


class ProposedIndex(Index):
    """An existing index (shared, not copied) whose ``candidates`` applies proposals 3 and 4."""

    budget: int | None = POSTINGS_BUDGET
    limit: int = CANDIDATE_LIMIT

    @classmethod
    def sharing(cls, index: Index, budget: int | None, limit: int) -> ProposedIndex:
        new = cls.__new__(cls)
        new.__dict__.update(index.__dict__)
        new.budget, new.limit = budget, limit
        return new

    def candidates(self, tokens: Iterable[str], limit: int = 40) -> list[int]:
        limit = min(limit, self.limit)
        if self.budget is None:
            return super().candidates(tokens, limit)
        return super().candidates(tokens, limit, budget=self.budget)


def guarded_alias_re(normalizer: Normalizer) -> re.Pattern[str] | None:
    """``normalizer._alias_re`` that only tries its alternatives where an alias can start (None when
    there is no alias regex or it is guarded already)."""
    pattern = normalizer._alias_re
    if pattern is None or pattern.pattern.startswith("(?=["):
        return None
    firsts = "".join(sorted({re.escape(alias[0]) for alias in normalizer.aliases}))
    return re.compile(f"(?=[{firsts}])(?:{pattern.pattern})")


@functools.lru_cache(maxsize=8192)
def _word_pattern(needle: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z]){re.escape(needle)}(?![a-z])")


def contains(haystack: str, needle: str) -> bool:
    """``router._contains`` with its own cache of compiled patterns."""
    if has_cjk(needle):
        return needle in haystack.replace(" ", "")
    return _word_pattern(needle).search(haystack) is not None


@contextmanager
def faster_contains() -> Iterator[bool]:
    """Swap proposal 6 into jinshui_qa.routing.router for the duration, if it still has ``_contains``."""
    original = getattr(router_module, "_contains", None)
    if original is None:
        yield False
        return
    router_module._contains = contains  # type: ignore[attr-defined]
    try:
        yield True
    finally:
        router_module._contains = original  # type: ignore[attr-defined]


def _query_weights(self: Any, tokens: frozenset[str]) -> tuple[dict[str, float], float]:
    cache: dict[int, tuple[frozenset[str], dict[str, float], float]] = self.__dict__.setdefault("_qw", {})
    hit = cache.get(id(tokens))
    if hit is not None and hit[0] is tokens:  # the cache holds the set, so its id cannot be reused
        return hit[1], hit[2]
    if len(cache) >= 8:
        cache.clear()
    of = self.index.weights.of
    weight = {t: of(t) for t in tokens}
    total = sum(map(weight.__getitem__, tokens))
    cache[id(tokens)] = (tokens, weight, total)
    return weight, total


def _score_channel(self: Any, tokens: frozenset[str], docs: list[Doc], bag: frozenset[str]) -> float:
    """Proposal 2: ``Router._score_channel(tokens, docs, bag)`` with the question's weights looked up once."""
    weight, total = _query_weights(self, tokens)
    if total <= 0:
        return 0.0
    match = 0.0
    for doc in docs:
        common = tokens & doc.tokens
        if common:
            shared = sum(map(weight.__getitem__, common))
            if shared:
                match = max(match, 2 * shared / (total + doc.weight))
    cover = sum(map(weight.__getitem__, tokens & bag)) / total
    match_weight = inspect.getmodule(Router._score_channel).MATCH_WEIGHT  # type: ignore[union-attr]
    return 100 * (match_weight * match + (1 - match_weight) * cover)


def _present(self: Any, folded: str) -> tuple[dict[str, str], list[str], dict[str, list[str]]]:
    """The places, uncovered words and measure words ``folded`` contains, in the original order."""
    cached = self.__dict__.get("_present_cache")
    if cached is not None and cached[0] == folded:
        return cached[1]  # type: ignore[no-any-return]
    places = {p: self.places[p] for p in self.places if contains(folded, p)}
    uncovered = [w for w in self.not_covered if contains(folded, w)]
    measures = {kind: [w for w in words if contains(folded, w)] for kind, words in self.measures.items()}
    self.__dict__["_present_cache"] = (folded, (places, uncovered, measures))
    return places, uncovered, measures


def _veto(self: Any, folded: str, fact: Fact) -> str:
    """Proposal 5: ``Router._veto`` run over only the words the question contains: the same result."""
    saved = self.places, self.not_covered, self.measures
    self.places, self.not_covered, self.measures = _present(self, folded)
    try:
        return Router._veto(self, folded, fact)  # type: ignore[no-any-return]
    finally:
        self.places, self.not_covered, self.measures = saved


def _subject_keys(self: Any) -> tuple[dict[str, list[str]], list[str]]:
    keys: Any = self.__dict__.get("_subject_keys_cache")
    if keys is None:
        by_key: dict[str, list[str]] = defaultdict(list)
        always: list[str] = []
        for word in self.subject_words:
            if has_cjk(word):
                by_key[word[:2]].append(word)
            elif (first := _LETTERS.match(word)) is not None:
                by_key[first.group(0)].append(word)
            else:
                always.append(word)
        keys = self.__dict__["_subject_keys_cache"] = (dict(by_key), always)
    return keys  # type: ignore[no-any-return]


def _names_subject(self: Any, canonical: str) -> bool:
    """Proposal 7: ``Router._names_subject`` checking only the subject words that can occur in the text."""
    by_key, always = _subject_keys(self)
    flat = canonical.replace(" ", "")
    present = {flat[i : i + 2] for i in range(len(flat) - 1)} | set(_LETTERS.findall(canonical))
    words = [w for key in present for w in by_key.get(key, ())]
    return any(contains(canonical, w) for w in [*words, *always])


def proposed_router(router: Router, index: Index, budget: int | None, limit: int) -> tuple[Router, list[str]]:
    """``router``'s state (shared, nothing recomputed) with the proposals that still apply to src, over
    a :class:`ProposedIndex`; and the numbers of the proposals applied."""
    import jinshui_qa.routing.index as index_module

    applied = []
    if limit < inspect.signature(type(router).score).parameters["limit"].default:
        applied.append("3")
    if budget and not hasattr(index_module, "POSTINGS_BUDGET"):
        applied.append("4")
    if not {"3", "4"} & set(applied):
        budget, limit = None, 10_000  # leave Index.candidates as it is
    methods: dict[str, Any] = {}
    if "tokens" in inspect.signature(Router._score_channel).parameters:
        methods["_score_channel"] = _score_channel
        applied.append("2")
    if isinstance(getattr(router, "not_covered", None), list) and isinstance(
        getattr(router, "places", None), dict
    ):
        methods["_veto"] = _veto
        applied.append("5")
    if isinstance(getattr(router, "subject_words", None), list):
        methods["_names_subject"] = _names_subject
        applied.append("7")
    cls = type("ProposedRouter", (type(router),), methods)
    new = cls.__new__(cls)
    new.__dict__.update(router.__dict__)
    new.index = ProposedIndex.sharing(index, budget, limit)
    return new, sorted(applied)
