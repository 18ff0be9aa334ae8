"""A number written with a compound scale (38.3百亿, 3.8千亿, 5千万) reads as the number in the big unit."""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Session
from jinshui_qa.text.numerals import arabic_numerals


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("38.3百亿", "3830亿"),
        ("3.8千亿", "3800亿"),
        ("5千万元", "5000万元"),
        ("两百亿", "200亿"),  # a Chinese numeral as before
        ("千亿级", "千亿级"),  # a scale with no number before it is a word
        ("2022年", "2022年"),
    ],
)
def test_a_compound_scale_after_digits_is_folded_into_the_big_unit(text: str, read: str) -> None:
    assert arabic_numerals(text) == read


def test_a_value_said_with_a_compound_scale_is_checked_in_it(assistant: Assistant) -> None:
    """「38.3百亿」 is 3830亿: it was answered 「不对…不是38.3」."""
    reply = assistant.reply("重点项目总投资38.3百亿吗", Session())
    assert reply.text.startswith("对，报道说的就是3830亿元"), reply.text
