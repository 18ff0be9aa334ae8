"""The aliases of many texts replaced in one pass over them joined (``Aliases.replace_many``,
``Normalizer.canonical_many``: a full build's) give each text's own replacement, also where an English
alias's boundary fails inside a word, and for texts holding the separator (issue 14)."""

from __future__ import annotations

import random

from jinshui_qa.facts.loader import load
from jinshui_qa.text.aliases import Aliases
from jinshui_qa.text.normalize import MEMO, Normalizer, building, fold, has_cjk

BASE = load()


def _texts(normalizer: Normalizer, rng: random.Random) -> list[str]:
    aliases = sorted(normalizer.aliases)
    glue = ["a", "1", " ", "金", "x", "", "\0", "企业"]
    made = [
        "".join(rng.choice([*aliases, *aliases, *glue]) for _ in range(rng.randint(0, 5)))
        for _ in range(3000)
    ]
    real = [fold(t) for f in BASE.facts for t in (*f.questions_zh, *f.questions_en, *f.keywords, f.answer.en)]
    return [*real, *made]


def test_texts_replaced_together_are_replaced_as_one_by_one() -> None:
    normalizer = Normalizer(BASE.vocabulary)
    aliases = normalizer._aliases
    rng = random.Random(3)
    texts = _texts(normalizer, rng)
    assert aliases.replace_many(texts) == [aliases.scan(t) for t in texts]
    for _ in range(50):  # batches of every size, with and without separators
        chosen = rng.sample(texts, rng.randint(0, 40))
        assert aliases.replace_many(chosen) == [aliases.scan(t) for t in chosen], chosen
    assert sum(aliases.scan(t) != t for t in texts) > 1000


def test_an_english_alias_inside_a_word_is_left_in_its_text_only() -> None:
    normalizer = Normalizer(BASE.vocabulary)
    aliases = normalizer._aliases
    english = [a for a in normalizer.aliases if a.isascii() and a.isalpha()]
    assert english
    word = english[0]
    texts = [f"x{word}", word, f"{word} 高企", f"1{word}1"]
    assert aliases.replace_many(texts) == [aliases.scan(t) for t in texts]
    assert aliases.replace_many(texts)[1] != word  # replaced where it stands alone


def test_a_text_whose_boundary_fails_is_scanned_alone() -> None:
    aliases = Aliases({"ab": "X", "b金": "Y"}, has_cjk)  # the automaton takes ab, which fails in zab金
    texts = ["zab金", "ab", "ab金", "qab", "b金"]
    assert [aliases.scan(t) for t in texts] == ["zaY", "X", "X金", "qab", "Y"]
    assert aliases.replace_many(texts) == ["zaY", "X", "X金", "qab", "Y"]
    assert aliases.replace_many(["ab", "x\0ab"]) == ["X", "x\0X"]  # one by one


def test_canonical_forms_memoised_together_are_those_of_one_by_one() -> None:
    texts = [t for f in BASE.facts for t in (*f.questions_zh, *f.keywords, f.title.en, f.answer.zh)]
    with building():
        one = Normalizer(BASE.vocabulary)
        expected = [one.canonical(t) for t in texts]
        MEMO.folded.clear()
        many = Normalizer(BASE.vocabulary)
        many.canonical_many(texts)
        assert many.memo() == dict(zip(texts, expected, strict=True))
    outside = Normalizer(BASE.vocabulary)
    outside.canonical_many(texts)  # outside a build: nothing kept (the memo is bounded there)
    assert outside.memo_size() == 0
