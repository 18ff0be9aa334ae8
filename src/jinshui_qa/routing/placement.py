"""Content words a fact cannot place: evidence against answering with it.

After the frame has been read, every part of a message should be explained: by the fact (its phrasings,
keywords, answer, what its figures count; also by sound, so 高薪 places as 高新), by the frame's
lexicons (attributes, scopes, places, periods), or as filler (general-Chinese function words from
jieba's dictionary, :mod:`jinshui_qa.text.filler_words`, plus the vocabulary's ``fillers`` and
stopwords). Two or more consecutive Chinese characters left over (期限, 房价, 总部大楼), or an English
word of four letters or more that no fact uses (population, hospital), are content the bot does not
hold: 「千企万户的担保期限是多久」 must not get the programme's size as its answer. Each run of Chinese
characters is placed by :mod:`jinshui_qa.routing.runs` (the message's part worked out once per run).
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Container
from functools import lru_cache

from jinshui_qa.facts.schema import FactBase
from jinshui_qa.routing.frames import FrameReader
from jinshui_qa.routing.index import _stem
from jinshui_qa.routing.runs import LONGEST, STRUCTURAL, Runs, _cjk_runs
from jinshui_qa.routing.slots import FactSlots
from jinshui_qa.routing.views import kept
from jinshui_qa.routing.word_counts import counted, placement_words
from jinshui_qa.text import filler_words, lazy_re, places
from jinshui_qa.text.normalize import Normalizer, has_cjk
from jinshui_qa.text.noun_words import NOUNS
from jinshui_qa.text.periods import RELATIVE_YEARS
from jinshui_qa.text.pinyin import syllables

_NUMBERS = lazy_re.compile(r"\d+(?:\.\d+)?(?:年|月份|月|日|号|季度|个月|万|亿|%|个|家|名|位|户|项)*|[~%+.]")
_LATIN = lazy_re.compile(r"[a-z][a-z'-]*")
ABSENT_MEMO = 4_096  # filler words looked up in every fact's text, kept with the answer
__all__ = ["LONGEST", "STRUCTURAL", "Placement", "_cjk_runs", "spell"]


def pairs(text: str) -> frozenset[str]:
    """Every two consecutive characters of ``text``: a word holding a pair not among them is not in ``text``
    (:meth:`Placement.without_filler`). Seconds for every fact's text at 100,000 facts, so made when the
    snapshot is written and stored in it (:mod:`jinshui_qa.routing.state`)."""
    return frozenset(map(operator.add, text, itertools.islice(text, 1, None)))


@lru_cache(maxsize=1024)
def spell(run: str) -> tuple[str, ...]:
    """A run's syllables, memoised (bounded): the same message is checked against several facts."""
    return tuple(syllables(run))


