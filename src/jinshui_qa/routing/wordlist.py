"""Word lists found in text: the look-up behind the gazetteer, the attribute and scope lexicons.

Look-ups are memoised per text in a bounded memo, because the router reads the same message several
times while it weighs its candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import has_cjk

_MEMO_LIMIT = 4096
_LATIN_WORDS = lazy_re.compile(r"[a-z0-9&'+.-]+")


def contains(haystack: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``haystack``: as a substring for Chinese, as whole words otherwise."""
    if has_cjk(needle):
        return needle in haystack.replace(" ", "")
    return re.search(rf"(?<![a-z]){re.escape(needle)}(?![a-z])", haystack) is not None


SHARED_LENGTH = 8  # a message's substrings up to this length are made once for all the lists of shorter words


def _substrings(text: str, lengths: range) -> frozenset[str]:
    """The substrings of ``text`` (without spaces) of the ``lengths`` a list's words have, and shorter ones:
    a list holds no word of another length, so those find nothing, and most lists share one set."""
    return _pieces(text.replace(" ", ""), max(lengths.stop, SHARED_LENGTH + 1))


@lru_cache(maxsize=32)  # a message is looked up in some 30 lists
def _pieces(bare: str, stop: int) -> frozenset[str]:
    """The substrings of ``bare`` of 1 to ``stop - 1`` characters."""
    return frozenset({bare[i : i + size] for size in range(1, stop) for i in range(len(bare) - size + 1)})


SHARED_WORDS = 5  # a message's runs of up to this many Latin words are made once for the lists of fewer


@lru_cache(maxsize=32)
def _word_runs(text: str, most: int) -> frozenset[str]:
    """The runs of 1 to ``most`` consecutive Latin words (and numbers) of ``text``."""
    words = _LATIN_WORDS.findall(text)
    return frozenset(
        " ".join(words[i : i + size]) for size in range(1, most + 1) for i in range(len(words) - size + 1)
    )


class WordList:
    """Folded words with ``found(text)``: the words occurring in a text, longest first.

    Look-ups cut the text into its substrings (bounded by the longest word) and probe a set, so the
    cost depends on the text, not on how many words the list holds.
    """

    def __init__(self, words: Iterable[str]) -> None:
        held = frozenset(w for w in words if w)
        self._words: frozenset[str] | None = held
        cjk = {w for w in held if has_cjk(w)}  # each word tested once (34 lists at every start)
        self._cjk_form = {w.replace(" ", ""): w for w in held if w in cjk}  # in the same order
        self._cjk = frozenset(self._cjk_form)
        self._latin = held - cjk
        lengths = [len(w) for w in self._cjk]
        self._cjk_lengths = range(min(lengths, default=1), max(lengths, default=0) + 1)
        self._latin_words = max((len(w.split()) for w in self._latin), default=0)
        self._memo: dict[str, tuple[str, ...]] = {}

    def plain(self) -> tuple[Any, ...]:
        """What :meth:`restored` takes, as plain data (marshal-able): the built list, not its words."""
        lengths = self._cjk_lengths
        forms = dict(
            sorted(self._cjk_form.items())
        )  # in one order whatever the hash seed (a snapshot's bytes)
        return forms, tuple(sorted(self._latin)), lengths.start, lengths.stop, self._latin_words

    @classmethod
    def restored(cls, plain: tuple[Any, ...]) -> WordList:
        """The list :meth:`plain` wrote, without testing each word again (a start from a snapshot)."""
        cjk_form, latin, start, stop, latin_words = plain
        out = cls.__new__(cls)
        out._cjk_form = cjk_form if type(cjk_form) is dict else dict(cjk_form)
        out._cjk = frozenset(out._cjk_form)
        out._latin = frozenset(latin)
        out._words = None  # made when first asked for (no question asks a restored list for it)
        out._cjk_lengths = range(int(start), int(stop))
        out._latin_words = int(latin_words)
        out._memo = {}
        return out

    def changed(self, gone: Iterable[str], came: Iterable[str]) -> WordList:
        """The list of this one's words without ``gone`` and with ``came`` (a reload's few names: the
        others not tested again)."""
        came = {w for w in came if w}
        gone = set(gone) - came
        forms, latin = dict(self._cjk_form), set(self._latin)
        for word in gone:
            if has_cjk(word):
                forms.pop(word.replace(" ", ""), None)
            else:
                latin.discard(word)
        for word in came:
            if has_cjk(word):
                forms[word.replace(" ", "")] = word
            else:
                latin.add(word)
        out = WordList.__new__(WordList)
        out._words, out._memo = None, {}
        out._cjk_form, out._cjk, out._latin = forms, frozenset(forms), frozenset(latin)
        lengths, sizes = self._cjk_lengths, [len(w.replace(" ", "")) for w in came if has_cjk(w)]
        bounds = (lengths.start, lengths.stop - 1)
        if not lengths or any(has_cjk(w) and len(w.replace(" ", "")) in bounds for w in gone):
            sizes = list(map(len, forms))  # a bound may have gone: counted again
            lengths = range(min(sizes, default=1), max(sizes, default=0) + 1)
        elif sizes:
            lengths = range(min(lengths.start, *sizes), max(lengths.stop - 1, *sizes) + 1)
        out._cjk_lengths = lengths
        most = self._latin_words
        if any(not has_cjk(w) and len(w.split()) == most for w in gone):
            most = max((len(w.split()) for w in latin), default=0)
        out._latin_words = max([most, *(len(w.split()) for w in came if not has_cjk(w))])
        return out

    @property
    def words(self) -> frozenset[str]:
        """Every word of the list."""
        if self._words is None:
            self._words = self._latin.union(self._cjk_form.values())
        return self._words

    def found(self, text: str) -> tuple[str, ...]:
        hit = self._memo.get(text)
        if hit is None:
            cjk = (
                [self._cjk_form[w] for w in _substrings(text, self._cjk_lengths) & self._cjk]
                if self._cjk and not text.isascii()  # (an ASCII text holds no Chinese word)
                else []
            )
            # (a run of more words than the list's longest is none of its words: most lists share one set)
            latin = (
                _word_runs(text, max(self._latin_words, SHARED_WORDS)) & self._latin if self._latin else set()
            )
            hit = tuple(sorted((*cjk, *latin), key=_longest_first))
            if len(self._memo) > _MEMO_LIMIT:
                self._memo.clear()
            self._memo[text] = hit
        return hit


