"""Answers session 11's first answer helper left wrong (answers7), each as the general pattern it is.

* A place whose pinyin needs a syllable separator (xi'an: joined, xian is one syllable, 县 or 现) typed
  with the apostrophe or as its syllables apart names that place: the place fallback, never Jinshui's figure.
"""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Session


# -- a place whose pinyin needs a separator ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("xi'an gaoqi duoshao", "没有西安的数据"),  # was 723家
        ("Xi’an gaoqi you duoshao jia", "没有西安的数据"),
        ("xi an gaoqi duoshao", "没有西安的数据"),  # the syllables typed apart
        ("How many high-tech enterprises are in Xi'an?", "nothing on Xi'an"),  # was "Xi An"
        ("How many high-tech enterprises are in Hong Kong?", "nothing on Hong Kong"),
    ],
)
def test_a_place_spelled_with_a_syllable_separator_is_that_place(
    assistant: Assistant, question: str, says: str
) -> None:
    text = assistant.reply(question, Session()).text
    assert says in text and "723家" not in text.split("我知道的是")[0], text


def test_one_syllable_xian_is_still_no_place_and_syllables_that_rejoin_are_joined(
    assistant: Assistant,
) -> None:
    from jinshui_qa.routing.pinyin_words import joined, rejoins  # rejoins: new in answers7
    from jinshui_qa.text import places

    assert "西安" not in assistant.reply("xian gaoqi duoshao", Session()).text  # 县, 现, 先: any word
    assert "723家" in assistant.reply("gao qi duo shao", Session()).text
    assert rejoins(["gao", "qi"]) and not rejoins(["xi", "an"])
    assert joined("xi an") and joined("erqi") and not joined("xian")
    assert places.in_chinese("xi an") == "西安" and places.in_english("xi an") == "Xi'an"


# -- a count stated in another kind of measure word -------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "opens"),
    [
        ("高企有723人吗", "报道说的是723家：报道数的是家，不是人。"),  # was 对
        ("高企有723项吗", "报道说的是723家：报道数的是家，不是项。"),
        ("高企有800人吗", "报道说的是723家：报道数的是家，不是人。"),
        ("领军型优秀人才有1300家吗", "报道说的是1300余人：报道数的是人，不是家。"),
        ("Are there 723 people in high-tech enterprises?", "The report gives 723, a count of organisations (家), not of people."),
    ],
)  # fmt: skip
def test_a_count_stated_in_another_kind_of_measure_word_gets_no_verdict(
    assistant: Assistant, question: str, opens: str
) -> None:
    first = assistant.reply(question, Session()).text.splitlines()[0]
    assert first == opens, first


@pytest.mark.parametrize(
    ("question", "opens"),
    [
        ("高企有723个吗", "对，报道说的就是723家。"),  # 个 fits any count but people's
        ("高企有723所吗", "对，报道说的就是723家。"),  # 家/户/所: one kind
        ("重点项目有233项吗", "对，报道说的就是233个。"),
        ("Are there 723 high-tech enterprises?", "Yes: the report gives 723."),
        ("高企有800家吗", "不对，报道说的是723家，不是800家。"),
    ],
)
def test_a_count_stated_in_a_measure_word_of_its_kind_is_checked(
    assistant: Assistant, question: str, opens: str
) -> None:
    assert assistant.reply(question, Session()).text.splitlines()[0] == opens


# -- a noun in pinyin typed as its syllables apart ----------------------------------------------------------
@pytest.mark.parametrize("question", ["gao qi de li shi", "gaoqi de li shi", "zhongdian shiyanshi de li shi"])
def test_a_noun_no_fact_holds_typed_as_syllables_after_de_falls_back(
    assistant: Assistant, question: str
) -> None:
    reply = assistant.reply(question, Session())
    assert reply.status == "fallback" and "lishi" in reply.text, reply.text  # was 723家


@pytest.mark.parametrize(
    "question", ["gao qi de shi bu shi 723", "gaoqi de shu liang shi duo shao", "gao qi shi bu shi 723 jia"]
)
def test_function_syllables_typed_apart_are_no_noun(assistant: Assistant, question: str) -> None:
    assert "723家" in assistant.reply(question, Session()).text  # shi bu (师部), liang shi (粮食): no noun
