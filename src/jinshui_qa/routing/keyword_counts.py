"""How many facts hold each name: what a reload needs to update the scorer's signature keywords and subject
words incrementally (issue 14), and the signature keywords' walk over every fact (a full build).

A signature keyword is a canonical keyword (two characters or more) that no other fact's keywords contain
(as :meth:`WordList.found <jinshui_qa.routing.wordlist.WordList.found>` finds a word in a text). So each
keyword's ``held`` count (how many facts hold a keyword containing it) says which keywords are signatures
(a count of 1), and a reload that removes, adds or renames facts moves the counts of the words inside the
keywords of the facts that left and came only (:mod:`jinshui_qa.routing.renames`). ``exact`` counts the
facts holding each keyword (when it reaches 0 the word is no keyword any more), ``names`` the facts naming
each subject word (the scorer's ``subject_words``). The snapshot stores the three (blob ``"keywords"``),
read at the first reload that needs them.
"""

from __future__ import annotations

import marshal
import threading
from collections.abc import Callable, Iterable, Sequence

from jinshui_qa.routing.wordlist import WordList
from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import has_cjk

Counts = dict[str, int]
_LATIN_RUNS = lazy_re.compile(r"[a-z0-9&'+.-]+")  # a word list's Latin words (routing/wordlist.py)


class KeywordCounts:
    """Per canonical subject word, keyword and keyword inside keywords, how many facts hold it (each None
    when unknown); ``stored``: a snapshot's blob of the three, not read yet."""

    def __init__(self, names: Counts | None = None, exact: Counts | None = None, held: Counts | None = None,
                 stored: memoryview | bytes | None = None) -> None:  # fmt: skip
        self.names, self.exact, self.held, self._stored = names, exact, held, stored
        self._spaced: dict[str, str] | None = None
        self._lock = threading.Lock()  # a snapshot writer's thread reads them too

    def _read(self) -> None:
        with self._lock:
            stored, self._stored = self._stored, None
            if stored is None:
                return
            try:  # three dicts as written (anything else: unknown, derived again by a full scorer)
                names, exact, held = marshal.loads(stored)
            except (ValueError, EOFError, TypeError):
                return
            if type(names) is dict and type(exact) is dict and type(held) is dict:
                self.names, self.exact, self.held = names, exact, held

    def known(self) -> bool:
        """Whether the counts are known (read from the snapshot when stored)."""
        self._read()
        return self.names is not None and self.exact is not None and self.held is not None

    def spaced(self) -> dict[str, str] | None:
        """The Chinese keywords written with a space, by their form without (None: two keywords of one such
        form, which a word list keeps one of: not updated incrementally)."""
        if self._spaced is None and self.exact is not None:
            out: dict[str, str] = {}
            for word in (w for w in self.exact if " " in w and has_cjk(w)):
                bare = word.replace(" ", "")
                if bare in out or bare in self.exact:
                    return None
                out[bare] = word
            self._spaced = out
        return self._spaced

    def plain(self) -> bytes | None:
        """The three counts as marshal bytes in one order (the snapshot's blob; None: unknown)."""
        from jinshui_qa.storage.index_store import plain_bytes

        if not self.known():
            return None
        assert self.names is not None and self.exact is not None and self.held is not None
        return plain_bytes(tuple(dict(sorted(c.items())) for c in (self.names, self.exact, self.held)))


def counted(sets: Iterable[Iterable[str]]) -> Counts:
    """How many of ``sets`` hold each word."""
    out: Counts = {}
    get = out.get
    for words in sets:
        for word in words:
            out[word] = get(word, 0) + 1
    return out


def inside(keyword: str, exact: Counts, spaced: dict[str, str]) -> set[str]:
    """The keywords (``exact``'s; ``spaced``: those written with a space, by their form without) that
    ``WordList(exact).found(keyword)`` finds: its runs of Latin words and its Chinese substrings."""
    out: set[str] = set()
    runs = _LATIN_RUNS.findall(keyword)
    for i in range(len(runs)):
        for j in range(i + 1, len(runs) + 1):
            piece = " ".join(runs[i:j])
            if piece in exact:
                out.add(piece)
    if keyword.isascii():
        return out
    bare = keyword.replace(" ", "")
    for i in range(len(bare)):
        for j in range(i + 1, len(bare) + 1):
            piece = bare[i:j]
            word = spaced.get(piece) or (piece if piece in exact and has_cjk(piece) else None)
            if word is not None:
                out.add(word)
    return out


