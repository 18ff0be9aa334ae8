"""A word list's look-up (routing/wordlist.py: a message's substrings made once for the lists of shorter
words, its Latin word runs memoised) finds what reading each word of the list against the text finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from jinshui_qa.routing.wordlist import SHARED_LENGTH, SHARED_WORDS, WordList

CJK = "金水区人才科技企业高新"
WORDS = st.one_of(
    st.text(alphabet=CJK, min_size=1, max_size=SHARED_LENGTH + 4),
    st.lists(st.sampled_from(["gdp", "high", "tech", "firms", "r&d", "2021"]), min_size=1, max_size=SHARED_WORDS + 2).map(" ".join),
    st.text(alphabet=CJK + "ab", min_size=1, max_size=6),
)  # fmt: skip
TEXTS = st.one_of(
    st.text(alphabet=CJK + " abgdphightechfirms&2021", max_size=30),
    st.lists(st.sampled_from(["gdp", "high", "tech", "firms", "r&d", "2021", "金水"]), max_size=12).map(" ".join),
)  # fmt: skip


def expected(words: set[str], text: str) -> tuple[str, ...]:
    """Each word read against the text: a Chinese word as a substring (spaces aside), any other as whole words."""
    bare = text.replace(" ", "")
    runs = re.findall(r"[a-z0-9&'+.-]+", text)
    spans = {" ".join(runs[i:j]) for i in range(len(runs)) for j in range(i + 1, len(runs) + 1)}
    cjk = {w for w in words if re.search("[\u4e00-\u9fff]", w)}
    out = [w for w in cjk if w.replace(" ", "") in bare] + [w for w in words - cjk if w in spans]
    return tuple(sorted(out, key=lambda w: (-len(w), w)))


@settings(max_examples=400, deadline=None)
@given(st.sets(WORDS, max_size=8), st.lists(TEXTS, min_size=1, max_size=4))
def test_found_is_every_word_read_against_the_text(words: set[str], texts: list[str]) -> None:
    made = WordList(words)
    restored = WordList.restored(made.plain())
    for text in texts * 2:  # the second time from the memo
        assert made.found(text) == restored.found(text) == expected(made.words, text)
