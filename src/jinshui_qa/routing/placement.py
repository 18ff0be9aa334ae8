"""Content words a fact cannot place: evidence against answering with it.

After the frame has been read, every part of a message should be explained: by the fact (its phrasings,
keywords, answer, what its figures count; also by sound, so 高薪 places as 高新), by the frame's
lexicons (attributes, scopes, places, periods), or as filler (general-Chinese function words from
jieba's dictionary, :mod:`jinshui_qa.text.filler_words`, plus the vocabulary's ``fillers`` and
stopwords). Two or more consecutive Chinese characters left over (期限, 房价, 总部大楼), or an English
word of four letters or more that no fact uses (population, hospital), are content the bot does not
hold: 「千企万户的担保期限是多久」 must not get the programme's size as its answer.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from jinshui_qa.facts.schema import FactBase
from jinshui_qa.routing.frames import FrameReader
from jinshui_qa.routing.index import _stem
from jinshui_qa.routing.slots import FactSlots
from jinshui_qa.routing.views import kept
from jinshui_qa.text import filler_words, lazy_re, places
from jinshui_qa.text.normalize import Normalizer, has_cjk
from jinshui_qa.text.noun_words import NOUNS
from jinshui_qa.text.periods import RELATIVE_YEARS
from jinshui_qa.text.pinyin import syllables

# Structural particles and pronouns: a single one of these is filler wherever it stands. Any other
# single filler character (a measure word like 口 or 号) only joins a run with an unplaced neighbour:
# 人口 is not 人 + the measure word 口.
STRUCTURAL = frozenset(
    "的了吗呢吧啊呀嘛么是有在和与及或也都还就很太最之其该这那哪谁啥几多少个家我你您他她它们把被对从向给让为于以而但又再才只已将会能要想请问"
)
_NUMBERS = lazy_re.compile(r"\d+(?:\.\d+)?(?:年|月份|月|日|号|季度|个月|万|亿|%|个|家|名|位|户|项)*|[~%+.]")
_LATIN = lazy_re.compile(r"[a-z][a-z'-]*")
LONGEST = 8
ABSENT_MEMO = 4_096  # filler words looked up in every fact's text, kept with the answer


def _cjk_runs(text: str) -> list[str]:
    """The runs of characters in U+3400..U+9FFF, in order: ``re.findall("[\\u3400-\\u9fff]+", text)``
    without compiling the class (2 ms on a first question)."""
    runs: list[str] = []
    start = -1
    for i, ch in enumerate(text):
        if "\u3400" <= ch <= "\u9fff":
            if start < 0:
                start = i
        elif start >= 0:
            runs.append(text[start:i])
            start = -1
    if start >= 0:
        runs.append(text[start:])
    return runs


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
        self._known, self._absent = "", dict[str, bool]()  # without_filler's text, and what it lacks
        self.latin_general = frozenset(latin)
        fillers = {normalizer.canonical(w) for w in vocabulary.fillers}
        self.function = filler_words.FUNCTION.union(filler_words.SINGLES, fillers)
        canonical_en = (
            normalizer.canonical(t)
            for f in base.facts
            for t in (*f.questions_en, f.answer.en, f.title.en, *f.keywords)
        )
        known: set[str] = {_stem(w) for w in english_words} if known_english is None else set(known_english)
        for text in canonical_en if known_english is None else ():
            words = _LATIN.findall(text)
            known.update(_stem(w) for w in words)
            known.update(_stem(a + b) for a, b in itertools.pairwise(words))  # start up -> startup
        self.english_words = frozenset(known)
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
            left = self._unplaced_run(run, slots, "", [], names)
            if left and by_sound:  # only now spell: most runs are placed by characters alone
                sounds = list(spell(run))
                if len(sounds) == len(run):
                    left = self._unplaced_run(run, slots, self.sounds(slots), sounds, names)
            out += left
        for word in _LATIN.findall(text) if english else ():
            stem = _stem(word)
            if len(word) >= 3 and stem not in self.latin_general and stem not in self.english_words:
                out.append(word)
        return out

    def without_filler(self, text: str, known: str) -> str:
        """``text`` without the filler words (two characters or more) that ``known`` never uses:
        「想请您简单介绍一下它指的是什么」 keeps only what a fact could hold, so it weighs less in a score."""
        out: list[str] = []
        i = 0
        while i < len(text):
            size = next((n for n in range(min(LONGEST, len(text) - i), 1, -1)
                         if text[i : i + n] in self.general and self._lacks(known, text[i : i + n])), 0)  # fmt: skip
            if size:
                out.append(" ")
                i += size
            else:
                out.append(text[i])
                i += 1
        return re.sub(r"\s+", " ", "".join(out)).strip()

    def _lacks(self, known: str, word: str) -> bool:
        """``word not in known``, memoised (bounded): at 100,000 facts ``known`` is tens of megabytes,
        which each miss reads through (0.6 ms), and questions share their filler words."""
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
        if spelled is None:
            parts = (s for run in _cjk_runs(slots.text) for s in (*syllables(run), "|"))
            spelled = self._sounds[slots.text] = " " + " ".join(parts) + " "
        return spelled

    def _unplaced_run(self, run: str, slots: FactSlots, fact_sounds: str, sounds: list[str],
                      names: tuple[str, ...]) -> list[str]:  # fmt: skip
        """Runs of two or more characters that no placed word covers (every placed word counts)."""
        covered = [False] * len(run)
        weak = [False] * len(run)
        bounds: set[int] = set()
        spans: list[tuple[int, int]] = []  # every placed piece, to read the message's nouns as whole words
        for name in names:
            for m in re.finditer(re.escape(name), run):
                covered[m.start() : m.end()] = [True] * len(name)
                bounds |= {m.start(), m.end()}
                spans.append((m.start(), m.end()))
        for i in range(len(run)):  # lexicon words too: 金水区|人口 must not be read as the fact's 辖区人才
            for size in range(min(LONGEST, len(run) - i), 2, -1):
                if run[i : i + size] in self.general:
                    bounds |= {i, i + size}
                    break
        for i in range(len(run)):
            for size in range(1, min(LONGEST, len(run) - i) + 1):
                piece = run[i : i + size]
                if piece not in self.general and any(i < b < i + size for b in bounds):
                    continue  # a piece across a name's edge (蜜雪冰城|市值 read as 城市) places nothing
                if (
                    size == 1
                    and piece in self.general
                    and piece not in STRUCTURAL
                    and piece not in slots.text
                ):
                    weak[i] = True
                elif self._placed(piece, slots, fact_sounds, sounds[i : i + size] if sounds else []) or (
                    size == 2 and sounds and self._sounds_near(i, sounds, fact_sounds, piece, slots)
                ):
                    covered[i : i + size] = [True] * size
                    spans.append((i, i + size))
        lexical = bounds | {
            b for i in range(len(run) - 1) if run[i : i + 2] in self.general for b in (i, i + 2)
        }
        nouns = self._nouns(run)
        whole = {(a, b) for a, b in nouns if any(s <= a and b <= e for s, e in spans)}
        for start, end in nouns:  # 大型 in 大型企业 is not placed by 科技型企业's 型企 (a modifier of a noun)
            if not any(a == end for a, _ in whole):
                continue  # only a noun right before a noun the fact holds: 大型|企业, 总部|企业
            heard = (
                bool(sounds) and all(sounds[start:end]) and f" {' '.join(sounds[start:end])} " in fact_sounds
            )
            if (
                not heard
                and not any(s <= start and end <= e for s, e in spans)
                and not any(start < b < end for b in lexical)
            ):
                covered[start:end] = [False] * (end - start)
        for i, is_weak in enumerate(weak):  # a weak single joins an unplaced neighbour, else it is filler
            if is_weak and not covered[i]:
                alone = not (i > 0 and not covered[i - 1] and not weak[i - 1]) and not (
                    i + 1 < len(run) and not covered[i + 1] and not weak[i + 1]
                )
                covered[i] = alone
        left: list[str] = []
        current = ""
        for ch, done in zip(run, covered, strict=True):
            if done:
                if len(current) >= 2:
                    left.append(current)
                current = ""
            else:
                current += ch
        if len(current) >= 2:
            left.append(current)
        return left

    def _nouns(self, run: str) -> list[tuple[int, int]]:
        """Spans of the common nouns in ``run`` (general Chinese, :mod:`jinshui_qa.text.noun_words`)."""
        return [(i, i + size) for i in range(len(run)) for size in (2, 3, 4)
                if i + size <= len(run) and run[i : i + size] in NOUNS and run[i : i + size] not in self.general]  # fmt: skip

    @staticmethod
    def _sounds_near(i: int, sounds: list[str], fact_sounds: str, piece: str, slots: FactSlots) -> bool:
        """Two characters placed by sound: with a neighbour (金晓二 as 金小二: jin xiao er), or keeping one
        of their characters (人材 as 人才)."""
        pair = sounds[i : i + 2]
        if all(pair) and f" {' '.join(pair)} " in fact_sounds:
            spelled = fact_sounds.split()
            chars = "|".join(_cjk_runs(slots.text)) + "|"
            if len(chars) == len(spelled):  # aligned: one syllable per character, "|" between runs
                for j in range(len(spelled) - 1):
                    kept = (chars[j] == piece[0] and piece[0] not in STRUCTURAL) or (
                        chars[j + 1] == piece[1] and piece[1] not in STRUCTURAL
                    )  # the character kept is content, not 是 in 话是 (hua shi as 化是)
                    if spelled[j : j + 2] == pair and kept:
                        return True
        for start in (i - 1, i):
            window = sounds[max(0, start) : start + 3]
            if start >= 0 and len(window) == 3 and all(window) and f" {' '.join(window)} " in fact_sounds:
                return True
        return False

    def _placed(self, piece: str, slots: FactSlots, fact_sounds: str, sounds: list[str]) -> bool:
        if piece in self.general:
            return True
        if len(piece) < 2:
            return False
        if piece in slots.text:
            return True
        # by sound only three syllables or more: two common syllables match somewhere in any long text
        return len(piece) >= 3 and bool(sounds) and all(sounds) and f" {' '.join(sounds)} " in fact_sounds
