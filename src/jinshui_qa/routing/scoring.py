"""Scoring: how well each fact explains a message, and the checks the router makes on the leaders.

For each candidate fact from the :class:`~jinshui_qa.routing.index.Index`:

* ``match``: the best weighted Dice overlap between the question's tokens and one of the fact's
  documents (a question phrasing, keyword, title or subject);
* ``cover``: the share of the question's token weight that the fact explains at all (its documents
  and answers). Words no fact knows (人口, GDP) weigh most, so they drag ``cover`` down;
* the score is ``100 * (MATCH_WEIGHT * match + (1 - MATCH_WEIGHT) * cover)``, best of the character
  channel and the pinyin channel (which catches homophone slips: 科技形, 高薪, 金水去), plus a bonus
  when the message names a keyword only this fact has.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Literal

from jinshui_qa.facts.schema import Fact, Lang
from jinshui_qa.routing.index import Doc, Index, _stem, char_tokens, pinyin_tokens
from jinshui_qa.routing.vetoes import Vetoes, WordList, holds
from jinshui_qa.text.normalize import detect_lang, fold, has_cjk
from jinshui_qa.text.pinyin import looks_like_pinyin, read_pinyin, syllables

Status = Literal["answer", "clarify", "fallback", "smalltalk"]
MATCH_WEIGHT = 0.5
PINYIN_FACTOR = 0.92
KEYWORD_BONUS = 6.0
DISTINCTIVE_IDF = 2.0
_BARE_WORDS = frozenset({"全市", "全国", "全区", "city", "total", "overall", "what", "how", "many", "much"})


@dataclass(frozen=True)
class Thresholds:
    """Where the router answers, clarifies or falls back; calibrated with ``jinshui-qa eval --sweep``."""

    answer_at: float = 50.0
    clarify_at: float = 42.0
    margin: float = 2.0


@dataclass(frozen=True)
class Candidate:
    fact_id: str
    score: float


@dataclass(frozen=True)
class Context:
    """What a follow-up may lean on: the last answered fact and the question that led to it."""

    fact_id: str
    tokens: frozenset[str]
    lang: Lang


@dataclass(frozen=True)
class RouteResult:
    """The router's decision, as plain data."""

    status: Status
    lang: Lang
    score: float = 0.0
    fact_id: str | None = None
    options: tuple[Candidate, ...] = ()
    reason: str = ""  # why a fallback: "no_match", "other_place:二七区", "not_covered:人口", "year:2020", ...
    smalltalk: str = ""  # greeting, thanks, help, identity, bye
    followup: bool = False
    tokens: frozenset[str] = field(default=frozenset(), repr=False)
    vetoed: str | None = None  # the fact that would have answered, had the question been about Jinshui


