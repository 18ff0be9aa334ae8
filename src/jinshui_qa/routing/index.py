"""Candidate retrieval and scoring features: an inverted index of weighted character n-grams.

Every fact contributes documents (its questions, keywords, title and subject, in canonical form) and a
bag (documents plus answers). Tokens are Chinese characters and character bigrams, English word stems,
numbers, and, in a second channel, toneless pinyin syllables and syllable pairs. A token's weight is its
inverse document frequency over facts, so 金水区 weighs little and 氢能 much; a token no fact holds
weighs most, which is what pushes a question about 人口 below any threshold.

The data is packed (:mod:`jinshui_qa.routing.packed`, :mod:`jinshui_qa.routing.segments`): token ids,
per-fact rows and postings in flat arrays, stored and loaded as bytes by the persisted snapshot.
Scoring reads a candidate's rows as token ids (:mod:`jinshui_qa.routing.matching`), candidates come
from a pruned walk of the postings (:mod:`jinshui_qa.routing.retrieval`), and a reload tokenises only
the facts it does not share with the index it replaces.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache, partial

from jinshui_qa.facts.schema import Fact, FactBase
from jinshui_qa.records import dataclass
from jinshui_qa.routing import char_scan, pinyin_ids, pool, retrieval
from jinshui_qa.routing.packed import BAG, DOCS, END, PY_BAG, PY_DOCS, Tokens
from jinshui_qa.routing.segments import Layout, layout_for
from jinshui_qa.routing.views import Bags, Doc, Docs, Weights, stopped
from jinshui_qa.text import lazy_re, pinyin
from jinshui_qa.text.normalize import Normalizer, fold
from jinshui_qa.text.pinyin import syllables

_HAS_CJK = lazy_re.compile("[\u3400-\u9fff]")
POSTINGS_BUDGET = 20_000


@lru_cache(maxsize=32_768)  # the same words again and again: every fact's texts, the placement's, questions
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


_DIGIT = lazy_re.compile(r"\d")


def char_tokens(canonical: str) -> set[str]:
    """Characters and bigrams of Chinese runs, word stems, numbers."""
    out = char_scan.shaped(canonical, _stem)  # most texts: a few C calls
    if out is not None:
        return out
    out = set()
    digits = _DIGIT.search(canonical) is not None
    if digits:
        for run in char_scan.runs(canonical):
            if len(run) < 2:
                continue
            units = (
                char_scan.units(run) if _DIGIT.search(run) else run
            )  # without digits, a unit is a character
            out.update(map(operator.add, units, units[1:]))
    for piece in char_scan.pieces(canonical):  # a process's first texts without compiling the patterns
        if "\u3400" <= piece[0] <= "\u9fff":
            out.update(piece)
            if not digits:  # then the runs of Chinese and digits are these pieces: their bigrams here
                out.update(map(operator.add, piece, piece[1:]))
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


__all__ = ["Doc", "Index", "Reuse", "Weights", "char_tokens", "pinyin_tokens"]


@dataclass(frozen=True)
class Reuse:
    """What a new index may take from another built with the same normaliser and pinyin setting: its
    ``layout``, and the position there of each fact object (``positions``, by ``id(fact)``; the fact is
    kept to check identity); ``english``: its English words; ``facts``: its facts by position, when
    known, so that a fact read again from an edited file but unchanged (equal) keeps its rows too."""

    layout: Layout
    positions: Mapping[int, tuple[Fact, int]]
    english: frozenset[str] | None = None
    facts: Sequence[Fact] = ()
    rows: Sequence[int] | None = None  # the row of each fact of the base by position (-1: none), and
    # ``english`` this base's: a snapshot of the same files, or a reload (routing/spliced.py)


class Index:
    """Documents, bags and postings for one fact base; immutable after construction."""

    def __init__(self, base: FactBase, normalizer: Normalizer, *, with_pinyin: bool = True,
                 reuse: Reuse | None = None, workers: int = 1) -> None:  # fmt: skip
        """``reuse``: the layout of an index built before with the same normaliser (:meth:`reusable` of
        the index a reload replaces, or a persisted snapshot's); every fact object of ``base`` found
        there keeps its packed rows, and only the others are tokenised. ``workers``: how many processes
        a full build (no ``reuse``) may tokenise with (:mod:`jinshui_qa.routing.pool`; 1: this one)."""
        self.base = base
        self.normalizer = normalizer
        self.with_pinyin = with_pinyin
        stop: set[str] = set()
        for words in base.vocabulary.stopwords.values():
            for word in words:
                stop |= char_tokens(fold(word))
        facts = base.facts
        source = reuse.layout if reuse is not None and reuse.layout.with_pinyin == with_pinyin else None
        tokens = source.tokens if source is not None else Tokens()
        known = reuse.positions if reuse is not None else {}

        old = reuse.facts if reuse is not None else ()
        by_name: dict[str, int] = {}
        pooled: frozenset[str] | None = None  # the English words, when found by the pool's processes
        rows = reuse.rows if reuse is not None else None

        def position(i: int) -> int:
            if rows is not None:
                return rows[i]
            fact = facts[i]
            hit = known.get(id(fact))
            if hit is not None and hit[0] is fact:
                return hit[1]
            if old and not by_name:
                by_name.update((f.id, j) for j, f in enumerate(old))
            j = by_name.get(fact.id, -1)
            return j if j >= 0 and old[j] == fact else -1

        same = source is not None and len(source) == len(facts) and all(position(i) == i for i in range(len(facts)))  # fmt: skip
        if source is not None and same:
            self.layout = source
        elif source is None and pool.usable(workers, len(facts)):  # each worker its own _Tokeniser
            make = partial(_Tokeniser, facts, normalizer, with_pinyin=with_pinyin)
            if with_pinyin:  # imported once, before the fork, rather than in each process (0.25 s each)
                pinyin._pinyin_module()
            self.layout, sides = pool.pooled_layout(len(facts), tokens, make, normalizer, workers, with_pinyin,
                                                    stopped(stop), partial(_english_words, facts),
                                                    facts)  # fmt: skip
            pooled = frozenset[str]().union(*sides)  # each chunk's English words, found in its process
        else:
            tokenise = _Tokeniser(facts, normalizer, tokens, with_pinyin)
            if source is None:  # a full build
                tokenise.prepare(0, len(facts))
            self.layout = layout_for(
                len(facts), source, position, tokenise, tokens, with_pinyin, stopped(stop)
            )
        self.weights = Weights(self.layout, stop)
        self.docs = Docs(self.layout, DOCS)
        self.py_docs = Docs(self.layout, PY_DOCS)
        self.bags = Bags(self.layout, BAG)
        self.py_bags = Bags(self.layout, PY_BAG)
        english = (
            reuse.english
            if reuse is not None and (same or rows is not None or _same_english(old, facts))
            else None
        )  # with ``rows``, ``english`` is this base's (or None)
        if english is None:
            english = pooled if pooled is not None else frozenset(_english_words(facts, 0, len(facts)))
        self.english_words = english

    def reusable(self) -> Reuse:
        """What the next index over a base sharing fact objects may take from this one (``reuse``)."""
        positions = {id(fact): (fact, i) for i, fact in enumerate(self.base.facts)}
        return Reuse(self.layout, positions, self.english_words, self.base.facts)

    def postings(self, token: str) -> int:
        """How many facts hold ``token`` (the length of its postings)."""
        t = self.layout.id(token)
        return self.layout.df[t] if t >= 0 else 0

    def candidates(
        self, tokens: Iterable[str], limit: int = 40, *, budget: int = POSTINGS_BUDGET
    ) -> list[int]:
        """Facts sharing the most weight with the query, by position.

        Postings are read rarest token first (the rarest weigh most, so the walk is impact-ordered)
        until ``budget`` fact ids (default ``POSTINGS_BUDGET``) have been counted, and very common
        tokens never vote, so the work per question stays bounded however many facts there are. Ties
        go to the fact met first (the rarer token, then the lower position), as in one full build.
        Once no fact met later can reach the top, the rest is read only for the facts that still can
        (:func:`~jinshui_qa.routing.retrieval.top`).
        """
        layout = self.layout
        cap = max(50, self.weights.total // 5)
        lists = []
        for token in tokens:
            t = layout.id(token)
            if t >= 0 and 0 < (size := layout.df[t]) <= cap:
                lists.append((size, token, t))
        lists.sort()
        walked: list[tuple[float, int, int]] = []
        spent = 0
        for size, _token, t in lists:
            if spent and spent + size > budget:
                break
            spent += size
            walked.append((layout.wt[t], t, size))
        return retrieval.read(layout, walked, limit)


def _english_words(facts: Sequence[Fact], lo: int, hi: int) -> set[str]:
    """The words of the English questions and answers of facts ``lo:hi`` (:attr:`Index.english_words`)."""
    word = re.compile("[a-z]+").findall
    return {w for f in facts[lo:hi] for q in (*f.questions_en, f.answer.en) for w in word(q.lower())}


def _same_english(old: Sequence[Fact], new: Sequence[Fact]) -> bool:
    """Whether the facts' English questions and answers, which :attr:`Index.english_words` holds, are unchanged."""
    return len(old) == len(new) and all(
        a is b or (a.questions_en == b.questions_en and a.answer.en == b.answer.en)
        for a, b in zip(old, new, strict=True)
    )


class _Tokeniser:
    """Each fact's token ids per channel, as a full build computes them (texts tokenised once: each
    distinct text's ids are kept, so a text shared by facts or documents costs one look-up). Each
    document's ids and each bag are in the order of the tokens' strings (not of a set's iteration)."""

    def __init__(
        self, facts: Sequence[Fact], normalizer: Normalizer, tokens: Tokens, with_pinyin: bool
    ) -> None:
        self.facts, self.normalizer, self.tokens, self.with_pinyin = facts, normalizer, tokens, with_pinyin
        self._char_ids: dict[str, tuple[int, ...]] = {}  # tuples: cheaper to make than arrays, and
        self._pinyin_ids: dict[str, tuple[int, ...]] = {}  # the collector stops tracking them
        self._syllable = pinyin_ids.NewSyllableIds(tokens)
        self._pair = pinyin_ids.NewPairIds(tokens)
        self._known_syllables = pinyin_ids.SyllableIds(tokens)

    def _chars(self, canonical: str) -> tuple[int, ...]:
        hit = self._char_ids.get(canonical)
        if hit is None:
            hit = self._char_ids[canonical] = tuple(self.tokens.many(sorted(char_tokens(canonical))))
        return hit

    def _pinyin(self, sounded: str) -> tuple[int, ...]:
        hit = self._pinyin_ids.get(sounded)
        if hit is None:
            hit = self._known_syllables(sounded)
            if (
                hit is None
            ):  # pinyin_tokens' set, as ids: a syllable's id by the syllable, a pair's by its two ids
                ids = list(filter((-1).__ne__, map(self._syllable.__getitem__, syllables(sounded))))
                held = set(ids)
                held.update(map(self._pair.__getitem__, itertools.pairwise(ids)))
                hit = tuple(sorted(held, key=self.tokens.words.__getitem__))
            self._pinyin_ids[sounded] = hit
        return hit

    def prepare(self, lo: int, hi: int) -> None:
        """The canonical forms of facts ``lo:hi``, each text's computed as :meth:`__call__` would, in
        the same order, their aliases replaced in one pass (a full build's)."""
        texts: list[str] = []
        for fact in self.facts[lo:hi]:
            texts += (*fact.questions_zh, *fact.questions_en, *fact.keywords, fact.title.zh, fact.title.en)
            texts += (fact.subject.zh, fact.subject.en) if fact.subject else ()
            texts += (fact.answer.zh, fact.answer.en)
        self.normalizer.canonical_many(texts)

    def __call__(self, i: int) -> list[list[int]]:
        fact, canonical = self.facts[i], self.normalizer.canonical
        texts = [*fact.questions_zh, *fact.questions_en, *fact.keywords, fact.title.zh, fact.title.en]
        if fact.subject:
            texts += [fact.subject.zh, fact.subject.en]
        canon = list(dict.fromkeys(map(canonical, texts)))
        docs: list[int] = []
        bag: set[int] = set()
        for text in canon:
            held = self._chars(text)
            if held:
                docs += held
                docs.append(END)
                bag.update(held)
        bag.update(self._chars(canonical(fact.answer.zh)), self._chars(canonical(fact.answer.en)))
        py_docs: list[int] = []
        py_bag: set[int] = set()
        if self.with_pinyin:
            sounded = dict.fromkeys(map(self.normalizer.for_pinyin, texts))  # numerals still as words
            for spelled in (self._pinyin(t) for t in sounded if _HAS_CJK.search(t)):
                if spelled:
                    py_docs += spelled
                    py_docs.append(END)
                    py_bag.update(spelled)
        word = self.tokens.words.__getitem__  # each run in the order of its tokens' strings, as the
        # snapshot stores it (routing/canonical.py): the same ids and sums whatever the hash seed
        return [docs, sorted(bag, key=word), py_docs, sorted(py_bag, key=word)]
