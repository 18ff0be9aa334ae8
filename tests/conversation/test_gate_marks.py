"""The compound gate's marks, tested kind by kind in plain Python (conversation/gate._marked), are what
the pattern it was searched with found."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jinshui_qa.conversation import gate

# The gate's pattern as it was (one search, compiled at every first question).
MARKS = (
    r"和|跟|与|及|同|还有|分别|各|、|[,，;；?？。]\s*\S|[1-9一二三四五][、.是]"
    r"|平均|人均|户均|估算|推算|估计|大概|大约|约有|倒推|算一下|算算|比|倍|哪|除|扣|刨|剩|那个|谁|孰|共|合|加|减|差|总|百分点|超|领先|落后|增加|减少|增长|还是|相当于|除以|对比"
    r"|(?:多|少|高|低)[了出来有些]{0,3}(?:多少|几)"
    r"|(?:占|是).{2,20}?的?(?:比例|比重|百分之|几成|百分比)"
    r"|(?i:\b(?:and|or|vs|versus|than|times|twice|total|combined|altogether|together|in all|difference|gap"
    r"|which|more|fewer|less|ratio|percentage|percent|proportion|fraction|share|minus|plus|sum|add|exceeds?"
    r"|outnumbers?|compared?|comparison|divided|apart from|besides|except|other than|excluding|not counting"
    r"|average|per|estimate)\b)"
)
PATTERN = re.compile(MARKS)
# The characters and words the kinds are made of, their neighbours, and some others.
_PIECES = [*"和比、,，;；?？。 \t\n1259一五六.是多少高低了出来有些几占的金水区企业aAsſkKıiİ-", "百分之", "几成", "多少",
           "还有", "相当于", "and", "more", "than", "vs", "per", "in all", "apart from", "sum", "SUM", "ſum",
           "estimate", "estimated", "band", "或者"]  # fmt: skip
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=14).map("".join) | st.text(max_size=16)


@settings(max_examples=3000, deadline=None)
@given(_TEXT)
def test_the_marks_are_what_the_pattern_found(text: str) -> None:
    assert gate._marked(text) == bool(PATTERN.search(text))


def test_the_letters_tested_for_english_are_all_that_match_one_ignoring_case() -> None:
    letter = re.compile(r"(?i:[a-z])")
    every = (chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    assert {ch for ch in every if letter.fullmatch(ch)} == gate._LATIN


def test_the_marks_of_the_dev_questions() -> None:
    texts = []
    for name in ("dev.yaml", "dev_compound.yaml"):
        data = yaml.safe_load(
            (Path(__file__).resolve().parents[1] / "eval" / name).read_text(encoding="utf-8")
        )
        texts += [q["q"] for q in data["questions"]]
    texts += [
        "占全区的百分之三十",
        "是总数的几成",
        "是\n总数的几成",
        "是总数几成",
        "高了多少",
        "多出来有些几",
        "多了出来有些几",
    ]
    found = [gate._marked(t.lower()) for t in texts]
    assert found == [bool(PATTERN.search(t.lower())) for t in texts]
    assert 100 < sum(found) < len(found)
