"""Messages typed in toneless pinyin, read as their Chinese is (session 10).

Zhengzhou or Henan asked about in pinyin gets no Jinshui figure (it got 723家 with Jinshui's share);
share, rank, measure and scope words typed in pinyin are read as the Chinese ones (zhan zhengzhou 占郑州,
paiming 排名, gongzi 工资, xinzeng 新增), so a share keeps its answer and an attribute no fact holds is
said plainly; a place joined with its suffix (erqiqu) and a fully joined message (gaoqiduoshao) are cut
into their syllables' names and places; a place spelled like a common word (huiji 会计, gongyi 公益) is a
place only where a place fits.
"""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Session
from jinshui_qa.routing.pinyin_words import Lexicon, split_joined, unplaced


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("zhengzhou gaoqi duoshao", "郑州"),
        ("he nan gao qi duo shao", "河南"),
        ("zhengzhoushi gaoqi duoshao", "郑州"),
        ("henan sheng keji xing qiye you ji jia", "河南"),
        ("erqiqu gaoqi duoshao", "二七区"),  # was 723家: a confident wrong answer
        ("huiji qu gaoqi duoshao", "惠济区"),
        ("xinzheng gaoqi duoshao", "新郑"),
        ("quanshi yigong duoshao gaoqi", "全市"),
    ],
)
def test_a_place_asked_about_in_pinyin_gets_no_figure_of_jinshui(
    assistant: Assistant, question: str, place: str
) -> None:
    reply = assistant.reply(question, Session())
    assert reply.status == "fallback"
    assert "只掌握金水区" in reply.text and place in reply.text


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("gaoqi zhan zhengzhou duoshao", "17.5%"),
        ("gaoqi zhanbi duoshao", "17.5%"),
        ("keji xing qiye zhan quanshi duoshao", "20%"),
        ("gaoqiduoshao", "723家"),
        ("kejixingqiyeyouduoshaojia", "2058家"),
        ("jinshuiqu gaoqi duoshao", "723家"),
        ("henan zhengzhou jinshuiqu you duoshao gaoqi", "723家"),
        ("zhongdianxiangmuzongtouziduoshao", "3830亿元"),
    ],
)
def test_shares_joined_words_and_jinshui_in_pinyin_are_answered(
    assistant: Assistant, question: str, figure: str
) -> None:
    reply = assistant.reply(question, Session())
    assert reply.status == "answer" and figure in reply.text


@pytest.mark.parametrize(
    "question",
    ["gaoqi de gongzi", "gaoqi renkou duoshao", "gaoqi zengzhang duoshao", "gaoqi xinzeng duoshao",
     "guojiaji zhongdian shiyanshi you ji ge", "gaoqi zai henan pai di ji"],
)  # fmt: skip
def test_a_measure_or_scope_no_fact_holds_in_pinyin_is_not_answered(
    assistant: Assistant, question: str
) -> None:
    reply = assistant.reply(question, Session())  # each gave the total (723家, 143家) as if it answered
    assert reply.status == "fallback" and "报道里" in reply.text


@pytest.mark.parametrize("question", ["huiji fuwu", "hui ji fu wu", "gongyi huodong", "xin zheng ce"])
def test_a_common_word_spelled_like_a_place_is_no_place(assistant: Assistant, question: str) -> None:
    reply = assistant.reply(question, Session())
    assert "只掌握金水区" not in reply.text


def test_joined_words_are_cut_where_their_syllables_spell_a_name_or_a_place() -> None:
    names = {"gaoqi": "高新技术企业"}
    assert split_joined("erqiqu gaoqi", names, ()) == "erqi qu gaoqi"
    assert split_joined("gaoqiduoshao", names, ()) == "gaoqi duo shao"
    assert split_joined("zhengzhoushi", names, ()) == "zhengzhou shi"
    assert split_joined("duoshao fazhan", names, ()) == "duoshao fazhan"  # nothing named: as typed
    assert split_joined("beijing", names, ()) == "beijing"


def test_a_common_spelling_is_a_place_only_where_a_place_fits() -> None:
    names = {"gaoqi": "高新技术企业"}
    assert unplaced("huiji fuwu", names) == "hui ji fuwu"
    assert unplaced("huiji qu", names) == "huiji qu"
    assert unplaced("zai gongyi", names) == "zai gongyi"
    assert unplaced("xinzheng de fangjia", names) == "xinzheng de fangjia"
    assert unplaced("xinzheng gaoqi duoshao", names) == "xinzheng gaoqi duoshao"
    assert unplaced("erqi fuwu", names) == "erqi fuwu"  # not a common word's spelling


def test_the_lexicon_reads_whole_typed_words_only() -> None:
    lexicon = Lexicon(["排名", "占比", "市级", "比例"], fillers=["实际"])
    assert lexicon.said("gaoqi pai ming") == "gaoqi 排名"
    assert lexicon.said("zhanbi duoshao") == "占比 duoshao"
    assert lexicon.said("fazhanbi") == "fazhanbi"  # 占比 inside another word is not read
    assert lexicon.said("shiji touzi") == "shiji touzi"  # 市级 is spelled like the filler 实际
