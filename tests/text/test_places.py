"""places.COMMON_SPELLINGS is what its comment says: the places of the gazetteer spelled in pinyin like a
common word of jieba's dictionary (met 400 times or more, naming no place, read a character at a time);
one-syllable spellings (xian) are never read as places."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinshui_qa.text import places
from jinshui_qa.text.pinyin import segment, syllables


def test_common_spellings_are_the_places_spelled_like_common_words() -> None:
    jieba = pytest.importorskip("jieba")
    chinese = {w for w in places.OTHER if not w.isascii()} | set(places.FRAME) | set(places.HOME)
    spelled: set[str] = set()
    for line in Path(jieba.__file__).with_name("dict.txt").read_text(encoding="utf-8").splitlines():
        word, freq, tag = line.split(" ")
        common = int(freq) >= 400 and not tag.startswith(("ns", "nr", "m")) and word not in chinese
        if common and 2 <= len(word) <= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in word):
            spelled.add("".join(syllables(word)))
    latin = {w for w in places.OTHER if w.isalpha() and len(segment(w) or ()) >= 2}  # read as places
    assert {w for w in latin if w in spelled} == places.COMMON_SPELLINGS


def test_every_place_spelled_in_latin_has_its_chinese_name_among_the_places() -> None:
    """A place typed in pinyin is named in Chinese in a Chinese reply (「没有郑州的数据」, not zhengzhou)."""
    chinese = {w for w in (*places.OTHER, *places.FRAME, *places.HOME) if not w.isascii()}
    for latin in (w for w in (*places.OTHER, *places.FRAME, *places.HOME) if w.isascii()):
        named = places.in_chinese(latin)
        assert named != latin and named in chinese, latin
    assert places.in_chinese("Hong Kong") == "香港" and places.in_chinese("郑州") == "郑州"
    assert places.in_chinese("atlantis") == "atlantis"  # no place known: as given


def test_the_chinese_name_is_spelled_as_the_latin_one() -> None:
    """Each pinyin spelling's Chinese name reads as that spelling (a suffix such as 区 aside)."""
    for latin in (w for w in places.OTHER if w.isascii() and w.isalpha() and segment(w)):
        named = places.in_chinese(latin)
        sounds = "".join(syllables(named))
        assert sounds.startswith(latin.replace("'", "")) or latin in (
            "tibet",
            "harbin",
            "shaanxi",
            "luohe",
        )  # English names; 漯 read ta, (latin, named)
