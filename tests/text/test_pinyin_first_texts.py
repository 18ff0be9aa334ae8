"""A process's first texts are spelled without compiling the two classes of the common words'
characters (text/pinyin.py: 22 M instructions of a one-question ``ask``): a set gives what the class
gives, and the scan of the common words finds where each may start as the class did."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from jinshui_qa.text import pinyin

_CHARS = sorted(pinyin._POLYPHONIC_CHARS)
TEXTS = st.lists(st.sampled_from([*_CHARS[:40], *"金水区企业 a1,"]), max_size=12).map("".join) | st.text(
    max_size=12
)


def test_the_classes_hold_only_chinese_characters() -> None:  # so each is the set of its characters
    assert all("\u3400" <= c <= "\u9fff" for c in pinyin._POLYPHONIC_CHARS)
    assert pinyin._FIRST_CHARS <= pinyin._POLYPHONIC_CHARS


@settings(max_examples=1000, deadline=None)
@given(TEXTS)
def test_the_set_finds_what_the_class_finds(text: str) -> None:
    assert (not pinyin._POLYPHONIC_CHARS.isdisjoint(text)) == bool(pinyin._POLYPHONIC.compiled.search(text))
    first = re.compile("[" + "".join(sorted(pinyin._FIRST_CHARS)) + "]")
    starts = [m.start() for m in first.finditer(text)]
    assert starts == [k for k, c in enumerate(text) if c in pinyin._FIRST_CHARS]


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_syllables_are_the_same_before_and_after_the_first_texts(text: str) -> None:
    before = pinyin._SPELLED[0]
    try:
        pinyin._SPELLED[0] = 0
        scanned = pinyin.syllables(text)
        pinyin._SPELLED[0] = pinyin.SCANNED + 1
        assert pinyin.syllables(text) == scanned
    finally:
        pinyin._SPELLED[0] = before
