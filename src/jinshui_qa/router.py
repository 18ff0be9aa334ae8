"""The fuzzy intent router: one message (and the conversation's context) in, a routing decision out.

Scoring, for each candidate fact from the :class:`~jinshui_qa.index.Index`:

* ``match``: the best weighted Dice overlap between the question's tokens and one of the fact's
  documents (a question phrasing, keyword, title or subject);
* ``cover``: the share of the question's token weight that the fact explains at all (its documents
  and answers). Words no fact knows (人口, GDP) weigh most, so they drag ``cover`` down;
* the score is ``100 * (MATCH_WEIGHT * match + (1 - MATCH_WEIGHT) * cover)``, best of the character
  channel and the pinyin channel (which catches homophone slips: 科技形, 高薪, 金水去).

Then the decision: ``answer`` above ``answer_at`` with a clear lead; ``clarify`` when two or three facts
are close; ``fallback`` otherwise, and always when the question names another place, a measure the
facts do not hold, or a year no candidate fact describes. Smalltalk is recognised first.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Literal

from rapidfuzz import fuzz

from jinshui_qa.index import Doc, Index, _stem, char_tokens, pinyin_tokens
from jinshui_qa.normalize import clean, detect_lang, fold, has_cjk
from jinshui_qa.pinyin import looks_like_pinyin, read_pinyin, syllables
from jinshui_qa.schema import Fact, Lang
from jinshui_qa.smalltalk import smalltalk_kind
from jinshui_qa.vetoes import Vetoes, WordList, holds

Status = Literal["answer", "clarify", "fallback", "smalltalk"]
MATCH_WEIGHT = 0.5
PINYIN_FACTOR = 0.92
FOLLOWUP_PREFERENCE = 5.0
KEYWORD_BONUS = 6.0
DISTINCTIVE_IDF = 2.0
MEASURE_FIT = 3.0
FOLLOWUP_OWN_COVER = 0.5


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


_FOLLOWUP_WORDS = frozenset({"那", "呢", "那么", "还有", "what", "about", "and", "how"})
_FOLLOWUP_HEAD = re.compile(r"^(?:那么|那|还有|另外|(?:and what about|what about|how about|and|so)\b) ?")
_FOLLOWUP_TAIL = re.compile(r"(呢|吗|呀|\?)$")


class Router:
    """Routes messages over one fact base; build a new Router for a new fact base."""

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
                for inner in every.inside(word):
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

    # -- decision ------------------------------------------------------------------------------------
    def route(self, text: str, context: Context | None = None) -> RouteResult:
        """Decide how to reply to ``text``; ``context`` is the previous answer of this conversation."""
        cleaned = clean(text)
        if not cleaned or not re.search(r"\w", cleaned):
            return RouteResult("fallback", detect_lang(cleaned) if cleaned else "zh", reason="empty")
        kind = smalltalk_kind(cleaned)
        lang, canonical, tokens, py = self.analyse(cleaned)
        if kind:
            return RouteResult("smalltalk", lang, 100.0, smalltalk=kind)
        folded = fold(cleaned)
        result = self._decide(folded, tokens, py, lang, canonical=canonical)
        if context is not None and tokens and self._is_followup(folded, canonical, result):
            stripped = _FOLLOWUP_TAIL.sub("", _FOLLOWUP_HEAD.sub("", folded)).strip()
            own = frozenset(char_tokens(self.index.normalizer.canonical(stripped)))
            same = self._same_subject(folded, canonical, context, lang)
            if same is not None:
                return same
            for merged in self._followup_variants(own, context):
                candidate = self._decide(
                    folded, merged, frozenset(), lang, followup=True, prefer=context.fact_id
                )
                if (candidate.score > result.score + 1 and candidate.status != "fallback"
                        and self._explains(own, candidate)):  # fmt: skip
                    result = candidate
        if result.status == "answer" and result.fact_id:
            result = replace(result, tokens=self._context_tokens(tokens, result.fact_id))
        return result

    def _explains(self, own: frozenset[str], result: RouteResult) -> bool:
        """A follow-up reading only counts if the chosen fact explains the message's own words."""
        ids = [result.fact_id] if result.fact_id else [o.fact_id for o in result.options]
        total = self.index.weights.sum(own)
        return total > 0 and all(
            self.index.weights.sum(own & self.index.bags[self.position[i]]) / total >= FOLLOWUP_OWN_COVER
            for i in ids
        )

    def _context_tokens(self, tokens: frozenset[str], fact_id: str) -> frozenset[str]:
        """What a later follow-up may reuse: the message's words and the answered fact's subject."""
        return frozenset(t for t in tokens if t not in _FOLLOWUP_WORDS) | self._subject_tokens(
            self.base.fact(fact_id)
        )

    def _subject_tokens(self, fact: Fact) -> frozenset[str]:
        normalizer = self.index.normalizer
        if fact.subject:
            return frozenset(char_tokens(normalizer.canonical(fact.subject.zh + " " + fact.subject.en)))
        return frozenset(char_tokens(normalizer.canonical(fact.title.zh + " " + fact.title.en)))

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

    def _is_followup(self, folded: str, canonical: str, alone: RouteResult) -> bool:
        """Elliptical messages: marked (那…呢, what about) or short and naming no subject of their own."""
        if alone.reason.startswith(("other_place", "not_covered")):
            return False
        marked = bool(_FOLLOWUP_HEAD.search(folded) or _FOLLOWUP_TAIL.search(folded))
        short = len(folded.replace(" ", "")) <= 10 if has_cjk(folded) else len(folded.split()) <= 8
        return marked or (short and not self._names_subject(canonical))

    def _same_subject(self, folded: str, canonical: str, context: Context, lang: Lang) -> RouteResult | None:
        """「占全市多少」「这个排第几」: a new measure of the same subject, which the previous fact holds."""
        fact = self.base.get(context.fact_id)
        if fact is None or self._names_subject(canonical) or self._veto(folded, fact):
            return None
        asked = self.vetoes.asked(folded)
        if asked and asked <= {"share", "rank"} and all(holds(fact, kind) for kind in asked):
            return RouteResult("answer", lang, 100.0, fact.id, followup=True, tokens=context.tokens)
        return None

    def _followup_variants(self, own: frozenset[str], context: Context) -> list[frozenset[str]]:
        """Two readings of an elliptical message: same subject, new aspect; or same aspect, new subject."""
        fact = self.base.get(context.fact_id)
        if fact is None or not own:
            return []
        subject = self._subject_tokens(fact)
        normalizer = self.index.normalizer
        keywords = frozenset(t for k in fact.keywords for t in char_tokens(normalizer.canonical(k)))
        return [own | subject, (context.tokens - subject - keywords) | own]

    def _decide(self, folded: str, tokens: frozenset[str], py: frozenset[str], lang: Lang,
                followup: bool = False, prefer: str | None = None, canonical: str = "") -> RouteResult:  # fmt: skip
        t = self.thresholds
        ranked = self.score(tokens, py, canonical=canonical)
        ranked = self._fit_measures(folded, ranked, MEASURE_FIT * (3 if followup else 1))
        if prefer:
            ranked = sorted((replace(c, score=min(100.0, c.score + FOLLOWUP_PREFERENCE)) if c.fact_id == prefer else c
                             for c in ranked),
                            key=lambda c: (-c.score, c.fact_id))  # fmt: skip
        if not ranked or ranked[0].score < t.clarify_at:
            best = ranked[0].score if ranked else 0.0
            reason = self._veto(folded, None) or "no_match"
            return RouteResult("fallback", lang, best, reason=reason, tokens=tokens, followup=followup)
        top = ranked[0]
        veto = self._veto(folded, self.base.fact(top.fact_id))
        if veto:
            place_free = tokens - frozenset(char_tokens(fold(veto.partition(":")[2])))
            return RouteResult("fallback", lang, top.score, reason=veto, followup=followup,
                               tokens=place_free if veto.startswith("other_place") else frozenset(),
                               vetoed=top.fact_id)  # fmt: skip
        if not followup and (self._contentless(folded) or not self._distinctive(tokens or py, top.fact_id)):
            options = tuple(c for c in ranked[:3] if c.score >= t.clarify_at)
            if len(options) >= 2:
                return RouteResult("clarify", lang, top.score, options=options, tokens=tokens, reason="vague")
            return RouteResult("fallback", lang, top.score, reason="vague", tokens=tokens)
        close = [c for c in ranked[:3] if c.score >= max(t.clarify_at, top.score - t.margin)]
        close = [c for c in close if not self._veto(folded, self.base.fact(c.fact_id))]
        if top.score >= t.answer_at and len(close) == 1:
            return RouteResult("answer", lang, top.score, top.fact_id, tokens=tokens, followup=followup)
        if len(close) >= 2:
            return RouteResult(
                "clarify", lang, top.score, options=tuple(close), tokens=tokens, followup=followup
            )
        if top.score >= t.answer_at:
            return RouteResult("answer", lang, top.score, top.fact_id, tokens=tokens, followup=followup)
        runner_ups = [c for c in ranked[1:3] if c.score >= t.clarify_at - t.margin]
        if runner_ups:
            options = (top, *runner_ups)
            return RouteResult("clarify", lang, top.score, options=options, tokens=tokens, followup=followup)
        return RouteResult(
            "fallback", lang, top.score, reason="low_confidence", tokens=tokens, followup=followup
        )


_BARE_WORDS = frozenset({"全市", "全国", "全区", "city", "total", "overall", "what", "how", "many", "much"})


def similarity(a: str, b: str) -> float:
    """Indel similarity of two folded texts (0 to 100); used to group similar questions."""
    return float(fuzz.ratio(fold(a), fold(b)))
