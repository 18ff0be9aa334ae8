"""``char_tokens``' three common shapes built in a few C calls (``char_scan.shaped``: words only, Chinese
characters only, one run of characters and numbers) give the tokens of the definition, and most texts
of a fact base take them (issue 14: the index of a full build)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings

from jinshui_qa.routing import char_scan
from jinshui_qa.routing.index import _stem, char_tokens
from tests.routing.test_build_paths import BASE, NORMALIZER, _char_tokens_by_definition
from tests.routing.test_char_scan import TEXTS

_PIECES = ["金水区", "行", "2022", "年", "3.5", "亿", " ", "  ", "planned", "investing", "cities", "5g", "%",
           "+", "~", "a", "٣", "x1", "企业", "12.", ".7", "1.2.3", "〇", "\u33ff", "\ua000", "Ab"]  # fmt: skip


def _real_texts() -> list[str]:
    texts = [t for f in BASE.facts for t in (*f.questions_zh, *f.questions_en, *f.keywords, f.title.zh,
             f.title.en, f.answer.zh, f.answer.en)]  # fmt: skip
    return list(dict.fromkeys(map(NORMALIZER.canonical, texts)))


@pytest.mark.parametrize("compiled", [False, True])
def test_each_shape_gives_the_tokens_of_the_definition(
    compiled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(char_scan, "_read", [char_scan.SCANNED + 1 if compiled else 0])
    rng = random.Random(14)
    texts = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 8))) for _ in range(5000)]
    shapes = {"words": 0, "chinese": 0, "run": 0}
    for text in (*_real_texts(), *texts):
        held = char_scan.shaped(text, _stem)
        if held is None:
            continue
        assert held == _char_tokens_by_definition(text), text
        shape = "words" if text.isascii() else "run" if any(c.isdecimal() for c in text) else "chinese"
        shapes[shape] += 1
    assert shapes["words"] > 100 and shapes["chinese"] > 100, shapes
    assert (shapes["run"] > 100) == compiled, shapes  # before the patterns are compiled: not read


def test_most_real_texts_take_a_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(char_scan, "_read", [char_scan.SCANNED + 1])
    texts = _real_texts()
    assert sum(char_scan.shaped(t, _stem) is not None for t in texts) > 0.6 * len(texts)


@settings(max_examples=2000, deadline=None)
@given(TEXTS)
def test_any_text_gets_the_tokens_of_the_definition(text: str) -> None:
    assert char_tokens(text) == _char_tokens_by_definition(text)
    held = char_scan.shaped(text, _stem)
    assert held is None or held == _char_tokens_by_definition(text)
