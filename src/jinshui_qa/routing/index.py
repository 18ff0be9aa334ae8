"""Candidate retrieval and scoring features: an inverted index of weighted character n-grams.

Every fact contributes documents (its questions, keywords, title and subject, in canonical form) and a
bag (documents plus answers). Tokens are Chinese characters and character bigrams, English word stems,
numbers, and, in a second channel, toneless pinyin syllables and syllable pairs. A token's weight is its
inverse document frequency over facts, so 金水区 weighs little and 氢能 much; a token no fact holds
weighs most, which is what pushes a question about 人口 below any threshold.
"""

from __future__ import annotations

import heapq
import itertools
import math
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from jinshui_qa.facts.schema import Fact, FactBase
from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import Normalizer, fold
from jinshui_qa.text.pinyin import syllables

_PIECES = lazy_re.compile(r"[\u3400-\u9fff]+|[a-z]+|\d+(?:\.\d+)?|[+~%]")
_CJK_DIGIT_RUN = lazy_re.compile(r"(?:[\u3400-\u9fff]|\d+(?:\.\d+)?)+")
_UNIT = lazy_re.compile(r"[\u3400-\u9fff]|\d+(?:\.\d+)?")
_HAS_CJK = lazy_re.compile("[\u3400-\u9fff]")
STOP_FACTOR = 0.15
POSTINGS_BUDGET = 20_000


