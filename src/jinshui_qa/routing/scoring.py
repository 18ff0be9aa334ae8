"""Scoring: how well each fact's wording matches a message (the retrieval half of the router).

For each candidate fact from the :class:`~jinshui_qa.routing.index.Index`:

* ``match``: the best weighted Dice overlap between the question's tokens and one of the fact's
  documents (a question phrasing, keyword, title or subject);
* ``cover``: the share of the question's token weight that the fact explains at all (its documents
  and answers). Words no fact knows (人口, GDP) weigh most, so they drag ``cover`` down;
* the score is ``100 * (MATCH_WEIGHT * match + (1 - MATCH_WEIGHT) * cover)``, best of the character
  channel and the pinyin channel (which catches homophone slips: 科技形, 高薪, 金水去), plus a bonus
  when the message names a keyword only this fact has.

Weights come from :class:`~jinshui_qa.routing.settings.RouterSettings`. Whether a fact may answer is
not decided here: :mod:`jinshui_qa.routing.router` checks the question's frame against the fact's slots.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

from jinshui_qa.facts.schema import Lang
from jinshui_qa.records import dataclass
from jinshui_qa.routing import dense, views
from jinshui_qa.routing.index import Index, _stem, char_tokens, pinyin_tokens
from jinshui_qa.routing.keyword_counts import KeywordCounts, counted, held_counts, signature_keywords
from jinshui_qa.routing.matching import Query, channel_scores, holds_any
from jinshui_qa.routing.packed import BAG, DOCS, PY_BAG, PY_DOCS
from jinshui_qa.routing.pinyin_words import rejoins, split_joined, unplaced
from jinshui_qa.routing.settings import RouterSettings
from jinshui_qa.routing.wordlist import WordList
from jinshui_qa.text import lazy_re, places
from jinshui_qa.text.normalize import detect_lang, has_cjk
from jinshui_qa.text.pinyin import looks_like_pinyin, read_pinyin, segment, syllables

_LATIN_WORD = lazy_re.compile(r"[a-z]+")
_BARE_WORDS = frozenset(
    {"全市", "全省", "全国", "全区", "city", "total", "overall", "what", "how", "many", "much"}
)


@dataclass(frozen=True)
class Candidate:
    """A fact and its score (0-100)."""

    fact_id: str
    score: float


class Scorer:
    """Scores facts against a message: immutable state built once per fact base."""

    def __init__(self, index: Index, settings: RouterSettings, measure_words: tuple[str, ...] = (),
                 signatures: Sequence[tuple[str, ...]] | None = None, previous: Scorer | None = None,
                 parts: tuple[dict[str, int], Mapping[str, list[int]], WordList, WordList] | None = None) -> None:  # fmt: skip
        """``signatures``: each fact's signature keywords derived before (a persisted snapshot);
        ``previous``: a scorer over facts of the same ids, keywords and subjects, whose word lists are kept;
        ``parts``: its position, signature owners, signatures and subject words, from a snapshot of the same
        facts (:mod:`jinshui_qa.routing.state`)."""
        self.index = index
        self.base = index.base
        self.settings = settings
        self.position: dict[str, int]
        self.signature_owner: Mapping[str, list[int]]
        self.signatures: WordList
        self.subject_words: WordList
        self._by_sound: dict[str, str] | None = None
        self._analysed: dict[str, tuple[Lang, str, frozenset[str], frozenset[str]]] = {}
        self.counts: KeywordCounts | None = None  # when derived here (routing/keyword_counts.py)
        self.bare_words = WordList((*measure_words, *_BARE_WORDS))
        if previous is not None:  # the same fact ids, keywords and subjects (RouterState.previous)
            self.position, self.signature_owner = previous.position, previous.signature_owner
            self.signatures, self.subject_words = previous.signatures, previous.subject_words
            self.counts = previous.counts
            if previous.index.english_words == index.english_words:  # the spellings left out stay the same
                self._by_sound = previous._by_sound
            return
        if parts is not None:
            self.position, self.signature_owner, self.signatures, self.subject_words = parts
            return
        self.position = {fact.id: i for i, fact in enumerate(self.base.facts)}
        owner: dict[str, list[int]] = {}
        for i, words in enumerate(self._signature_keywords() if signatures is None else signatures):
            for word in words:
                owner.setdefault(word, []).append(i)
        self.signature_owner, self.signatures = owner, WordList(owner)
        canonical = index.normalizer.canonical
        named = [{w for k in (*f.keywords, *((f.subject.zh, f.subject.en) if f.subject else ()))
                  if len((w := canonical(k)).replace(" ", "")) >= 2} for f in self.base.facts]  # fmt: skip
        self.subject_words = WordList(w for words in named for w in words)
        if self.counts is not None:
            self.counts.names = counted(named)

    def _signature_keywords(self) -> list[tuple[str, ...]]:
        """Per fact, the keywords (canonical) that no other fact's keywords contain; the counts a reload
        updates them from (:attr:`counts`) made on the way."""
        canonical = self.index.normalizer.canonical
        canon = [{canonical(k) for k in f.keywords} for f in self.base.facts]
        held = held_counts(canon)
        self.counts = KeywordCounts(None, counted(canon), held)
        return signature_keywords(canon, held)

    # -- scoring -----------------------------------------------------------------------------------
    def score(self, tokens: frozenset[str], py: frozenset[str], canonical: str = "") -> list[Candidate]:
        """Candidates best first, each scored by the better of the character and pinyin channels
        (:func:`~jinshui_qa.routing.matching.channel_scores`, on the token ids of the packed rows)."""
        index = self.index
        weights = index.weights
        qw = {t: weights.of(t) for t in tokens}
        pw = {t: weights.of(t) for t in py} if index.with_pinyin and self.settings.pinyin else {}
        layout = index.layout
        numpy = dense.numpy_for(len(layout))  # a large base reads the documents in numpy
        chars, sounds = Query.of(layout, qw, numpy), Query.of(layout, pw, numpy)
        row, wt, share, factor = (
            layout.row,
            layout.wt,
            self.settings.match_weight,
            self.settings.pinyin_factor,
        )
        signed = (
            {i for word in self.signatures.found(canonical) for i in self.signature_owner[word]}
            if canonical
            else set()
        )
        out: list[Candidate] = []
        facts = self.base.facts  # a snapshot's facts are named without being made (Records.ids)
        ids: Sequence[str] | None = getattr(facts, "ids", None)
        found = index.candidates(tokens | py, self.settings.candidates)
        scores = [0.0] * len(found) if not qw else channel_scores(chars, [(row(i, DOCS), row(i, BAG)) for i in found], wt, share)  # fmt: skip
        if pw:  # the sounds' documents are read only if they may score above the characters
            beats = [best / factor for best in scores]
            heard = channel_scores(sounds, [(row(i, PY_DOCS), row(i, PY_BAG)) for i in found], wt, share, beats)  # fmt: skip
            scores = [max(best, factor * h) for best, h in zip(scores, heard, strict=True)]
        for i, best in zip(found, scores, strict=True):
            if i in signed:
                best += self.settings.keyword_bonus
            out.append(Candidate(ids[i] if ids else facts[i].id, round(min(best, 100.0), 1)))
        out.sort(key=lambda c: (-c.score, c.fact_id))
        return out

    def analyse(self, text: str) -> tuple[Lang, str, frozenset[str], frozenset[str]]:
        """Language, canonical text, character tokens and pinyin tokens of a message (memoised,
        bounded: a question asked again is not normalised or spelled again)."""
        hit = self._analysed.get(text)
        if hit is None:
            hit = views.kept(self._analysed, text, self._analyse(text), views.ANALYSED)
        return hit

    def _analyse(self, text: str) -> tuple[Lang, str, frozenset[str], frozenset[str]]:
        lang = detect_lang(text)
        canonical = self.index.normalizer.canonical(text)
        if lang == "en" and looks_like_pinyin(canonical, self.index.english_words):
            canonical = self._syllables_joined(canonical)
            names, english = self.spelled(), self.index.english_words
            canonical = unplaced(split_joined(canonical, names, english), names)  # erqiqu; huiji fuwu
            spelled = self._names_by_sound(canonical, spell=True)
            return "zh", canonical, frozenset(), frozenset(pinyin_tokens(read_pinyin(spelled)))
        if lang == "en":
            canonical = self._names_by_sound(canonical, spell=False)
        tokens = frozenset(char_tokens(canonical))
        spoken = self.index.normalizer.for_pinyin(text)
        py = frozenset(pinyin_tokens(syllables(spoken))) if has_cjk(spoken) else frozenset()
        return lang, canonical, tokens, py

    def _names_by_sound(self, canonical: str, *, spell: bool) -> str:
        """Latin words no fact's English uses that spell a Chinese name or alias in pinyin as one word
        (gaoqi: 高企, jinxiaoer: 金小二), rewritten to the name's canonical form, or with ``spell`` to
        its syllables (gao xin ji shu qi ye). Built on first use: it spells every name (pypinyin)."""
        words = [w for w in _LATIN_WORD.findall(canonical) if w not in self.index.english_words]
        candidates = [w for w in words if len(w) >= 5 and len(segment(w) or ()) >= 2]
        if not candidates:
            return canonical
        spelled = self.spelled()
        for word in candidates:
            name = spelled.get(word)
            if name:
                said = " ".join(syllables(name)) if spell else name
                canonical = re.sub(rf"\b{word}\b", f" {said} ", canonical)
        return re.sub(r"\s+", " ", canonical).strip()

    def _syllables_joined(self, canonical: str) -> str:
        """Pinyin typed one syllable per word (gao qi duo shao, er qi qu): each longest run of 2 to 8 such
        words that spells a name (:meth:`spelled`: gaoqi) or a place (:data:`places.OTHER`: erqi) as one
        word joined, as if typed so (gaoqi duo shao, erqi qu)."""
        words = _LATIN_WORD.findall(canonical)
        single = [len(segment(w) or ()) == 1 for w in words]
        if sum(single) < 2:
            return canonical
        spelled, english, at = self.spelled(), self.index.english_words, 0
        while at < len(words):
            for size in range(min(8, len(words) - at), 1, -1):
                run = words[at : at + size]
                word = "".join(run)
                place = word in places.OTHER or word in places.FRAME  # joined even if English spells it
                place = place and rejoins(run)  # xi an stays: xian is one syllable, not 西安
                if all(single[at : at + size]) and (place or (word in spelled and word not in english)):
                    canonical = re.sub(r"\b" + r"\s+".join(run) + r"\b", word, canonical, count=1)
                    at += size
                    break
            else:
                at += 1
        return canonical

    def spelled(self) -> dict[str, str]:
        """Names spelled as one pinyin word -> their canonical form (see :meth:`_names_by_sound`): made
        on first use, or taken from the persisted snapshot (:meth:`seed_spelled`; at 100,000 facts
        making it spells every keyword, seconds)."""
        if self._by_sound is None:
            self._by_sound = self._spelled_names()
        return self._by_sound

    def seed_spelled(self, spelled: dict[str, str]) -> None:
        """Take :meth:`spelled` as made for the same facts, vocabulary and normaliser."""
        self._by_sound = spelled

    def _spelled_names(self) -> dict[str, str]:
        """Each Chinese name or alias (the vocabulary's synonyms, the facts' keywords), spelled as one
        toneless pinyin word -> its canonical form; a spelling two different names share is left out."""
        normalizer = self.index.normalizer
        vocabulary = self.base.vocabulary
        names = [w for canon, aliases in vocabulary.synonyms.items() for w in (canon, *aliases)]
        names += [k for f in self.base.facts for k in f.keywords]
        out: dict[str, str] = {}
        clash: set[str] = set()
        for name in names:
            if not has_cjk(name) or not 2 <= len(name) <= 8 or not all(has_cjk(ch) for ch in name):
                continue
            key = "".join(syllables(name))
            value = normalizer.canonical(name).replace(" ", "")
            if out.get(key, value) != value:
                clash.add(key)
            out[key] = value
        return {k: v for k, v in out.items() if k not in clash and k not in self.index.english_words}

    def contentless(self, folded: str) -> bool:
        """Nothing but measures, stopwords and numbers: 「多少钱」「占比多少」「2」 name nothing to answer about."""
        rest = folded
        for word in self.bare_words.found(folded):
            rest = rest.replace(word, " ")
        stop = self.index.weights.stop
        return not [p for p in _pieces(rest) if p not in stop and _stem(p) not in stop]

    def distinctive(self, tokens: frozenset[str], fact_id: str) -> bool:
        """The question shares at least one rare word with the fact's own questions, not just 金水区 and 多少."""
        index, weights = self.index, self.index.weights
        needed = min(self.settings.distinctive_idf, 0.6 * math.log(1 + len(self.base.facts)))
        rare = (index.layout.id(t) for t in tokens if weights.of(t) >= needed)
        channels = (DOCS, PY_BAG) if index.with_pinyin else (DOCS,)  # its documents, its sounds
        return holds_any(index.layout, self.position[fact_id], channels, (t for t in rare if t >= 0))

    def names_subject(self, canonical: str) -> bool:
        return bool(self.subject_words.found(canonical))


def _pieces(text: str) -> list[str]:
    """Each character in U+3400..U+9FFF and each run of a-z, in order: ``re.findall("[\\u3400-\\u9fff]|[a-z]+",
    text)`` without compiling the class (2 ms on a first question)."""
    out: list[str] = []
    run = -1  # where the current run of a-z started
    for i, ch in enumerate(text):
        if "a" <= ch <= "z":
            run = i if run < 0 else run
            continue
        if run >= 0:
            out.append(text[run:i])
            run = -1
        if "\u3400" <= ch <= "\u9fff":
            out.append(ch)
    if run >= 0:
        out.append(text[run:])
    return out
