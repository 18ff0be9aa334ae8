"""A text's pinyin token ids read character by character, when every token is known (issue 14).

The index's tokeniser (:class:`~jinshui_qa.routing.index._Tokeniser`) turns each distinct text holding
Chinese into the ids of its pinyin tokens (``pinyin_tokens``: syllables and pairs of syllables), in the
order of the tokens' strings. The plain way spells the text (:func:`~jinshui_qa.text.pinyin.syllables`:
the common words, then a translation of every character into its reading between spaces, then a
split), and looks each syllable and each pair up. Most texts are Chinese characters each read on its
own, whose syllables and pairs are already known: :class:`SyllableIds` reads their ids from each
character's syllable id (kept per character) and each pair of ids, without spelling the text.

It gives None, and the plain way is taken, whenever the text has a token without an id yet (the plain
way adds new tokens in the order it meets them, which fixes the ids a snapshot stores) or is not of
that shape: a character outside ``[\u3400-\u9fff]`` or not read as one lower-case syllable, a digit,
or a common word read otherwise (:func:`~jinshui_qa.text.pinyin.read_alone`).
tests/routing/test_pinyin_ids.py checks both ways give the same ids on the real base's texts and on
random ones.
"""

from __future__ import annotations

from itertools import pairwise

from jinshui_qa.routing.packed import Tokens
from jinshui_qa.text import pinyin

UNKNOWN = -3  # a token without an id yet: not kept, so that it is looked up again once added
OTHER = -4  # a unit of another shape: the plain way


def pair_word(words: list[str], pair: tuple[int, int]) -> str:
    """The token of a pair of syllables (``py:a_b``) by the ids of ``py:a`` and ``py:b`` in ``words``."""
    return f"{words[pair[0]]}_{words[pair[1]][3:]}"


class _Read(dict[str, int]):
    """A character's syllable token id (``py:`` and its reading), ``OTHER`` unless it is read as one
    lower-case syllable, or ``UNKNOWN``."""

    def __init__(self, tokens: Tokens) -> None:
        super().__init__()
        self.ids = tokens.ids

    def __missing__(self, char: str) -> int:
        spelled = pinyin.syllables(char) if "\u3400" <= char <= "\u9fff" else ()
        if len(spelled) != 1 or not (spelled[0].isascii() and spelled[0].isalpha() and spelled[0].islower()):
            self[char] = OTHER
            return OTHER
        found = self.ids.get("py:" + spelled[0], UNKNOWN)
        if found >= 0:
            self[char] = found
        return found


class _Paired(dict[tuple[int, int], int]):
    """The token id of a pair of syllables (``py:a_b``) by the ids of ``py:a`` and ``py:b``, or ``UNKNOWN``."""

    def __init__(self, tokens: Tokens) -> None:
        super().__init__()
        self.tokens = tokens

    def __missing__(self, pair: tuple[int, int]) -> int:
        found = self.tokens.ids.get(pair_word(self.tokens.words, pair), UNKNOWN)
        if found >= 0:
            self[pair] = found
        return found


class SyllableIds:
    """``pinyin_tokens``' ids of a text spelled by :func:`~jinshui_qa.text.pinyin.syllables`, sorted by
    string, or None (the module docstring)."""

    def __init__(self, tokens: Tokens) -> None:
        self.tokens = tokens
        self._read, self._paired = _Read(tokens), _Paired(tokens)

    def __call__(self, text: str) -> tuple[int, ...] | None:
        if not pinyin.read_alone(text):
            return None
        ids = list(map(self._read.__getitem__, text))
        held = set(ids)
        if not held or min(held) < 0:
            return None
        held.update(map(self._paired.__getitem__, pairwise(ids)))
        if UNKNOWN in held:
            return None
        return tuple(sorted(held, key=self.tokens.words.__getitem__))


class NewSyllableIds(dict[str, int]):
    """The plain way's: a spelled part's token id (``py:`` and the syllable), or -1 for a part ``pinyin_tokens`` drops."""

    def __init__(self, tokens: Tokens) -> None:
        super().__init__()
        self.tokens = tokens

    def __missing__(self, part: str) -> int:
        t = self[part] = self.tokens.id("py:" + part) if part.isascii() and part.isalpha() else -1
        return t


class NewPairIds(dict[tuple[int, int], int]):
    """The plain way's: the token id of a pair of syllables (``py:a_b``) by the ids of ``py:a`` and ``py:b``."""

    def __init__(self, tokens: Tokens) -> None:
        super().__init__()
        self.tokens = tokens

    def __missing__(self, pair: tuple[int, int]) -> int:
        t = self[pair] = self.tokens.id(pair_word(self.tokens.words, pair))
        return t