def _longest_first(word: str) -> tuple[int, str]:
    return -len(word), word


class WordLists:
    """Several word lists found in one text at once: ``found(text)[words] == words.found(text)``.

    A message is read against some 30 lists; here its substrings and Latin word runs meet all their
    words in one set intersection, and each word found goes to the lists holding it. The bounds are the
    widest list's: a list's words are all within its own, so each list finds what it finds alone.
    """

    def __init__(self, lists: Iterable[WordList]) -> None:
        self._keys = tuple(dict.fromkeys(lists))
        cjk: dict[str, list[tuple[int, str]]] = {}
        latin: dict[str, list[int]] = {}
        for i, words in enumerate(self._keys):
            for bare, word in words._cjk_form.items():
                cjk.setdefault(bare, []).append((i, word))
            for word in words._latin:
                latin.setdefault(word, []).append(i)
        self._cjk = {bare: tuple(held) for bare, held in cjk.items()}
        self._cjk_words = frozenset(cjk)
        self._latin = {word: tuple(held) for word, held in latin.items()}
        self._latin_words = frozenset(latin)
        self._stop = max((w._cjk_lengths.stop for w in self._keys if w._cjk), default=0)
        self._most = max((w._latin_words for w in self._keys), default=0)
        self._memo: dict[str, dict[WordList, tuple[str, ...]]] = {}

    def found(self, text: str) -> Mapping[WordList, tuple[str, ...]]:
        """Each list's words occurring in ``text``, longest first (as its own ``found``)."""
        hit = self._memo.get(text)
        if hit is None:
            per: dict[int, list[str]] = {}  # the lists with a word found, by position
            if self._cjk and not text.isascii():  # (an ASCII text holds no Chinese word)
                for bare in (
                    _pieces(text.replace(" ", ""), max(self._stop, SHARED_LENGTH + 1)) & self._cjk_words
                ):
                    for i, word in self._cjk[bare]:
                        per.setdefault(i, []).append(word)
            if self._latin:
                for word in _word_runs(text, max(self._most, SHARED_WORDS)) & self._latin_words:
                    for i in self._latin[word]:
                        per.setdefault(i, []).append(word)
            hit = dict.fromkeys(self._keys, ())
            for i, words in per.items():
                hit[self._keys[i]] = tuple(sorted(words, key=_longest_first))
            if len(self._memo) > _MEMO_LIMIT:
                self._memo.clear()
            self._memo[text] = hit
        return hit
