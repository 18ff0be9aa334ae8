"""Words of a message typed in toneless pinyin, read before routing (the question side only).

* :func:`split_joined`: a word that spells no name, place or English word but whose syllables hold one
  (erqiqu, zhengzhoushi, gaoqiduoshao) is cut where they do, by a maximal munch over its syllables
  (:func:`~jinshui_qa.text.pinyin.segment`): ``erqi qu``, ``zhengzhou shi``, ``gaoqi duo shao``.
* :func:`unplaced`: a place whose spelling is also a common word's (:data:`~jinshui_qa.text.places.COMMON_SPELLINGS`:
  huiji 汇集/会计, xinzheng 新政, gongyi 公益) names the place only where a place fits: a place's suffix
  after it (huiji qu), 在/从 before it, 的 after it, or a thing the facts name in the message (xinzheng
  gaoqi; then a fallback, never that thing's figure, whichever it meant). Elsewhere (huiji fuwu) it is
  written as its syllables, which the frame reader never reads as a place.
* :class:`Lexicon`: the frame reader's Chinese words (attributes, scopes, share frames) spelled in pinyin;
  :meth:`Lexicon.said` writes each run of typed words spelling one as the Chinese word, so a share, a
  rank, a measure or a scope said in pinyin is read as in Chinese (zhan zhengzhou -> 占郑州, paiming -> 排名).
* :func:`nouns`: the common nouns (:data:`~jinshui_qa.text.noun_words.NOUNS`) a typed word or two
  one-syllable words spell (lishi -> 历史), so that a thing no fact holds is caught in pinyin as in
  Chinese (:meth:`~jinshui_qa.routing.checks.Checks.check`: 「gaoqi de lishi」 falls back as 「高企的历史」).
"""

from __future__ import annotations

from collections.abc import Collection, Container, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache

from jinshui_qa.text import places
from jinshui_qa.text.normalize import has_cjk
from jinshui_qa.text.noun_words import NOUNS
from jinshui_qa.text.pinyin import segment, syllables

LONGEST = 8  # syllables of the longest name or place a run is matched against
# What may follow a place's name (区, 市, 县, 省, 镇, 新区) or stand before it (在, 从) or after it (的).
SUFFIXES = frozenset({"qu", "shi", "xian", "sheng", "zhen", "diqu", "xinqu", "shiqu"})
BEFORE = frozenset({"zai", "cong"})
AFTER = frozenset({"de"})
# Syllables typed alone that are mostly function words (是, 不, 的, 有, 多少, 什么…): never half of a noun.
_FUNCTION = "shi bu de you ma me shen zen ji ge jia duo shao na nei zai he le ne ba yi ye dou hai jiu mei zhe"
FUNCTION_SYLLABLES = frozenset(f"{_FUNCTION} ta wo ni yao hui neng ke gei dui cong dao qu lai ru guo".split())
_PARTICLES = frozenset(["de", "ma", "me", "ne", "le", "ba"])  # never half of a noun, even after 的


def joined(place: str) -> bool:
    """A place spelled in pinyin as one word of two or more syllables (erqi, beijing), or as syllables
    typed apart (xi an, as xi'an folds): in a message typed in pinyin it names that place; a one-syllable
    spelling (xian) may be any word there (现, 先)."""
    words = place.split(" ")
    spelled = [segment(w) if w.isalpha() else None for w in words]
    return all(spelled) and sum(len(s or ()) for s in spelled) >= 2


def rejoins(run: Sequence[str]) -> bool:
    """Whether syllables typed apart (gao qi) read back as the same syllables once joined (gaoqi): not
    so where pinyin needs a separator (xi an, xi'an: joined, xian is one syllable, 县 or 现, not 西安)."""
    return segment("".join(run)) == tuple(run)


def place_words() -> frozenset[str]:
    """The places spelled in pinyin as one word: other places, Zhengzhou and Henan, Jinshui."""
    return frozenset(w for w in (*places.OTHER, *places.FRAME, *places.HOME) if w.isascii() and w.isalpha())


def split_joined(canonical: str, names: Mapping[str, str], english: Collection[str]) -> str:
    """``canonical`` with each word that is no name (``names``: spelled names), place or English word cut
    into the names and places its syllables spell, longest first from the left, each other syllable a
    word of its own; a word holding none is left as typed."""
    known = place_words()
    out: list[str] = []
    for word in canonical.split(" "):
        spelled = segment(word) if word.isascii() and word.isalpha() else None
        if not spelled or len(spelled) < 3 or word in names or word in known or word in english:
            out.append(word)
            continue
        pieces: list[str] = []
        at, held = 0, False
        while at < len(spelled):
            for size in range(min(LONGEST, len(spelled) - at), 1, -1):
                run = "".join(spelled[at : at + size])
                if run in names or run in known:
                    pieces.append(run)
                    at, held = at + size, True
                    break
            else:
                pieces.append(spelled[at])
                at += 1
        out.append(" ".join(pieces) if held else word)
    return " ".join(out)