def _stem(word: str) -> str:
    """A light English stemmer: plurals, -ed and -ing (planned -> plan, investing -> invest)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    for suffix in ("ing", "ed"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            root = word[: -len(suffix)]
            return root[:-1] if len(root) > 3 and root[-1] == root[-2] and root[-1] not in "ls" else root
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def char_tokens(canonical: str) -> set[str]:
    """Characters and bigrams of Chinese runs, word stems, numbers."""
    out: set[str] = set()
    for run in _CJK_DIGIT_RUN.findall(canonical):
        units = _UNIT.findall(run)
        out.update(a + b for a, b in itertools.pairwise(units))
    for piece in _PIECES.findall(canonical):
        if "\u3400" <= piece[0] <= "\u9fff":
            out.update(piece)
        elif piece.isalpha():
            out.add(_stem(piece))
        else:
            out.add(piece)
    return out


def pinyin_tokens(spelled: Iterable[str]) -> set[str]:
    """Syllables and syllable pairs, prefixed so they never collide with English words."""
    sylls = [s for s in spelled if s.isascii() and s.isalpha()]
    out = {"py:" + s for s in sylls}
    out.update(f"py:{a}_{b}" for a, b in itertools.pairwise(sylls))
    return out


Parts = tuple[
    Fact, list[tuple[str, tuple[str, ...]]], AbstractSet[str], list[tuple[str, ...]], AbstractSet[str]
]  # a fact and its (canonical text, tokens) per document, bag, pinyin tokens per document, pinyin bag
Reuse = Mapping[int, Parts]  # by id(fact); the fact is kept to check identity (and keep the id valid)


class _TokenCache:
    """Tokens of each distinct text, computed once per build and interned (a fact's phrasings repeat
    across its documents and bag, and many facts share keywords and titles)."""

    def __init__(self) -> None:
        self._chars: dict[str, tuple[str, ...]] = {}
        self._pinyin: dict[str, tuple[str, ...]] = {}

    def chars(self, canonical: str) -> tuple[str, ...]:
        hit = self._chars.get(canonical)
        if hit is None:
            hit = self._chars[canonical] = tuple(map(sys.intern, char_tokens(canonical)))
        return hit

    def pinyin(self, sounded: str) -> tuple[str, ...]:
        hit = self._pinyin.get(sounded)
        if hit is None:
            hit = self._pinyin[sounded] = tuple(map(sys.intern, pinyin_tokens(syllables(sounded))))
        return hit


@dataclass(frozen=True, slots=True)
class Doc:
    """One question, keyword, title or subject of a fact, as tokens (a tuple of interned strings:
    at 100,000 facts a frozenset per document would cost gigabytes)."""

    fact: int
    text: str
    tokens: tuple[str, ...]
    weight: float


class Weights:
    """Inverse document frequency over facts, with stopwords damped and unseen tokens heaviest."""

    def __init__(self, df: dict[str, int], total: int, stop: set[str]) -> None:
        self.total = max(total, 1)
        self.idf = {t: math.log(1 + self.total / n) for t, n in df.items()}
        self.unseen = math.log(1 + 2 * self.total)
        self.stop = stop

    def of(self, token: str) -> float:
        weight = self.idf.get(token, self.unseen)
        if token in self.stop or (len(token) == 2 and (token[0] in self.stop or token[1] in self.stop)):
            return weight * STOP_FACTOR
        return weight

    def sum(self, tokens: Iterable[str]) -> float:
        return sum(self.of(t) for t in tokens)


class Index:
    """Documents, bags and postings for one fact base; immutable after construction."""

    def __init__(
        self, base: FactBase, normalizer: Normalizer, *, with_pinyin: bool = True, reuse: Reuse | None = None
    ) -> None:
        """``reuse``: per-fact texts and tokens computed before with the same normaliser and pinyin
        setting (:meth:`reusable` of the index a reload replaces, or a persisted snapshot), used for
        every fact object of ``base`` found there (by identity)."""
        self.base = base
        self.normalizer = normalizer
        self._canon: list[list[tuple[str, tuple[str, ...]]]] = []  # per fact: (canonical text, tokens)
        self._spelled: list[list[tuple[str, ...]]] = []  # per fact: pinyin tokens of each sounded text
        self.bags: list[frozenset[str]] = []
        self.py_bags: list[frozenset[str]] = []
        self.with_pinyin = with_pinyin
        stop: set[str] = set()
        for words in base.vocabulary.stopwords.values():
            for word in words:
                stop |= char_tokens(fold(word))
        tokens_of = _TokenCache()
        doc_texts: list[list[tuple[str, tuple[str, ...]]]] = []  # per fact: (canonical text, its tokens)
        bags: list[AbstractSet[str]] = []
        py_docs: list[list[tuple[str, ...]]] = []
        py_bags: list[AbstractSet[str]] = []
        for fact in base.facts:
            kept = reuse.get(id(fact)) if reuse else None
            if kept is not None and kept[0] is fact:
                doc_texts.append(kept[1])
                bags.append(kept[2])
                if with_pinyin:
                    py_docs.append(kept[3])
                    py_bags.append(kept[4])
                continue
            texts = [*fact.questions_zh, *fact.questions_en, *fact.keywords, fact.title.zh, fact.title.en]
            if fact.subject:
                texts += [fact.subject.zh, fact.subject.en]
            canon = list(dict.fromkeys(normalizer.canonical(t) for t in texts))
            doc_texts.append([(t, tokens_of.chars(t)) for t in canon])
            bag: set[str] = set()
            for text in [*canon, normalizer.canonical(fact.answer.zh), normalizer.canonical(fact.answer.en)]:
                bag.update(tokens_of.chars(text))
            bags.append(bag)
            if with_pinyin:
                sounded = dict.fromkeys(normalizer.for_pinyin(t) for t in texts)  # numerals still as words
                spelled = [tokens_of.pinyin(t) for t in sounded if _HAS_CJK.search(t)]
                py_docs.append(spelled)
                py_bags.append(set().union(*spelled) if spelled else set())
        df: dict[str, int] = defaultdict(int)
        for some in (bags, py_bags):
            for held in some:
                for token in held:
                    df[token] += 1
        self._canon, self._spelled = doc_texts, py_docs
        self.weights = Weights(df, len(base.facts), stop)
        weight = {token: self.weights.of(token) for token in df}  # every document token is in some bag
        self.bags = [frozenset(b) for b in bags]
        self.py_bags = [frozenset(b) for b in py_bags]
        self.docs: list[list[Doc]] = []
        self.py_docs: list[list[Doc]] = []
        postings: dict[str, list[int]] = defaultdict(list)
        for i, pairs in enumerate(doc_texts):
            docs = [Doc(i, t, tok, sum(map(weight.__getitem__, tok))) for t, tok in pairs if tok]
            self.docs.append(docs)
            if with_pinyin:
                self.py_docs.append([Doc(i, "", p, sum(map(weight.__getitem__, p))) for p in py_docs[i] if p])
            for token in self.bags[i] | (self.py_bags[i] if with_pinyin else frozenset()):
                postings[token].append(i)
        self.postings = dict(postings)
        self.english_words = frozenset(
            w
            for f in base.facts
            for q in (*f.questions_en, f.answer.en)
            for w in re.findall("[a-z]+", q.lower())
        )

    def reusable(self) -> dict[int, Parts]:
        """What each fact contributed, for the next index over a base sharing fact objects (``reuse``)."""
        py = self.with_pinyin
        return {
            id(fact): (fact, self._canon[i], self.bags[i], self._spelled[i] if py else [], self.py_bags[i] if py else frozenset())
            for i, fact in enumerate(self.base.facts)
        }  # fmt: skip

    def candidates(
        self, tokens: Iterable[str], limit: int = 40, *, budget: int = POSTINGS_BUDGET
    ) -> list[int]:
        """Facts sharing the most weight with the query.

        Postings are read rarest token first (the rarest weigh most) until ``budget`` fact ids
        (default ``POSTINGS_BUDGET``) have been counted, and very common tokens never vote, so the work per question stays
        bounded however many facts there are.
        """
        cap = max(50, self.weights.total // 5)
        lists = sorted(
            (len(posting), token, posting)
            for token in tokens
            if (posting := self.postings.get(token)) and len(posting) <= cap
        )
        score: dict[int, float] = defaultdict(float)
        spent = 0
        for size, token, posting in lists:
            if spent and spent + size > budget:
                break
            spent += size
            weight = self.weights.of(token)
            for fact in posting:
                score[fact] += weight
        return heapq.nlargest(limit, score, key=score.__getitem__)
