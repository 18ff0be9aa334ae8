"""Per-character pinyin and the folding memo: same results as before, bounded while serving."""

from __future__ import annotations

import re

from jinshui_qa.facts.loader import load
from jinshui_qa.text import normalize
from jinshui_qa.text.normalize import FOLD_MEMO, MEMO, building, fold
from jinshui_qa.text.pinyin import _DIGIT_SYLLABLES, _WORD, _pinyin_module, syllables
from jinshui_qa.text.polyphones import READINGS


def _whole_text(text: str) -> list[str]:
    """How syllables() read a text before: pypinyin over the whole text at once."""
    text = re.sub(r"(?<![0-9.])[0-9](?![0-9.])", lambda m: f" {_DIGIT_SYLLABLES[m.group(0)]} ", text)
    pypinyin = _pinyin_module()
    out: list[str] = []
    for piece in pypinyin.lazy_pinyin(text, style=pypinyin.Style.NORMAL, errors=lambda s: [s]):
        for part in piece.split():
            out.extend(_WORD.findall(part) if part.isascii() and part.isalpha() else [part])
    return [p for p in out if p.strip()]


def test_per_character_readings_spell_every_fact_text_as_pypinyin_does() -> None:
    base = load()
    texts = [
        t
        for f in base.facts
        for t in (*f.questions_zh, *f.questions_en, *f.keywords, f.answer.zh, f.title.zh)
    ]
    texts += ["金水区2022年GDP是多少？abc 3家", "〇一二 ｘ金水 去", "𠀀字 test-3.5% 行长 重庆", "", "  ", "金小2",
              "a1b2 c", "嗯哦呃㐀〇", "重庆银行行长"]  # fmt: skip
    plain = [t for t in texts if not any(word in t for word in READINGS)]  # no word read as a word
    assert len(plain) > len(texts) // 2
    assert [syllables(t) for t in plain] == [_whole_text(t) for t in plain]


def test_words_read_as_words_inside_any_run_of_characters() -> None:
    assert syllables("行业") == ["hang", "ye"] and syllables("银行") == ["yin", "hang"]
    assert syllables("abc 银行 3家") == ["abc", "yin", "hang", "san", "jia"]
    assert syllables("角色") == list(READINGS["角色"]) != _whole_text("角色")


def test_the_fold_memo_is_bounded_while_serving_and_whole_while_building() -> None:
    for i in range(FOLD_MEMO + 500):
        fold(f"问题{i}")
    assert len(MEMO.folded) <= FOLD_MEMO
    with building() as memo:
        for i in range(FOLD_MEMO + 500):
            assert fold(f"建{i}") == normalize._fold(f"建{i}", True, True)
        assert len(memo.folded) >= FOLD_MEMO + 500
    assert len(MEMO.folded) == 0  # dropped when the build ends


def test_a_seeded_build_uses_the_seed() -> None:
    with building({("甲", True, True): "seeded"}):
        assert fold("甲") == "seeded"
    assert fold("甲") == "甲"


def test_the_copied_character_class_is_pypinyins() -> None:
    from jinshui_qa.text.pinyin import HANS

    assert _pinyin_module().constants.RE_HANS.pattern == "^" + HANS + "$"


def test_seeded_readings_are_used_without_pypinyin() -> None:
    from jinshui_qa.text import pinyin

    saved = pinyin.readings()
    try:
        pinyin._READINGS.clear()
        pinyin.seed_readings({"金": "jin", "水": "shui"})
        assert syllables("金水") == ["jin", "shui"] and len(pinyin.readings()) == 2
    finally:
        pinyin._READINGS.clear()
        pinyin.seed_readings(saved)
