"""A place named in a message typed in pinyin: a place spelled as one word of two or more syllables
(erqi, beijing, zhongyuan) names that place, so the question is about another place and gets no figure
of Jinshui as its answer (it used to answer Jinshui's figure); a one-syllable spelling (xian: 现, 先, 西安)
is not read as a place, and Zhengzhou as the frame of a share still gets the share. Pinyin typed one
syllable per word (gao qi duo shao, bei jing) is joined where a run spells a name or a place."""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Session


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("erqi qu gaoqi duoshao", "二七区"),
        ("beijing you duoshao gaoqi", "北京"),
        ("zhongyuan qu zhongdian xiangmu duoshao", "中原区"),
        ("luoyang keji xing qiye you ji jia", "洛阳"),
        ("bei jing you duo shao gao qi", "北京"),  # one syllable per word: joined as a place
        ("an yang you duo shao gao qi", "安阳"),
    ],
)
def test_another_place_in_pinyin_gets_no_figure_of_jinshui(
    assistant: Assistant, question: str, place: str
) -> None:
    reply = assistant.reply(question, Session())
    assert reply.status != "answer"
    assert place in reply.text and "只掌握金水区" in reply.text  # named in Chinese (session 11)


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("gaoqi duoshao", "723家"),
        ("xian zai gaoqi you duoshao", "723家"),
        ("jinshui gaoqi duoshao", "723家"),
        ("gaoqi zhan zhengzhou duoshao", "17.5%"),
        ("gao qi duo shao", "723家"),  # one syllable per word: joined where they spell a name
        ("zhong dian xiang mu zong tou zi duo shao", "3830亿元"),
    ],
)
def test_jinshui_and_one_syllable_words_are_still_answered(
    assistant: Assistant, question: str, figure: str
) -> None:
    reply = assistant.reply(question, Session())
    assert reply.status == "answer" and figure in reply.text
