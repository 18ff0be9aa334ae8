"""The names the fact base knows, for telling a question about something known from other words.

Built from the facts' subjects, titles and keywords and the shared vocabulary, folded like questions
(NFKC, simplified characters, lower case). A name containing a conjunction (三标活动和十大战略, research
and development) is *protected*: no split point falls inside it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from jinshui_qa.facts.schema import FactBase
from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import has_cjk, to_simplified

# Conjunctions, but not inside common words (涉及, 总和, 参与, 跟踪, 及时).
CONJ_ZH = lazy_re.compile(r"以及|还有|并且|(?<![总温缓饱共人谐调])和(?![谐平睦])|跟(?![踪进])|(?<![参给])与(?!其)"
                     r"|(?<![涉普波危顾触以论])及(?![时格早其])|、")  # fmt: skip
_PLACES = ("郑州市金水区", "河南省", "jinshui district", "zhengzhou", "henan")
_GENERIC = frozenset({"企业", "公司", "单位", "enterprise", "enterprises", "company", "companies", "jinshui"})


def prepare(text: str) -> str:
    """NFKC, simplified characters, lower case; punctuation kept (it marks the clauses)."""
    return to_simplified(unicodedata.normalize("NFKC", text)).lower().strip()


@dataclass(frozen=True)
class Gazetteer:
    """Names the fact base knows (subjects, keywords, titles, vocabulary), folded like questions.

    Look-ups test every substring of the message up to the longest name against a set, so their cost
    does not grow with the number of facts.
    """

    terms: frozenset[str]
    subjects: frozenset[str]
    protected: frozenset[str]
    longest: int
    slips: frozenset[str] = frozenset()  # Chinese names of 4+ characters with one character as "?"

    @classmethod
    def of(cls, base: FactBase) -> Gazetteer:
        subjects: set[str] = set()
        words: set[str] = set()
        for fact in base.facts:
            for bi in (fact.subject, fact.title):
                if bi is not None:
                    words.update((bi.zh, bi.en))
            if fact.subject is not None:
                subjects.update(prepare(s) for s in (fact.subject.zh, fact.subject.en))
            words.update(fact.keywords)
        for canonical, aliases in base.vocabulary.synonyms.items():
            words.update((canonical, *aliases))
        folded = {prepare(w).strip("“”\"'") for w in words}
        known = frozenset(w for w in folded if _meaningful(w))
        protected = frozenset(w for w in folded if CONJ_ZH.search(w) or re.search(r"\sand\s|&|,", w))
        longest = max((len(w) for w in folded), default=0)
        slips = frozenset(
            w[:i] + "?" + w[i + 1 :] for w in known if has_cjk(w) and len(w) >= 4 for i in range(len(w))
        )
        return cls(known, frozenset(subjects & known), protected, longest, slips)

    def _hits(self, text: str, names: frozenset[str]) -> list[tuple[int, int]]:
        return list(_spans(names, self.longest, text))

    def found(self, text: str) -> list[str]:
        """Known names in ``text``, longest first, none inside another found one."""
        text = prepare(text)
        spans = sorted(self._hits(text, self.terms), key=lambda s: s[0] - s[1])
        kept: list[tuple[int, int]] = []
        for s, e in spans:
            if not any(a <= s and e <= b for a, b in kept):
                kept.append((s, e))
        return list(dict.fromkeys(text[s:e] for s, e in kept))

    def slip_in(self, text: str) -> str:
        """The words of ``text`` that are a known long Chinese name with one character wrong, or ``""``."""
        text = prepare(text)
        for size in range(8, 3, -1):
            for i in range(len(text) - size + 1):
                word = text[i : i + size]
                if any(word[:k] + "?" + word[k + 1 :] in self.slips for k in range(size)):
                    return word
        return ""

    def knows(self, text: str) -> bool:
        """Whether ``text`` names something known, allowing one wrong character in a long Chinese name
        (「研法机构」 for 研发机构: voice input and typing slips)."""
        if self.found(text):
            return True
        text = prepare(text)
        return any(
            text[i : i + size][:k] + "?" + text[i : i + size][k + 1 :] in self.slips
            for size in range(4, 9)
            for i in range(len(text) - size + 1)
            for k in range(size)
        )

    def subject_in(self, text: str) -> str:
        """The name a following part may inherit: a fact's subject when one is named, else the longest."""
        hits = self.found(text)
        for hit in hits:
            for size in range(len(hit), 1, -1):
                named = [
                    hit[i : i + size]
                    for i in range(len(hit) - size + 1)
                    if hit[i : i + size] in self.subjects
                ]
                if named:
                    return named[0]
        return hits[0] if hits else ""

    def guarded(self, text: str) -> list[tuple[int, int]]:
        """Spans of ``text`` (prepared) covered by protected names."""
        return self._hits(text, self.protected)


@lru_cache(maxsize=256)
def _spans(names: frozenset[str], longest: int, text: str) -> tuple[tuple[int, int], ...]:
    """Where names of ``names`` occur in ``text``: each substring up to ``longest`` tested against the
    set. Kept for the last texts, as one message's clauses are scanned several times while it is read
    (as context, for its preamble, its conjuncts): a 1,000-character message once, not nine times."""
    spans = []
    for i in range(len(text)):
        if i and text[i - 1].isascii() and text[i - 1].isalnum() and text[i].isascii():
            continue  # English names start at a word boundary
        for j in range(min(len(text), i + longest), i, -1):
            word = text[i:j]
            if word in names and not (word.isascii() and j < len(text) and text[j].isalnum()):
                spans.append((i, j))
    return tuple(spans)


def _meaningful(word: str) -> bool:
    if not word or word in _GENERIC or any(word in place for place in _PLACES):
        return False
    return len(word) >= 2 if has_cjk(word) else len(word) >= 3


def _contains(text: str, term: str) -> bool:
    if has_cjk(term):
        return term in text
    return re.search(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])", text) is not None


_ASKING = lazy_re.compile(r"多少|几")
_CLAUSE_END = lazy_re.compile(r"[，,；;？?。！!]")
_JOINED = lazy_re.compile(r"(?<![还])和|跟|与|及|加|、|以及")


def own_total(text: str, at: int, gazetteer: Gazetteer) -> bool:
    """Whether the sum word at ``at`` (总共, 一共) is said inside a later clause that names one thing and
    asks of it, after a clause that asks on its own (「高企有多少家，还有重点项目总共投了多少钱」): that
    thing's own total, two questions, not the sum of both things."""
    ends = [m.start() for m in _CLAUSE_END.finditer(text, 0, at)]
    if not ends:
        return False
    before, clause = text[: ends[-1]], _CLAUSE_END.split(text[ends[-1] + 1 :])[0]
    return bool(
        _ASKING.search(before)
        and _ASKING.search(clause)
        and gazetteer.subject_in(clause)
        and not _JOINED.search(clause)
    )