class Placement:
    """Finds the unplaced content words of a message for one fact; built once per fact base."""

    def __init__(self, base: FactBase, normalizer: Normalizer, reader: FrameReader,
                 english_words: frozenset[str], known_english: frozenset[str] | None = None) -> None:  # fmt: skip
        """``known_english``: the English words derived before (a persisted snapshot), used as is."""
        vocabulary = base.vocabulary
        lexicon = [w for words in vocabulary.attributes.values() for w in words]
        lexicon += [w for key in ("new", "total") for w in vocabulary.scopes.get(key, ())]
        lexicon += [*vocabulary.fillers, *places.HOME, *places.FRAME, *places.SHARE_FRAMES, *RELATIVE_YEARS]
        lexicon += [w for words in vocabulary.stopwords.values() for w in words]
        lexicon += [*vocabulary.colloquial]
        own: set[str] = set()
        latin: set[str] = set()
        for word in lexicon:
            canonical = normalizer.canonical(word)
            if has_cjk(canonical):
                own.add(canonical.replace(" ", ""))
            else:
                latin.update(_stem(w) for w in canonical.split())
        # one union each, without copying the 13,000 filler words first (1-2 ms at every start)
        self.general = filler_words.WORDS.union(filler_words.SINGLES, own)
        self.runs = Runs(self.general)  # what of a run the message alone decides, memoised
        self._known: Container[str] = ""  # without_filler's text (or what searches it: routing/known.py)
        self._absent: dict[str, bool] = {}  # and what it lacks
        self.latin_general = frozenset(latin)
        fillers = {normalizer.canonical(w) for w in vocabulary.fillers}
        self.function = filler_words.FUNCTION.union(filler_words.SINGLES, fillers)
        self.english_counts: dict[str, int] | None = None  # how many facts give each word, when derived
        if known_english is None:  # start up -> startup: two words joined too (routing/word_counts.py)
            self.english_counts = counted(base.facts, lambda f: placement_words(f, normalizer.canonical))
            known = set(map(_stem, english_words)).union(self.english_counts)
        self.english_words = frozenset(known) if known_english is None else known_english
        self.reader = reader
        self._sounds: dict[str, str] = {}  # a fact's text -> its syllables; at most one entry per fact

    def unplaced(self, canonical: str, slots: FactSlots, *, names: tuple[str, ...] = (), by_sound: bool = True,
                 english: bool = False) -> list[str]:  # fmt: skip
        """The content words of ``canonical`` that neither ``slots`` nor the lexicons place.

        ``names`` are placed already (the fact's own subject names) and never joined with their
        neighbours into one word. With ``by_sound`` a homophone slip (研法 for 研发) is placed by its
        toneless syllables; with ``english``, English words no fact uses count too.
        """
        text = _NUMBERS.sub(" ", canonical)
        out: list[str] = []
        for run in _cjk_runs(text):
            left = self.runs.unplaced(run, names, slots.text, "", [])
            if left and by_sound:  # only now spell: most runs are placed by characters alone
                sounds = list(spell(run))
                if len(sounds) == len(run):
                    left = self.runs.unplaced(run, names, slots.text, self.sounds(slots), sounds)
            out += left
        for word in _LATIN.findall(text) if english else ():
            stem = _stem(word)
            if len(word) >= 3 and stem not in self.latin_general and stem not in self.english_words:
                out.append(word)
        return out

    def without_filler(self, text: str, known: Container[str], held: Container[str] | None = None) -> str:
        """``text`` without the filler words (two characters or more) that ``known`` never uses:
        「想请您简单介绍一下它指的是什么」 keeps only what a fact could hold, so it weighs less in a score.
        ``held``: :func:`pairs` of ``known``, when made: a word of two characters is in ``known`` if and
        only if it is held, and a longer one with a pair not held is not; either spares reading ``known``
        through (up to 40 ms at 100,000 facts)."""
        out: list[str] = []
        i = 0
        while i < len(text):
            size = next((n for n in range(min(LONGEST, len(text) - i), 1, -1)
                         if text[i : i + n] in self.general and self.lacks(known, text[i : i + n], held)), 0)  # fmt: skip
            if size:
                out.append(" ")
                i += size
            else:
                out.append(text[i])
                i += 1
        return re.sub(r"\s+", " ", "".join(out)).strip()

    def lacks(self, known: Container[str], word: str, held: Container[str] | None) -> bool:
        """``word not in known``: from ``held`` (see :meth:`without_filler`) when it tells, else memoised
        (bounded): at 100,000 facts ``known`` is tens of megabytes, which a look-up may read through (up to
        40 ms), and questions share their filler words."""
        if held is not None and "|" not in word:  # (the pairs across the texts' "|" depend on their order)
            if len(word) == 2:
                return word not in held  # a pair of characters is in the text if and only if it is held
            if not all(map(held.__contains__, map(operator.add, word, word[1:]))):
                return True
        if known is not self._known:
            self._known, self._absent = known, {}
        hit = self._absent.get(word)
        if hit is None:
            hit = kept(self._absent, word, word not in known, ABSENT_MEMO)
        return hit

    def content(self, phrase: str, least: int = 2) -> str:
        """``phrase`` without its function and filler words (已经竣工的 -> 竣工); '' if under ``least``
        characters."""
        out = ""
        i = 0
        while i < len(phrase):
            size = next(
                (
                    n
                    for n in range(min(LONGEST, len(phrase) - i), 0, -1)
                    if phrase[i : i + n] in self.function
                ),
                0,
            )
            noun = next((n for n in (4, 3, 2) if phrase[i : i + n] in NOUNS and i + n <= len(phrase)), 0)
            if noun > size:  # a noun is kept whole: 人才 is not 人 + the adverb 才
                out += phrase[i : i + noun]
                i += noun
            elif size:
                i += size
            else:
                out += phrase[i]
                i += 1
        return out if len(out) >= least else ""

    def sounds(self, slots: FactSlots) -> str:
        """The fact text's toneless syllables, one per Chinese character, ``|`` between runs, spelled on
        first use (pypinyin is slow): `` jin shui qu | ren cai | ``."""
        spelled = self._sounds.get(slots.text)
        if spelled is None:  # the runs spelled at once: no common word (polyphones) holds "|", kept as is
            parts = syllables("".join(run + "|" for run in _cjk_runs(slots.text)))
            spelled = self._sounds[slots.text] = " " + " ".join(parts) + " "
        return spelled
