"""The faster paths of normalisation and pinyin give exactly what the plain definitions give.

Each is checked on random texts made of the pieces where they could differ (aliases and their
neighbours, ASCII boundaries, control and format characters, digits, polyphonic words).
"""

from __future__ import annotations

import random
import unicodedata

import pytest

from jinshui_qa.facts.loader import load
from jinshui_qa.text.normalize import MAX_CHARS, Normalizer, clean, fold
from jinshui_qa.text.pinyin import _parts, _reading, syllables
from jinshui_qa.text.polyphones import READINGS
from tests.support.tiny import REAL_FACTS


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer(load(REAL_FACTS).vocabulary)


def _texts(rng: random.Random, pieces: list[str], count: int) -> list[str]:
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) for _ in range(count)]


def test_aliases_are_replaced_as_the_alias_pattern_replaces_them(normalizer: Normalizer) -> None:
    assert normalizer._alias_re is not None
    aliases = list(normalizer.aliases)
    pieces = [*aliases, *normalizer.aliases.values(), "a", "z", "0", "9", " ", "-", "区", "金水", "的", "x1"]
    rng = random.Random(14)
    for text in _texts(rng, pieces, 5000) + [fold(a) for a in aliases]:
        expected = normalizer._alias_re.sub(lambda m: normalizer.aliases[m.group(0)], text)
        assert normalizer._replace_aliases(text) == expected, text


def _clean_by_definition(text: str) -> str:
    text = unicodedata.normalize("NFKC", text[: MAX_CHARS * 4])
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split()).strip()[:MAX_CHARS]


def test_clean_drops_control_and_format_characters_whether_or_not_a_text_has_any() -> None:
    pieces = ["金水区", "abc", " ", "\u3000", "\t", "\n", "\x00", "\x07", "\u200b", "\u200d", "\ufeff", "\ue000",
              "\U0010fffd", "\u0378", "Ａ", "①", "\xa0", "\u2028"]  # fmt: skip
    rng = random.Random(15)
    for text in _texts(rng, pieces, 3000):
        assert clean(text) == _clean_by_definition(text), repr(text)


def _syllables_by_definition(text: str) -> list[str]:
    import re

    from jinshui_qa.text.pinyin import _DIGIT_SYLLABLES, _han_runs

    text = re.sub(r"(?<![0-9.])[0-9](?![0-9.])", lambda m: f" {_DIGIT_SYLLABLES[m.group(0)]} ", text)
    out: list[str] = []
    for run in _han_runs().split(text):
        if not run:
            continue
        pieces = [_reading(ch) for ch in run] if _han_runs().fullmatch(run) else [run]
        if _han_runs().fullmatch(run):
            at = 0
            while at < len(run):
                word = next((run[at : at + n] for n in (4, 3, 2) if run[at : at + n] in READINGS), "")
                if word:
                    pieces[at : at + len(word)] = READINGS[word]
                    at += len(word)
                else:
                    at += 1
        for piece in pieces:
            out += _parts(piece)
    return [p for p in out if p.strip()]


def test_syllables_are_those_of_each_character_with_the_common_words_own_readings() -> None:
    pieces = [
        *list(READINGS)[:60],
        "金水",
        "区",
        "行",
        "银",
        "2",
        "22",
        "2.5",
        ".3",
        "a",
        "gao xin",
        " ",
        "、",
        "x9",
        "Ab",
        "GAO",
        "q",
    ]
    rng = random.Random(16)
    for text in _texts(rng, pieces, 3000):
        assert syllables(text) == _syllables_by_definition(text), text


def test_converted_numeral_runs_are_memoised_as_converted() -> None:
    from jinshui_qa.text import numerals

    texts = ["两千零五十八", "十九点二万", "二〇二二年", "万一", "七八家", "十四五", "三点", "一二", "二十"]
    first = [numerals.arabic_numerals(t) for t in texts]
    assert (
        [numerals.arabic_numerals(t) for t in texts]
        == first
        == [numerals._RUN.sub(lambda m: numerals._convert_run(m.group(0)), t) for t in texts]
    )
    assert first[:3] == ["2058", "19.2万", "2022年"]


def _fold_by_definition(text: str) -> str:
    import re

    from jinshui_qa.text.normalize import strip_tones, to_simplified
    from jinshui_qa.text.numerals import arabic_numerals

    text = arabic_numerals(to_simplified(strip_tones(clean(text).lower())))
    text = re.sub(r"[^\w+~%.\u3400-\u4dbf\u4e00-\u9fff]+", " ", text.replace("_", " "))
    text = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff0-9])|(?<=[0-9]) (?=[\u3400-\u9fff])", "", text)


def test_fold_skips_the_dot_and_space_passes_only_where_they_change_nothing() -> None:
    from jinshui_qa.text.normalize import _fold

    pieces = ["金水区", "a", "3", ".", "..", " ", "  ", "_", "\u3000", "\t", "\n", "、", "，", "1.5", "+", "%", "~",
              "\x1c", "\xa0", "Ａ", "二十", "-", "é"]  # fmt: skip
    rng = random.Random(17)
    for text in _texts(rng, pieces, 4000):
        assert _fold(text, True, True) == _fold_by_definition(text), repr(text)


def _numerals_by_definition(text: str) -> str:
    from jinshui_qa.text import numerals

    text = numerals._RUN.compiled.sub(lambda m: numerals._convert_run(m.group(0)), text)
    text = numerals._GROUPED.compiled.sub("", text)
    text = numerals._COMPOUND.compiled.sub(numerals._compound, text)  # 38.3百亿 -> 3830亿
    return numerals._MONTH_RANGE.compiled.sub(r"\1~\2月", text)


def test_numerals_skip_the_runs_left_as_they_are_and_the_passes_that_cannot_match() -> None:
    from jinshui_qa.text.numerals import arabic_numerals

    pieces = ["两千零五十八", "十九点二万", "二〇二二", "万", "千", "亿", "万一", "七八", "十四五", "点", "一", "十",
              "1,234", ",", "12,34", "1", "月", "3", "~", "-", "到", " ", "年", "金水区", "a", "两", "百", "38.3"]  # fmt: skip
    rng = random.Random(19)
    for text in _texts(rng, pieces, 4000):
        assert arabic_numerals(text) == _numerals_by_definition(text), text


def test_common_words_by_the_automaton_are_those_of_the_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    from jinshui_qa.text import pinyin

    monkeypatch.setattr(pinyin, "SCANNED", 0)
    words = list(READINGS)
    pieces = [
        *words[:200],
        *(w[:-1] for w in words[:100]),
        *(w[1:] for w in words[:100]),
        "金水",
        "区",
        "2",
        " ",
        "a",
    ]
    rng = random.Random(20)
    texts = _texts(rng, pieces, 4000) + words
    for text in texts:
        assert pinyin._common_words(text) == pinyin._scan_words(text), text
    assert pinyin._AUTOMATON
    assert sum(pinyin._common_words(t) != t for t in texts) > 3000
