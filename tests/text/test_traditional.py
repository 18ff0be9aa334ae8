"""OpenCC's ``t2s`` is called only for texts it may change (text/traditional.py, normalize.to_simplified).

The lists in text/traditional.py are checked against the installed OpenCC: every character it changes
on its own is listed, and so is every phrase it changes without such a character (as far as its
dictionaries are the ones the phrases were read from: their digests below). Then, text by text, the
shortcut gives what OpenCC gives.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import opencc
import pytest
import yaml

from jinshui_qa.facts.loader import load
from jinshui_qa.text import normalize
from jinshui_qa.text.normalize import _t2s, fold, has_cjk, to_simplified, unchanged_by_t2s
from jinshui_qa.text.traditional import ALONE, PHRASES, WITHIN
from tests.support.tiny import REAL_FACTS

# The dictionaries of OpenCC 1.4.2 that scripts/build_traditional.py read the phrases from.
DICTIONARIES = {
    "t2s.json": "96fe5cc374a80ccc",
    "CJK_Compatibility_Ideographs.ocd2": "4b1faa6649012f52",
    "TSPhrases.ocd2": "2b722237cc00a4ac",
    "TSCharactersExt.ocd2": "e2b0286801dcd1d2",
    "TSCharacters.ocd2": "7a994de790070792",
}
DEV = Path(__file__).resolve().parents[1] / "eval"


def _convert(text: str) -> str:
    return str(_t2s().convert(text))


def test_opencc_has_the_dictionaries_the_phrases_were_read_from() -> None:
    share = Path(opencc.__file__).parent / "clib" / "share" / "opencc"
    digests = {name: hashlib.sha256((share / name).read_bytes()).hexdigest()[:16] for name in DICTIONARIES}
    assert digests == DICTIONARIES, "OpenCC's dictionaries changed: run scripts/build_traditional.py again"


def test_the_characters_changed_on_their_own_are_exactly_those_listed() -> None:
    # one character per line: no dictionary key holds a line break, so each is converted on its own
    points = [chr(p) for p in range(0x80, 0x110000) if not 0xD800 <= p < 0xE000]
    converted = _convert("\n".join(points)).split("\n")
    assert len(converted) == len(points)
    assert {c for c, out in zip(points, converted, strict=True) if out != c} == set(ALONE)


def test_each_phrase_is_changed_at_a_character_within_and_holds_none_changed_alone() -> None:
    phrases = PHRASES.split()
    assert len(phrases) == len(set(phrases)) > 100
    for phrase in phrases:
        out = _convert(phrase)
        assert out != phrase and not set(phrase) & set(ALONE)
        assert {a for a, b in zip(phrase, out, strict=True) if a != b} <= set(WITHIN)
        assert not unchanged_by_t2s(phrase) and not unchanged_by_t2s(f"他{phrase}了")


def _texts() -> list[str]:
    base = load(REAL_FACTS)
    texts = [w for f in base.facts for w in (*f.questions_zh, *f.questions_en, *f.keywords, f.title.zh,
                                             f.answer.zh, f.answer.en)]  # fmt: skip
    texts += [w for group in (base.vocabulary.synonyms, base.vocabulary.colloquial) for k, ws in group.items()
              for w in (k, *ws)]  # fmt: skip
    for name in ("dev.yaml", "dev_compound.yaml"):
        data = yaml.safe_load((DEV / name).read_text(encoding="utf-8"))
        texts += [q["q"] for q in data["questions"]]
    rng = random.Random(14)
    pieces = [*PHRASES.split(), *WITHIN, *ALONE[::50], "金水区", "沈阳", "反", "复", "x", " ", "\U00020000"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(3000)]
    return texts


def test_a_text_said_unchanged_is_unchanged_and_to_simplified_is_opencc() -> None:
    texts = _texts()
    assert sum(not unchanged_by_t2s(t) for t in texts) > 1000  # the random texts hold phrases
    for text in texts:
        converted = _convert(text)
        if unchanged_by_t2s(text):
            assert converted == text, text
        assert to_simplified(text) == (converted if has_cjk(text) else text), text


def test_a_simplified_question_does_not_load_opencc(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise AssertionError("OpenCC loaded")

    monkeypatch.setattr(normalize, "_t2s", refuse)
    normalize.MEMO.folded.clear()
    assert fold("金水区有多少家高新技术企业？沈阳呢") == "金水区有多少家高新技术企业沈阳呢"
    with pytest.raises(AssertionError, match="OpenCC loaded"):
        fold("金水區有多少家企業")