def unplaced(canonical: str, names: Mapping[str, str]) -> str:
    """``canonical`` with each place of :data:`~jinshui_qa.text.places.COMMON_SPELLINGS` that stands
    where no place fits written as its syllables (hui ji)."""
    words = canonical.split(" ")
    if places.COMMON_SPELLINGS.isdisjoint(words):
        return canonical
    out: list[str] = []
    for k, word in enumerate(words):
        if word in places.COMMON_SPELLINGS and not _fits(words, k, names):
            out.extend(segment(word) or (word,))
        else:
            out.append(word)
    return " ".join(out)


def _fits(words: list[str], k: int, names: Mapping[str, str]) -> bool:
    after = words[k + 1] if k + 1 < len(words) else ""
    if after in SUFFIXES or after in AFTER or (k and words[k - 1] in BEFORE):
        return True
    others = [w if i != k else " " for i, w in enumerate(words)]  # a thing the facts name, one word or a run
    return any(
        "".join(others[i:j]) in names for i in range(len(others)) for j in range(i + 1, len(others) + 1)
    )


def nouns(canonical: str, names: Container[str]) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Each word of ``canonical`` (pinyin) that spells a common noun of two syllables or more, or two
    one-syllable words together (li shi), as the one noun it spells or else as typed (lishi: 历史 and
    力士), with its readings (the nouns spelled so); a name (``names``: spelled names) or a place is none."""
    by_sound = _nouns_spelled()
    words = canonical.split(" ")
    known = place_words()
    for k, word in enumerate(words):
        if not (word.isascii() and word.isalpha()) or word in names or word in known:
            continue
        spelled = segment(word) or ()
        if len(spelled) >= 2 and word in by_sound:
            yield _named(word, by_sound[word])
        after = words[k + 1] if k + 1 < len(words) else ""
        pair = word + after
        if len(spelled) != 1 or ({word, after} & FUNCTION_SYLLABLES and not _headed(words, k)):
            continue  # shi bu shi, shi shen me: no noun (师部)
        fits = pair != word and pair.isalpha() and pair.isascii() and pair not in names and pair not in known
        if fits and pair in by_sound and len(segment(pair) or ()) == 2:
            yield _named(pair, by_sound[pair])


def _headed(words: list[str], k: int) -> bool:
    """Whether the pair at ``k`` follows 的 (de), where a noun stands (gao qi de li shi: 历史), and holds no
    particle (de, ma, ne, le, ba, me) and not two function syllables (de shi bu shi: no noun)."""
    pair = {words[k], words[k + 1] if k + 1 < len(words) else ""}
    return k > 0 and words[k - 1] == "de" and not pair & _PARTICLES and not pair <= FUNCTION_SYLLABLES


def _named(typed: str, readings: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    return (readings[0] if len(readings) == 1 else typed), readings


@lru_cache(maxsize=1)
def _nouns_spelled() -> dict[str, tuple[str, ...]]:
    """Each common noun's toneless spelling -> the nouns spelled so, on first use (pypinyin: 0.2 s)."""
    out: dict[str, tuple[str, ...]] = {}
    for noun in sorted(NOUNS):
        key = "".join(syllables(noun))
        out[key] = (*out.get(key, ()), noun)
    return out


class Lexicon:
    """Chinese words (of two characters or more) spelled as one toneless pinyin word each, on first use
    (pypinyin); a spelling two of them share, or one a filler word shares (市级 and 实际), is left out."""

    def __init__(self, words: Iterable[str], fillers: Iterable[str] = ()) -> None:
        self._words = tuple(dict.fromkeys(w for w in words if len(w) >= 2 and all(map(has_cjk, w))))
        self._fillers = tuple(w for w in fillers if len(w) >= 2 and all(map(has_cjk, w)))
        self._spelled: dict[str, str] | None = None
        self._longest = 0

    def spelled(self) -> dict[str, str]:
        """Each word's spelling -> the word."""
        if self._spelled is None:
            out: dict[str, str] = {}
            clash = {"".join(syllables(w)) for w in self._fillers}
            for word in self._words:
                key = "".join(syllables(word))
                if out.get(key, word) != word:
                    clash.add(key)
                out[key] = word
            self._spelled = {k: v for k, v in out.items() if k not in clash}
            self._longest = max((len(w) for w in self._spelled.values()), default=0)
        return self._spelled

    def said(self, canonical: str) -> str:
        """``canonical`` (pinyin) with each longest run of whole typed words that spells a word written as
        that word: ``gaoqi zhan zhengzhou duoshao`` -> ``gaoqi 占郑州 duoshao``."""
        spelled = self.spelled()
        words = canonical.split(" ")
        out: list[str] = []
        at = 0
        while at < len(words):
            for size in range(min(self._longest, len(words) - at), 0, -1):
                run = words[at : at + size]
                word = spelled.get("".join(run)) if all(w.isascii() and w.isalpha() for w in run) else None
                if word is not None:
                    out.append(word)
                    at += size
                    break
            else:
                out.append(words[at])
                at += 1
        return " ".join(out)
