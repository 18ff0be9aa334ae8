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
        ("研发机构有12个人吗", "报道说的是12家：报道数的是家，不是人。"),  # 个人: people
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


# -- a share stated as a follow-up; fractions -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("first", "then", "opens"),
    [
        ("How many tech enterprises are there?", "is it 0.2 of the city?", "Yes: the report gives 20%. (reading 0.2 as 20%)"),
        ("How many tech enterprises are there?", "is it a fifth of the city?", "Yes: the report gives 20%. (reading a fifth as 20%)"),
        ("科技型企业有多少家", "是全市的五分之一吗", "对，报道说的就是占全市20%。（五分之一按20%理解）"),
        ("高企有多少家", "是全市的20%吗", "不对，报道说的是占全市17.5%，不是20%。"),
        ("高企有多少家", "占全市0.2吗", "不对，报道说的是占全市17.5%，不是0.2。（0.2按20%理解）"),
    ],
)  # fmt: skip
def test_a_share_stated_as_a_follow_up_is_checked_against_the_last_answer(
    assistant: Assistant, first: str, then: str, opens: str
) -> None:
    session = Session()
    assistant.reply(first, session)
    assert assistant.reply(then, session).text.splitlines()[0] == opens


def test_a_follow_up_on_another_place_or_a_fact_with_no_share_still_falls_back(assistant: Assistant) -> None:
    session = Session()
    assistant.reply("高企有多少家", session)
    assert "没有郑州的数据" in assistant.reply("郑州有多少家", session).text
    session = Session()
    assistant.reply("重点项目有多少个", session)
    assert assistant.reply("是全市的0.2吗", session).status == "fallback"  # no share of the key projects


@pytest.mark.parametrize(
    ("question", "opens"),
    [
        ("科技型企业占全市五分之一吗", "对，报道说的就是占全市20%。（五分之一按20%理解）"),  # was no verdict
        ("科技型企业占全市1/5吗", "对，报道说的就是占全市20%。（1/5按20%理解）"),
        ("高新技术企业是不是占了全市的五分之一", "不对，报道说的是占全市17.5%，不是20%。（五分之一按20%理解）"),  # was 723家 × 1/5
        ("高企占全市的三分之一吗", "不对，报道说的是占全市17.5%，不是33.33%。（三分之一按33.33%理解）"),
        ("Do tech enterprises make up a fifth of the city?", "Yes: the report gives 20%. (reading a fifth as 20%)"),
        ("Do high-tech enterprises make up one third of the city?", "No: the report gives 17.5%, not 33.33%. (reading one third as 33.33%)"),
    ],
)  # fmt: skip
def test_a_fraction_against_a_share_gets_a_verdict_saying_how_it_was_read(
    assistant: Assistant, question: str, opens: str
) -> None:
    assert assistant.reply(question, Session()).text.splitlines()[0] == opens


def test_a_fraction_read_as_a_percentage_and_no_fraction_left_alone(assistant: Assistant) -> None:
    assert (
        "2058家 × 1/5 = 411.6家" in assistant.reply("科技型企业的五分之一是多少", Session()).text
    )  # work asked
    from jinshui_qa.conversation.shares_said import as_percent  # new in answers7

    assert as_percent("占全市三分之一吗", "zh") == ("占全市约33.33%吗", "（三分之一按33.33%理解）")
    assert as_percent("百分之二十吗", "zh") == ("百分之二十吗", "")  # a percentage, read by verify
    assert as_percent("1/5 of the projects started?", "en")[1] == ""  # no share asked: a date, a score
    assert as_percent("in the first half of 2022", "en")[1] == ""
