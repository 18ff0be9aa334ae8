"""A text's pinyin ids read character by character (routing/pinyin_ids.py) are those the plain way
gives (spelling the text, then looking each syllable and pair up), on the real base's texts and on
random ones; texts with a token not yet known, a digit, a common word read otherwise or a character
not read as one syllable take the plain way (issue 14: the index of a full build)."""

from __future__ import annotations

import itertools
import random

from jinshui_qa.routing.packed import Tokens
from jinshui_qa.routing.pinyin_ids import NewPairIds, NewSyllableIds, SyllableIds
from jinshui_qa.text.normalize import has_cjk
from jinshui_qa.text.pinyin import read_alone, syllables
from tests.routing.test_build_paths import BASE, NORMALIZER

_PIECES = ["金水区", "行业", "银行", "行", "重新", "长", "的", "目的", "2", "20", "hightech", "Ab", " ",
           "〇", "\u33ff", "\u4dc0", "嗯", "企业", "高新技术", "ü", "一"]  # fmt: skip


def _plain(tokens: Tokens, syllable: NewSyllableIds, pair: NewPairIds, text: str) -> tuple[int, ...]:
    ids = list(filter((-1).__ne__, map(syllable.__getitem__, syllables(text))))
    held = set(ids)
    held.update(map(pair.__getitem__, itertools.pairwise(ids)))
    return tuple(sorted(held, key=tokens.words.__getitem__))


def _texts() -> list[str]:
    real = [t for f in BASE.facts for t in (*f.questions_zh, *f.keywords, f.title.zh, f.answer.zh)]
    rng = random.Random(5)
    made = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 6))) for _ in range(4000)]
    return [t for t in dict.fromkeys((*map(NORMALIZER.for_pinyin, real), *made)) if has_cjk(t)]


def test_ids_read_by_character_are_the_plain_ways() -> None:
    tokens = Tokens()
    syllable, pair, known = NewSyllableIds(tokens), NewPairIds(tokens), SyllableIds(tokens)
    texts = _texts()
    taken = 0
    for text in (*texts, *texts):  # the second time round every token is known
        fast = known(text)
        size = len(tokens.words)
        plain = _plain(tokens, syllable, pair, text)
        if fast is not None:
            taken += 1
            assert fast == plain, text
            assert len(tokens.words) == size, text  # it never skips a token the plain way would add
    assert taken > 500  # of 7,000: real texts hold digits and common words, random ones odd characters


def test_a_text_read_otherwise_takes_the_plain_way() -> None:
    tokens = Tokens()
    syllable, pair, known = NewSyllableIds(tokens), NewPairIds(tokens), SyllableIds(tokens)
    for text in ("银行行业", "金水区2号", "金水〇区", "金水hightech", "行业"):
        _plain(tokens, syllable, pair, text)
        _plain(tokens, syllable, pair, text.replace("行", "水"))
    assert not read_alone("银行行业") and not read_alone("金水2")
    assert read_alone("金水区") and read_alone("行")  # a polyphonic character alone is read alone
    for text in ("银行行业", "金水区2号", "金水〇区", "金水hightech", "金水区企业"):
        assert known(text) is None, text
    assert known("金水区") == _plain(tokens, syllable, pair, "金水区")
