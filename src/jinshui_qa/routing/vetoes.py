"""Why a well-scored fact must still not answer: another place, something not covered, a measure the
fact does not hold, another year. Also the kinds of measure a question asks for (count, money, ...).

Word lists come from the shared vocabulary. Look-ups are memoised per text and per fact, because the
router asks the same questions of the same message many times while it weighs its candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from jinshui_qa.facts.schema import Fact, FactBase
from jinshui_qa.text.normalize import fold, has_cjk

YEAR = re.compile(r"(?<![\d.])(19[5-9]\d|20[0-4]\d)(?=年|\s|$)")
RELATIVE_YEARS = {"大前年": -3, "前年": -2, "去年": -1, "明年": 1, "后年": 2}
COUNT_UNITS = frozenset({"个", "家", "人", "名", "户", "位", "所", "项", "家企业"})
_MEMO_LIMIT = 4096


def contains(haystack: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``haystack``: as a substring for Chinese, as whole words otherwise."""
    if has_cjk(needle):
        return needle in haystack.replace(" ", "")
    return re.search(rf"(?<![a-z]){re.escape(needle)}(?![a-z])", haystack) is not None


def _substrings(text: str, lengths: range) -> set[str]:
    bare = text.replace(" ", "")
    return {bare[i : i + size] for size in lengths for i in range(len(bare) - size + 1)}


def _word_runs(text: str, most: int) -> set[str]:
    words = re.findall(r"[a-z0-9&'+.-]+", text)
    return {
        " ".join(words[i : i + size]) for size in range(1, most + 1) for i in range(len(words) - size + 1)
    }


class WordList:
    """Folded words with ``found(text)``: the words occurring in a text, longest first.

    Look-ups cut the text into its substrings (bounded by the longest word) and probe a set, so the
    cost depends on the text, not on how many words the list holds.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(w for w in words if w)
        self._cjk = frozenset(w.replace(" ", "") for w in self.words if has_cjk(w))
        self._cjk_form = {w.replace(" ", ""): w for w in self.words if has_cjk(w)}
        self._latin = frozenset(w for w in self.words if not has_cjk(w))
        lengths = [len(w) for w in self._cjk]
        self._cjk_lengths = range(min(lengths, default=1), max(lengths, default=0) + 1)
        self._latin_words = max((len(w.split()) for w in self._latin), default=0)
        self._memo: dict[str, tuple[str, ...]] = {}

    def found(self, text: str) -> tuple[str, ...]:
        hit = self._memo.get(text)
        if hit is None:
            cjk = (
                [self._cjk_form[w] for w in _substrings(text, self._cjk_lengths) & self._cjk]
                if self._cjk
                else []
            )
            latin = _word_runs(text, self._latin_words) & self._latin if self._latin else set()
            hit = tuple(sorted((*cjk, *latin), key=lambda w: (-len(w), w)))
            if len(self._memo) > _MEMO_LIMIT:
                self._memo.clear()
            self._memo[text] = hit
        return hit


def holds(fact: Fact, kind: str) -> bool:
    """Whether ``fact`` holds the kind of figure a question asks for."""
    if kind == "time":
        return len(fact.time) > 4 or any("日" in f.unit or "月" in f.unit for f in fact.figures)
    if kind == "money":
        return any("元" in f.unit or f.unit.startswith(("亿", "万元")) for f in fact.figures)
    if kind == "rank":
        return any(f.rank for f in fact.figures)
    if kind == "count":
        return any(f.unit.lstrip("万亿") in COUNT_UNITS for f in fact.figures)
    if kind == "share":
        return any(f.share for f in fact.figures)
    return False


class Vetoes:
    """The vocabulary's places, uncovered things and measures, checked against one fact base."""

    def __init__(self, base: FactBase, question_side: list[str], whole_text: list[str]) -> None:
        vocabulary = base.vocabulary
        self.base = base
        self.place_names = {fold(p): p for p in vocabulary.other_places if fold(p)}
        self.places = WordList(self.place_names)
        self.not_covered = WordList(fold(w) for ws in vocabulary.not_covered.values() for w in ws)
        self.labels = {  # a group named after a measure (人口: [金水区有多少人, ...]) reports that name
            fold(w): group
            for group, ws in vocabulary.not_covered.items()
            if group not in ("zh", "en")
            for w in ws
        }
        self.measures = {kind: WordList(fold(w) for w in ws) for kind, ws in vocabulary.measures.items()}
        self.question_side = question_side
        self.whole_text = whole_text
        self.report_year = min((r.year for r in base.reports.values()), default=0)
        self._in_fact: dict[tuple[int, str, bool], bool] = {}

    def _fact_says(self, i: int, word: str, whole: bool) -> bool:
        key = (i, word, whole)
        said = self._in_fact.get(key)
        if said is None:
            said = contains(self.whole_text[i] if whole else self.question_side[i], word)
            self._in_fact[key] = said
        return said

    def asked(self, folded: str, kinds: Iterable[str] | None = None) -> set[str]:
        """The kinds of measure the question asks for (time, money, rank, share, count, words)."""
        wanted = (
            self.measures if kinds is None else {k: self.measures[k] for k in kinds if k in self.measures}
        )
        return {kind for kind, words in wanted.items() if words.found(folded)}

    def general(self, folded: str) -> str:
        """The reason to refuse named in the question itself, whatever fact it might match."""
        places = self.places.found(folded)
        if places:
            return f"other_place:{self.place_names[places[0]]}"
        words = self.not_covered.found(folded)
        return f"not_covered:{self.labels.get(words[0], words[0])}" if words else ""

    def veto(self, folded: str, i: int, fact: Fact) -> str:
        """Why fact ``i`` must not answer ``folded``, or '' when it may."""
        for place in self.places.found(folded):
            if not self._fact_says(i, place, False):
                return f"other_place:{self.place_names[place]}"
        for word in self.not_covered.found(folded):
            if not self._fact_says(i, word, False):
                return f"not_covered:{self.labels.get(word, word)}"
        for kind, words in self.measures.items():
            if kind == "count" and fact.figures:  # a count asked of a fact with no figure at all
                continue
            for word in words.found(folded):
                held = self._fact_says(i, word, True) if kind == "words" else holds(fact, kind)
                if not held and not self._fact_says(i, word, False):
                    return f"not_held:{word}"
        years = {int(y) for y in YEAR.findall(folded)}
        years |= {
            self.report_year + delta
            for word, delta in RELATIVE_YEARS.items()
            if word in folded and not (word == "前年" and "大前年" in folded)
        }
        if years and fact.years and not years & fact.years:
            return f"year:{min(years)}"
        return ""

    def measure_words(self) -> tuple[str, ...]:
        return tuple(w for words in self.measures.values() for w in words.words)