def contains(keyword: str, word: str) -> bool:
    """Whether ``word`` is among :func:`inside` ``keyword`` (were it a keyword)."""
    if has_cjk(word):
        return not keyword.isascii() and word.replace(" ", "") in keyword.replace(" ", "")
    runs = " ".join(_LATIN_RUNS.findall(keyword))
    return f" {word} " in f" {runs} "


def containing(word: str, keywords: Iterable[str]) -> list[str]:
    """The ``keywords`` that contain ``word`` (:func:`contains`), found by a scan with a cheap test first."""
    if has_cjk(word):
        bare = word.replace(" ", "")
        return [k for k in keywords if bare in k or (" " in k and contains(k, word))]
    head = word.split(" ")[0]
    return [k for k in keywords if head in k and contains(k, word)]


def _inner_words(words: set[str]) -> Callable[[str], Iterable[str]]:
    """What ``WordList(words).found`` finds in a text, as a set: the text's substrings (Chinese words) and
    runs of words (the others) walked only while they begin some word (a signature's keywords are long:
    not every substring and run made)."""
    chinese = {w for w in words if has_cjk(w)}
    cjk = {w.replace(" ", ""): w for w in chinese}
    if len(cjk) != len(chinese):  # two words of one form: the list keeps one of them
        return WordList(words).found
    starts = {bare[:k] for bare in cjk for k in range(1, len(bare))}
    latin = words - chinese
    heads = {" ".join(parts[:k]) for w in latin for parts in (w.split(" "),) for k in range(1, len(parts))}

    def found(text: str) -> set[str]:
        out: set[str] = set()
        runs = _LATIN_RUNS.findall(text)  # runs of these words, joined by a space, as the list reads them
        for i in range(len(runs)):
            for j in range(i + 1, len(runs) + 1):
                piece = " ".join(runs[i:j])
                if piece in latin:
                    out.add(piece)
                if piece not in heads:
                    break
        if text.isascii():
            return out
        bare = text.replace(" ", "")
        for i in range(len(bare)):
            for j in range(i + 1, len(bare) + 1):
                piece = bare[i:j]
                if piece in cjk:
                    out.add(cjk[piece])
                if piece not in starts:
                    break
        return out

    return found


def held_counts(canon: Sequence[set[str]]) -> Counts:
    """For each word of ``canon`` (each fact's canonical keywords), how many facts hold a keyword containing
    it (as :meth:`WordList.found <jinshui_qa.routing.wordlist.WordList.found>` finds it)."""
    inner_words = _inner_words({w for words in canon for w in words})
    inside_of: dict[str, Iterable[str]] = {}  # each distinct keyword looked up once (most are shared)
    held: Counts = {}
    last: dict[str, int] = {}  # the last fact counted for the word
    for i, words in enumerate(canon):
        for word in words:
            found = inside_of.get(word)
            if found is None:
                found = inside_of[word] = inner_words(word)
            for inner in found:
                if last.get(inner, -1) != i:
                    last[inner] = i
                    held[inner] = held.get(inner, 0) + 1
    return held


def signature(word: str, held: Counts) -> bool:
    """Whether ``word``, a keyword, is a signature keyword, given the ``held`` counts."""
    return held.get(word) == 1 and len(word.replace(" ", "")) >= 2


def signature_keywords(canon: Sequence[set[str]], held: Counts | None = None) -> list[tuple[str, ...]]:
    """Per fact (its canonical keywords ``canon[i]``), those of two characters or more that no other fact's
    keywords contain (``held``: :func:`held_counts` of ``canon``, made when None)."""
    held = held_counts(canon) if held is None else held
    return [tuple(w for w in words if signature(w, held)) for words in canon]
