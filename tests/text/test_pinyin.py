"""Pinyin: word-level readings of polyphonic characters, tone marks, tone numbers and ü."""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Session
from jinshui_qa.text.normalize import strip_tones
from jinshui_qa.text.pinyin import syllables


@pytest.mark.parametrize(
    ("text", "spelled"),
    [
        ("行业", ["hang", "ye"]),
        ("银行", ["yin", "hang"]),
        ("重点项目", ["zhong", "dian", "xiang", "mu"]),
        ("金水区有多少家银行", ["jin", "shui", "qu", "you", "duo", "shao", "jia", "yin", "hang"]),
        ("行动", ["xing", "dong"]),  # the character's own default reading where no word says otherwise
    ],
)
def test_polyphones_are_read_as_words(text: str, spelled: list[str]) -> None:
    assert syllables(text) == spelled


@pytest.mark.parametrize(
    ("typed", "plain"),
    [("hángyè", "hangye"), ("hang2 ye4", "hang ye"), ("lüè", "lve"), ("lve4 se4", "lve se")],
)
def test_tone_marks_numbers_and_u_umlaut(typed: str, plain: str) -> None:
    assert strip_tones(typed) == plain


@pytest.mark.parametrize(
    "typed",
    [
        "hangye longtou zai tan de you duoshao",
        "hángyè lóngtóu zài tán de yǒu duōshǎo",
        "hang2ye4 long2tou2 zai4 tan2 de you3 duo1shao3",
    ],
)
def test_a_polyphone_typed_in_pinyin_reaches_its_fact(assistant: Assistant, typed: str) -> None:
    assert assistant.reply(typed, Session()).fact_id == "negotiating_leaders"


def test_pinyin_question_words_make_a_message_pinyin_even_with_english_looking_names() -> None:
    from jinshui_qa.text.pinyin import looks_like_pinyin

    known = {"jin", "xiao", "er", "me", "what", "is"}
    assert looks_like_pinyin("jin xiao er shi shen me", known)
    assert not looks_like_pinyin("jin xiao er", known)  # names alone, as the English spells them
    assert not looks_like_pinyin("what is jin xiao er", known)
