"""Text normalisation shared by questions and phrasings, so both sides are compared alike.

``fold`` is the vocabulary-free part: Unicode NFKC (full-width to half-width), control and format
characters dropped, lower case, pinyin tone marks and tone numbers dropped (ü as v), traditional to simplified (OpenCC ``t2s``), Chinese numerals to
digits, punctuation to spaces. :class:`Normalizer` adds the shared vocabulary: every alias is
rewritten to its canonical word (高企 -> 高新技术企业, high-tech -> hightech).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from itertools import islice
from typing import Any

from jinshui_qa.facts.schema import Lang, Vocabulary
from jinshui_qa.text import lazy_re
from jinshui_qa.text.aliases import Aliases
from jinshui_qa.text.numerals import arabic_numerals

MAX_CHARS = 300
CANONICAL_MEMO = 32_768  # texts (a few MB at most); the fact base's own texts are folded by the index, the slots and the frames
FOLD_MEMO = 8_192  # texts folded while serving (repeated questions); a build keeps every text it folds
_LOOSE_DOT = lazy_re.compile(r"(?<!\d)\.|\.(?!\d)")
_SPACES = lazy_re.compile(r"\s+")
# Three character classes are tested in plain Python below, not as patterns: compiling a class over
# the Chinese ranges costs re 1-3 ms each (a Python loop over every code point in them), more than a
# one-question ``ask`` spends using them. tests/text/test_cheap_classes.py holds the patterns they were
# and checks each function against its pattern on every character and on random texts.


def has_cjk(text: str) -> bool:
    """Whether the text holds a Chinese character (``[\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff]``)."""
    if text.isascii():
        return False
    for ch in text:  # noqa: SIM110 (a loop: any() over a generator costs twice as much per call)
        if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff":
            return True
    return False


class _Kept(dict[int, int]):
    """A :meth:`str.translate` table, filled on first sight of each character: the characters that fold
    keeps (``[\\w+~%.\\u3400-\\u4dbf\\u4e00-\\u9fff]``, ``\\w`` being ``str.isalnum`` or ``_``) to
    themselves, any other to a space."""

    def __missing__(self, point: int) -> int:
        if len(self) >= 1 << 16:  # bounded, whatever characters users send
            self.clear()
        ch = chr(point)
        kept = ch.isalnum() or ch in "_+~%." or "\u3400" <= ch <= "\u4dbf" or "\u4e00" <= ch <= "\u9fff"
        self[point] = out = point if kept else 32
        return out


_KEPT = _Kept()


def _blank_unkept(text: str) -> str:
    """Every character that fold does not keep as a space (``_KEEP.sub(" ", text)`` was: each run of
    them as one space; the same once fold has collapsed the spaces, which it does next)."""
    return text if text.isalnum() else text.translate(_KEPT)


def _is_cjk(ch: str) -> bool:  # [\u3400-\u9fff]
    return "\u3400" <= ch <= "\u9fff"


def _join_cjk(text: str) -> str:
    """Without each space between two Chinese characters, or between a Chinese character and a digit
    (``0-9``) either way: ``(?<=[\\u3400-\\u9fff]) (?=[\\u3400-\\u9fff0-9])|(?<=[0-9]) (?=[\\u3400-\\u9fff])``."""
    at = text.find(" ")
    if at < 0 or text.isascii():
        return text
    pieces: list[str] = []
    done = 0
    last = len(text) - 1
    while at >= 0:
        if 0 < at < last:
            before, after = text[at - 1], text[at + 1]
            if (_is_cjk(before) and (_is_cjk(after) or "0" <= after <= "9")) or (
                "0" <= before <= "9" and _is_cjk(after)
            ):
                pieces.append(text[done:at])
                done = at + 1
        at = text.find(" ", at + 1)
    return "".join(pieces) + text[done:] if pieces else text


@cache
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def clean(text: str) -> str:
    """NFKC, without control/format/private-use characters, truncated to MAX_CHARS, stripped."""
    text = unicodedata.normalize("NFKC", text[: MAX_CHARS * 4])
    if not text.isprintable():  # printable: no character of a category C (most texts; a C-level check)
        text = _SPACES.sub(" ", "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text))
    elif "  " in text:  # in a printable text the only white space is " "
        text = _SPACES.sub(" ", text)
    return text.strip()[:MAX_CHARS]


@cache
def _changes() -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    from jinshui_qa.text.traditional import ALONE, PHRASES, WITHIN

    return frozenset(ALONE), frozenset(WITHIN), tuple(PHRASES.split())


def unchanged_by_t2s(text: str) -> bool:
    """Whether OpenCC's ``t2s`` returns ``text`` as it is, known without OpenCC: true of a text that
    holds no character it changes on its own and no phrase it changes (:mod:`jinshui_qa.text.traditional`)."""
    alone, within, phrases = _changes()
    return alone.isdisjoint(text) and (within.isdisjoint(text) or not any(p in text for p in phrases))


def to_simplified(text: str) -> str:
    """Traditional characters to simplified (金水區 -> 金水区); other text unchanged. A lone surrogate
    (not encodable, so OpenCC would fail) becomes ``?``.

    OpenCC is imported (28 M instructions) and loaded (about 4 ms) only for a text it may change
    (:func:`unchanged_by_t2s`): any other text, most of them, it would return as it is."""
    if text.isprintable() and unchanged_by_t2s(text):
        return text
    if not has_cjk(text):
        return text
    try:
        return str(_t2s().convert(text))
    except UnicodeEncodeError:
        return str(_t2s().convert(text.encode("utf-8", "replace").decode("utf-8")))


_NUMERAL_CHARS = lazy_re.compile("[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]")
_MARKED = lazy_re.compile(r"[\u00c0-\u024f\u1e00-\u1eff]")
_TONE_NUMBER = lazy_re.compile(r"(?<=[a-zü])[1-5](?=[\sa-z',.?!]|$)")


def strip_tones(text: str) -> str:
    """Pinyin without tone marks or tone numbers, ü written v: ``lǜsè`` and ``lv4 se4`` -> ``lvse``/``lv se``.

    Only Latin letters with diacritics change, so Chinese and plain English pass through untouched;
    a digit after a Latin letter is read as a tone only when the text spells pinyin with marks or
    tone numbers throughout (``jin1 shui3``), never inside a figure (``5G``, ``A1``).
    """
    if _MARKED.search(text):
        text = unicodedata.normalize("NFD", text).replace("u\u0308", "v").replace("U\u0308", "V")
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = unicodedata.normalize("NFC", text)
    if not has_cjk(text) and len(_TONE_NUMBER.findall(text)) >= 2:
        text = _TONE_NUMBER.sub("", text)
    return text


class _Memo:
    """Folded and canonical texts, bounded while serving and kept whole while a fact base is built.

    Building the index and the router folds each of a fact's texts several times (index, slots,
    frames, placement); inside :func:`building` every result is kept, so each text is folded once
    (the memo then holds the base's texts: bounded by the base, not by what users send). Outside, at
    most ``FOLD_MEMO`` / ``CANONICAL_MEMO`` entries are kept, cleared when full.
    """

    def __init__(self) -> None:
        self.folded: dict[tuple[str, bool, bool], str] = {}
        self.builds = 0
        self.lock = threading.Lock()

    def limit(self, serving: int) -> int:
        return 1 << 62 if self.builds else serving


MEMO = _Memo()


@contextmanager
def building(seed: dict[tuple[str, bool, bool], str] | None = None) -> Iterator[_Memo]:
    """Keep every fold and canonical form computed inside (see :class:`_Memo`); drop them after.

    ``seed``: folds known from an earlier build (a persisted snapshot); ``MEMO.folded`` holds them and
    this build's own until the outermost ``building`` ends.
    """
    with MEMO.lock:
        if not MEMO.builds and seed:
            MEMO.folded = dict(seed)
        MEMO.builds += 1
    try:
        yield MEMO
    finally:
        with MEMO.lock:
            MEMO.builds -= 1
            if not MEMO.builds:
                MEMO.folded = {}


def fold(text: str, *, simplify: bool = True, numerals: bool = True) -> str:
    """The comparable form of a text: the steps in the module docstring, in that order (memoised).

    ``simplify`` (OpenCC) and ``numerals`` can be switched off to measure what they add.
    """
    key = (text, simplify, numerals)
    memo = MEMO.folded
    hit = memo.get(key)
    if hit is None:
        hit = _fold(text, simplify, numerals)
        if len(memo) >= MEMO.limit(FOLD_MEMO):
            memo.clear()
        memo[key] = hit
    return hit


def _fold(text: str, simplify: bool, numerals: bool) -> str:
    text = strip_tones(clean(text).lower())
    text = to_simplified(text) if simplify else text
    text = arabic_numerals(text) if numerals else text
    text = _blank_unkept(text.replace("_", " "))  # now the only white space is " "
    if "." in text:
        text = _LOOSE_DOT.sub(" ", text)
    if "  " in text:
        text = _SPACES.sub(" ", text)
    return _join_cjk(text.strip())


def detect_lang(text: str) -> Lang:
    """Chinese when the text holds any Chinese character, English otherwise (pinyin counts as zh later)."""
    return "zh" if has_cjk(text) else "en"


class Normalizer:
    """``fold`` plus the shared vocabulary: aliases rewritten to their canonical word."""

    def __init__(self, vocabulary: Vocabulary, *, simplify: bool = True, numerals: bool = True,
                 synonyms: bool = True, colloquial: bool = True) -> None:  # fmt: skip
        """The switches turn stages off for the ablation benchmark; every one is on in the product."""
        self.simplify, self.numerals = simplify, numerals
        self._memo: dict[str, str] = {}
        groups = [
            *(vocabulary.colloquial.items() if colloquial else ()),
            *(vocabulary.synonyms.items() if synonyms else ()),
        ]
        aliases: dict[str, str] = {}
        for canonical, words in groups:
            target = fold(canonical).replace(" ", "") if has_cjk(canonical) else fold(canonical)
            for word in (canonical, *words):
                key = fold(word)
                if key and key != target:
                    aliases[key] = target
        self.aliases = aliases
        self._colloquial = (
            {fold(w): fold(c) for c, ws in vocabulary.colloquial.items() for w in ws if fold(w)}
            if colloquial
            else {}
        )
        # The colloquial words by first character, longest first: what the alternation of them
        # (longest first) replaces, found without compiling it (1 ms at every first question).
        self._colloquial_first: dict[str, list[str]] = {}
        for word in sorted(self._colloquial, key=len, reverse=True):
            self._colloquial_first.setdefault(word[0], []).append(word)
        pattern = "|".join(
            (re.escape(a) if has_cjk(a) else rf"(?<![a-z0-9]){re.escape(a)}(?![a-z0-9])")
            for a in sorted(aliases, key=len, reverse=True)
        )
        # A look-ahead on the aliases' first characters lets the engine skip most positions at once.
        firsts = "".join(sorted({re.escape(alias[0]) for alias in aliases}))
        self._alias_re = lazy_re.compile(f"(?=[{firsts}])(?:{pattern})") if pattern else None
        # The same replacement without the regex (it tried its ~200 alternatives in turn at each position)
        self._aliases = Aliases(aliases, has_cjk)

    def colloquial(self, text: str) -> str:
        """``fold(text)`` with only the colloquial lexicon's words rewritten (恁好 -> 您好)."""
        folded = fold(text, simplify=self.simplify, numerals=self.numerals)
        return self._replace_colloquial(folded) if self._colloquial else folded

    def _replace_colloquial(self, text: str) -> str:
        """Each colloquial word replaced, leftmost first, the longest at a position first (the literal
        alternation's ``sub``)."""
        out: list[str] = []
        done = at = 0
        while at < len(text):
            for word in self._colloquial_first.get(text[at], ()):
                if text.startswith(word, at):
                    out += (text[done:at], self._colloquial[word])
                    done = at = at + len(word)
                    break
            else:
                at += 1
        return "".join(out) + text[done:] if out else text

    def for_pinyin(self, text: str) -> str:
        """``canonical`` with Chinese numerals left as words, so 双十条 is spelled shuang shi tiao."""
        if not _NUMERAL_CHARS.search(text):
            return self.canonical(text)  # the same text, memoised
        return self._replace_aliases(fold(text, simplify=self.simplify, numerals=False))

    def _replace_aliases(self, text: str) -> str:
        """Every alias replaced by its canonical word, leftmost first, the longest alias at a position
        first; an alias without Chinese only between non-[a-z0-9] characters (``_alias_re.sub``)."""
        return self._aliases.replace(text)

    def memo(self) -> dict[str, str]:
        """The canonical forms computed so far (after a build: the fact base's texts)."""
        return dict(self._memo)

    def memo_size(self) -> int:
        """How many canonical forms the memo holds (:meth:`memo_since` takes it)."""
        return len(self._memo)

    def memo_since(self, size: int) -> list[tuple[str, str]]:
        """The canonical forms computed after the memo held ``size`` (it only grows inside ``building``)."""
        return list(islice(self._memo.items(), size, None))

    def seed(self, memo: dict[str, str]) -> None:
        """Take canonical forms computed by an equal normaliser (a persisted snapshot)."""
        self._memo.update(memo)

    def canonical(self, text: str) -> str:
        """``fold(text)`` with every alias replaced by its canonical word (memoised, bounded)."""
        hit = self._memo.get(text)
        if hit is None:
            hit = self._canonical(text)
            if len(self._memo) >= MEMO.limit(CANONICAL_MEMO):
                self._memo.clear()
            self._memo[text] = hit
        return hit

    def canonical_many(self, texts: list[str]) -> None:
        """Memoise :meth:`canonical` of each text inside :func:`building` (the aliases replaced in one pass
        over them: :meth:`~jinshui_qa.text.aliases.Aliases.replace_many`); outside, nothing."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._memo] if MEMO.builds else []
        folded = [fold(t, simplify=self.simplify, numerals=self.numerals) for t in missing]
        self.seed(dict(zip(missing, self._aliases.replace_many(folded), strict=True)))

    def _canonical(self, text: str) -> str:
        return self._replace_aliases(fold(text, simplify=self.simplify, numerals=self.numerals))
