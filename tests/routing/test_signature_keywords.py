"""The scorer's signature keywords (routing/scoring.py: each distinct keyword looked up once, its Chinese
words found by walking only the substrings that begin some word) are those the word list finds: a fact's
keyword no other fact's keyword contains."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jinshui_qa.routing.keyword_counts import _inner_words, signature_keywords
from jinshui_qa.routing.wordlist import WordList

CJK = "金水区人才科技企业"
WORDS = st.one_of(
    st.text(alphabet=CJK, min_size=1, max_size=12),
    st.text(alphabet=CJK + " ", min_size=1, max_size=6).map(str.strip).filter(bool),  # 金水 区 and 金水区
    st.lists(st.sampled_from(["gdp", "high", "tech", "r&d", "2021"]), min_size=1, max_size=3).map(" ".join),
    st.text(alphabet=CJK + "ab", min_size=1, max_size=6),
)  # fmt: skip


def listed(canon: list[set[str]]) -> list[tuple[str, ...]]:
    """The signature keywords as the scorer read them before: every keyword against the whole list."""
    every = WordList(w for words in canon for w in words)
    owners: dict[str, set[int]] = {}
    for i, words in enumerate(canon):
        for word in words:
            for inner in every.found(word):
                owners.setdefault(inner, set()).add(i)
    return [
        tuple(w for w in words if len(w.replace(" ", "")) >= 2 and owners.get(w) == {i})
        for i, words in enumerate(canon)
    ]


@settings(max_examples=400, deadline=None)
@given(
    st.sets(WORDS, max_size=10), st.lists(st.text(alphabet=CJK + " abgdphigh&2021", max_size=20), max_size=3)
)
def test_inner_words_are_those_the_list_finds(words: set[str], texts: list[str]) -> None:
    every = WordList(words)
    inner = _inner_words(words)
    for text in (*words, *texts):
        assert set(inner(text)) == set(every.found(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sets(WORDS, max_size=4), max_size=8))
def test_signature_keywords_are_those_read_against_the_whole_list(canon: list[set[str]]) -> None:
    assert signature_keywords(canon) == listed(canon)


def test_a_keyword_inside_another_facts_is_no_signature() -> None:
    canon = [{"科技企业", "金水区"}, {"高新科技企业"}, {"金水区"}, {"high tech", "tech"}]
    got = [set(words) for words in signature_keywords(canon)]
    assert got == [set(), {"高新科技企业"}, set(), {"high tech", "tech"}]  # 金水区: two facts hold it
