"""normalize's character classes tested in plain Python (``has_cjk``, the characters fold keeps, the
spaces it drops between Chinese characters) give what the patterns they replaced gave."""

from __future__ import annotations

import random
import re
import sys
import unicodedata
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jinshui_qa.facts.loader import load
from jinshui_qa.text import normalize
from jinshui_qa.text.normalize import (
    Normalizer,
    _blank_unkept,
    _join_cjk,
    _Kept,
    arabic_numerals,
    clean,
    detect_lang,
    fold,
    has_cjk,
    to_simplified,
)
from tests.support.tiny import REAL_FACTS

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
KEEP = re.compile(r"[^\w+~%.\u3400-\u4dbf\u4e00-\u9fff]+")
BETWEEN_CJK = re.compile(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff0-9])|(?<=[0-9]) (?=[\u3400-\u9fff])")
EVERY = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]

# Characters at the edges of the ranges, digits of other scripts, marks, spaces and the kept symbols.
_EDGES = "\u33ff\u3400\u4dbf\u4dc0\u4dff\u4e00\u9fff\ua000\uf8ff\uf900\ufaff\ufb00金水区 a1٣.._+~%-,，。\t\u3000é\u0301"
_TEXT = st.text(alphabet=st.sampled_from(_EDGES), max_size=16) | st.text(max_size=16)


def test_has_cjk_is_the_class_on_every_character() -> None:
    assert [ch for ch in EVERY if has_cjk(ch)] == CJK.findall("".join(EVERY))


def test_the_kept_characters_are_the_class_on_every_character() -> None:
    blanked = "".join(EVERY).translate(_Kept())
    assert all(out in (ch, " ") for ch, out in zip(EVERY, blanked, strict=True))
    unkept = re.compile(KEEP.pattern[:-1])  # one character at a time
    assert [ch for ch, out in zip(EVERY, blanked, strict=True) if out == " "] == unkept.findall(
        "".join(EVERY)
    )


def _collapsed(text: str) -> str:  # what fold does after blanking
    return normalize._SPACES.sub(" ", normalize._LOOSE_DOT.sub(" ", text)).strip()


@settings(max_examples=600, deadline=None)
@given(_TEXT)
def test_the_classes_give_what_the_patterns_gave(text: str) -> None:
    assert has_cjk(text) == bool(CJK.search(text))
    assert _collapsed(_blank_unkept(text)) == _collapsed(KEEP.sub(" ", text))
    assert _join_cjk(text) == BETWEEN_CJK.sub("", text)


def _fold_by_patterns(text: str) -> str:
    """fold as the patterns wrote it (before its classes were tested in Python)."""
    text = clean(text).lower()
    if re.search(r"[\u00c0-\u024f\u1e00-\u1eff]", text):
        text = unicodedata.normalize("NFD", text).replace("u\u0308", "v").replace("U\u0308", "V")
        text = unicodedata.normalize("NFC", "".join(ch for ch in text if not unicodedata.combining(ch)))
    tones = r"(?<=[a-zü])[1-5](?=[\sa-z',.?!]|$)"
    if not CJK.search(text) and len(re.findall(tones, text)) >= 2:
        text = re.sub(tones, "", text)
    text = to_simplified(text) if CJK.search(text) else text
    text = KEEP.sub(" ", arabic_numerals(text).replace("_", " "))
    return BETWEEN_CJK.sub("", _collapsed(text))


def test_fold_folds_the_facts_and_the_dev_questions_as_before() -> None:
    base = load(REAL_FACTS)
    texts = [
        t
        for f in base.facts
        for t in (*f.questions_zh, *f.questions_en, *f.keywords, f.answer.zh, f.answer.en)
    ]
    for name in ("dev.yaml", "dev_compound.yaml"):
        data = yaml.safe_load(
            (Path(__file__).resolve().parents[1] / "eval" / name).read_text(encoding="utf-8")
        )
        texts += [q["q"] for q in data["questions"]]
    texts += ["lv4 se4 de", "Jīn shuǐ 区 2 0 2 3 年", "A_B 1.5 . x. .5 金 水 1 区", "金水区 GDP 是 多少 ？"]
    for text in texts:
        assert fold(text) == _fold_by_patterns(text), text
        assert detect_lang(text) == ("zh" if CJK.search(text) else "en")


def test_colloquial_words_are_replaced_as_their_alternation_replaced_them() -> None:
    normalizer = Normalizer(load(REAL_FACTS).vocabulary)
    words = sorted(normalizer._colloquial, key=len, reverse=True)
    alternation = re.compile("|".join(re.escape(w) for w in words))
    rng = random.Random(14)
    pieces = [*words, *(w[:-1] for w in words if len(w) > 1), *(w[1:] for w in words), "金水", " ", "a", "1"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(3000)]
    assert sum(bool(alternation.search(t)) for t in texts) > 2000
    for text in texts:
        expected = alternation.sub(lambda m: normalizer._colloquial[m.group(0)], text)
        assert normalizer._replace_colloquial(text) == expected, text


def test_the_kept_table_stays_bounded() -> None:
    table = _Kept()
    text = "".join(EVERY[:200_000])
    assert text.translate(table) == "".join(EVERY[:200_000]).translate(_Kept()) and len(table) <= 1 << 16