class Scorer:
    """The scoring half of the router: immutable state built once per fact base."""

    def __init__(self, index: Index, thresholds: Thresholds | None = None) -> None:
        self.index = index
        self.base = index.base
        self.thresholds = thresholds or Thresholds()
        self.question_side = [" ".join(d.text for d in docs) for docs in index.docs]
        self.whole_text = [
            " ".join([side, fold(f.answer.zh), fold(f.answer.en)])
            for side, f in zip(self.question_side, self.base.facts, strict=True)
        ]
        self.position = {fact.id: i for i, fact in enumerate(self.base.facts)}
        self.vetoes = Vetoes(self.base, self.question_side, self.whole_text)
        self.signature_owner: dict[str, list[int]] = {}
        for i, words in enumerate(self._signature_keywords()):
            for word in words:
                self.signature_owner.setdefault(word, []).append(i)
        self.signatures = WordList(self.signature_owner)
        normalizer = index.normalizer
        self.subject_words = WordList(
            w for f in self.base.facts for k in (*f.keywords, *((f.subject.zh, f.subject.en) if f.subject else ()))
            if len((w := normalizer.canonical(k)).replace(" ", "")) >= 2
        )  # fmt: skip
        self.bare_words = WordList((*self.vetoes.measure_words(), *_BARE_WORDS))
        self.asked_tokens = [
            frozenset().union(*(d.tokens for d in docs)) if docs else frozenset() for docs in index.docs
        ]

    def _signature_keywords(self) -> list[tuple[str, ...]]:
        """Per fact, the keywords (canonical) that no other fact's keywords contain."""
        canon = [{self.index.normalizer.canonical(k) for k in f.keywords} for f in self.base.facts]
        every = WordList(w for words in canon for w in words)
        owners: dict[str, set[int]] = {}
        for i, words in enumerate(canon):
            for word in words:
                for inner in every.found(word):
                    owners.setdefault(inner, set()).add(i)
        return [
            tuple(w for w in words if len(w.replace(" ", "")) >= 2 and owners.get(w) == {i})
            for i, words in enumerate(canon)
        ]

    # -- scoring -----------------------------------------------------------------------------------
    def _score_channel(
        self, qw: dict[str, float], total: float, docs: list[Doc], bag: frozenset[str]
    ) -> float:
        if total <= 0:
            return 0.0
        tokens = qw.keys()
        match = 0.0
        for doc in docs:
            shared = tokens & doc.tokens
            if shared:
                match = max(match, 2 * sum(map(qw.__getitem__, shared)) / (total + doc.weight))
        cover = sum(map(qw.__getitem__, tokens & bag)) / total
        return 100 * (MATCH_WEIGHT * match + (1 - MATCH_WEIGHT) * cover)

    def score(
        self, tokens: frozenset[str], py: frozenset[str], limit: int = 20, canonical: str = ""
    ) -> list[Candidate]:
        """Candidates best first, each scored by the better of the character and pinyin channels."""
        index = self.index
        weights = index.weights
        qw = {t: weights.of(t) for t in tokens}
        pw = {t: weights.of(t) for t in py} if index.with_pinyin else {}
        total, py_total = sum(qw.values()), sum(pw.values())
        signed = (
            {i for word in self.signatures.found(canonical) for i in self.signature_owner[word]}
            if canonical
            else set()
        )
        out: list[Candidate] = []
        for i in index.candidates(tokens | py, limit):
            best = self._score_channel(qw, total, index.docs[i], index.bags[i]) if qw else 0.0
            if pw:
                best = max(
                    best,
                    PINYIN_FACTOR * self._score_channel(pw, py_total, index.py_docs[i], index.py_bags[i]),
                )
            if i in signed:
                best += KEYWORD_BONUS
            out.append(Candidate(self.base.facts[i].id, round(min(best, 100.0), 1)))
        out.sort(key=lambda c: (-c.score, c.fact_id))
        return out

    def analyse(self, text: str) -> tuple[Lang, str, frozenset[str], frozenset[str]]:
        """Language, canonical text, character tokens and pinyin tokens of a message."""
        lang = detect_lang(text)
        canonical = self.index.normalizer.canonical(text)
        if lang == "en" and looks_like_pinyin(canonical, self.index.english_words):
            return "zh", canonical, frozenset(), frozenset(pinyin_tokens(read_pinyin(canonical)))
        tokens = frozenset(char_tokens(canonical))
        py = frozenset(pinyin_tokens(syllables(canonical))) if has_cjk(canonical) else frozenset()
        return lang, canonical, tokens, py

    # -- vetoes --------------------------------------------------------------------------------------
    def _veto(self, folded: str, fact: Fact | None) -> str:
        if fact is None:  # no fact came close: name what the question asked for, if we know it
            return self.vetoes.general(folded)
        return self.vetoes.veto(folded, self.position[fact.id], fact)

    def _fit_measures(self, folded: str, ranked: list[Candidate], weight: float) -> list[Candidate]:
        """Prefer, among the leaders, facts holding the kind of figure asked for (a count, money, a rank)."""
        asked = self.vetoes.asked(folded, ("time", "money", "rank", "share", "count"))
        if not asked or not ranked:
            return ranked
        lead = ranked[0].score - 15
        adjusted = []
        for c in ranked:
            if c.score >= lead:
                fact = self.base.fact(c.fact_id)
                fits = all(holds(fact, kind) for kind in asked)
                c = replace(c, score=round(min(100.0, c.score + (weight if fits else -weight)), 1))
            adjusted.append(c)
        return sorted(adjusted, key=lambda c: (-c.score, c.fact_id))

    def _contentless(self, folded: str) -> bool:
        """Nothing but measures, stopwords and numbers: 「多少钱」「占比多少」「2」 name nothing to answer about."""
        rest = folded
        for word in self.bare_words.found(folded):
            rest = rest.replace(word, " ")
        stop = self.index.weights.stop
        return not [
            p for p in re.findall(r"[\u3400-\u9fff]|[a-z]+", rest) if p not in stop and _stem(p) not in stop
        ]

    def _distinctive(self, tokens: frozenset[str], fact_id: str) -> bool:
        """The question shares at least one rare word with the fact's own questions, not just 金水区 and 多少."""
        i = self.position[fact_id]
        shared = tokens & (
            self.asked_tokens[i] | (self.index.py_bags[i] if self.index.with_pinyin else frozenset())
        )
        weights = self.index.weights
        needed = min(DISTINCTIVE_IDF, 0.6 * math.log(1 + len(self.base.facts)))
        return any(weights.of(t) >= needed for t in shared)

    def _names_subject(self, canonical: str) -> bool:
        return bool(self.subject_words.found(canonical))
