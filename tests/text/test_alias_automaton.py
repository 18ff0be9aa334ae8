"""The alias replacement by the Aho-Corasick automaton gives what the Python scan and the alias
alternation give (text/aliases.py), on every text of the real facts and on texts made to trip it."""

from __future__ import annotations

import random

import pytest

from jinshui_qa.facts.loader import load
from jinshui_qa.text import aliases as aliases_module
from jinshui_qa.text.aliases import Aliases
from jinshui_qa.text.normalize import Normalizer, fold, has_cjk
from tests.support.tiny import REAL_FACTS


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer(load(REAL_FACTS).vocabulary)


def _by_pattern(normalizer: Normalizer, text: str) -> str:
    assert normalizer._alias_re is not None
    return normalizer._alias_re.sub(lambda m: normalizer.aliases[m.group(0)], text)


def _fact_texts() -> list[str]:
    base = load(REAL_FACTS)
    texts: list[str] = []
    for f in base.facts:
        texts += [
            *f.questions_zh,
            *f.questions_en,
            *f.keywords,
            f.title.zh,
            f.title.en,
            f.answer.zh,
            f.answer.en,
        ]
        if f.subject:
            texts += [f.subject.zh, f.subject.en]
    return texts


def test_every_fact_text_is_replaced_alike_by_the_automaton_the_scan_and_the_pattern(
    normalizer: Normalizer,
) -> None:
    replacer = normalizer._aliases
    texts = _fact_texts()
    folded = [fold(t, numerals=n) for t in texts for n in (True, False)]
    changed = 0
    for text in folded:
        expected = _by_pattern(normalizer, text)
        assert replacer.automaton(text) == replacer.scan(text) == expected, text
        changed += expected != text
    assert len(texts) > 1000 and changed > 100  # the real texts do hold aliases


def test_texts_made_of_aliases_and_their_neighbours_are_replaced_alike(normalizer: Normalizer) -> None:
    replacer = normalizer._aliases
    aliases = list(normalizer.aliases)
    pieces = [
        *aliases,
        *normalizer.aliases.values(),
        "a",
        "z",
        "0",
        "9",
        "s",
        " ",
        "-",
        ".",
        "区",
        "金水",
        "的",
        "x1",
    ]
    pieces += [a[:-1] for a in aliases if len(a) > 1] + [a[1:] for a in aliases if len(a) > 1]  # cut aliases
    rng = random.Random(18)
    for _ in range(6000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 10)))
        assert replacer.automaton(text) == replacer.scan(text) == _by_pattern(normalizer, text), text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("abcd", "[abcd]"),  # the longest alias at a place
        ("abc", "[abc]"),
        ("xabcd", "xabcd"),  # after the x no English alias's boundary holds
        ("ab cd", "[ab] cd"),
        ("abx", "abx"),  # an English alias inside a word: not replaced
        ("zab", "zab"),
        ("z ab", "z [ab]"),
        ("abcab", "abcab"),
        ("abc ab", "[abc] [ab]"),
        ("高企业", "[高企]业"),
        ("高新技术企业高企", "[高新]技术企业[高企]"),  # Chinese aliases need no boundary
        ("高新高企", "[高新][高企]"),  # leftmost first, not 新高企, the longest overall
        ("高新企", "[高新企]"),
        ("ab高企", "[ab][高企]"),
        ("1ab", "1ab"),
        ("ab1", "ab1"),
        ("", ""),
    ],
)
def test_leftmost_then_longest_with_english_boundaries(text: str, expected: str) -> None:
    table = {"ab": "[ab]", "abc": "[abc]", "abcd": "[abcd]", "高企": "[高企]", "高新": "[高新]", "高新企": "[高新企]",
             "新高企": "[新高企]"}  # fmt: skip
    replacer = Aliases(table, has_cjk)
    assert replacer.scan(text) == replacer.automaton(text) == expected


def test_a_text_where_an_english_match_fails_its_boundary_is_scanned() -> None:
    replacer = Aliases({"bc": "[bc]", "ab": "[ab]", "b": "[b]"}, has_cjk)
    for text, expected in [
        ("abc", "abc"),
        ("xab", "xab"),
        ("ab c", "[ab] c"),
        ("a b", "a [b]"),
        ("ab-b", "[ab]-[b]"),
    ]:
        assert replacer.automaton(text) == replacer.scan(text) == expected, text


def test_traditional_and_full_width_aliases_are_found_once_folded(normalizer: Normalizer) -> None:
    assert (
        normalizer.canonical("金水區高企有多少")
        == normalizer.canonical("金水区高企有多少")
        == "金水区高新技术企业有多少"
    )
    for text in ["金水區高企有多少家", "ＧＤＰ是多少", "高企ＧＤＰ", "High-Tech企业"]:
        folded = fold(text)
        assert normalizer._aliases.automaton(folded) == _by_pattern(normalizer, folded), text


def test_replace_scans_its_first_texts_then_uses_the_automaton(
    normalizer: Normalizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(aliases_module, "SCANNED", 3)
    replacer = Aliases(dict(normalizer.aliases), has_cjk)
    texts = [fold(t) for t in _fact_texts()[:50]]
    assert [replacer.replace(t) for t in texts[:3]] == [_by_pattern(normalizer, t) for t in texts[:3]]
    assert replacer._finder is None
    assert [replacer.replace(t) for t in texts] == [_by_pattern(normalizer, t) for t in texts]
    assert replacer._finder is not None


def test_no_aliases_leave_every_text_as_it_is() -> None:
    replacer = Aliases({}, has_cjk)
    assert replacer.scan("高企 ab") == replacer.automaton("高企 ab") == "高企 ab"
