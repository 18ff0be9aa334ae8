"""Long messages: the clause(s) that ask (text/clauses.py)."""

from __future__ import annotations

from jinshui_qa.conversation.assistant import Assistant, Session
from jinshui_qa.text.clauses import asking_readings


def test_short_messages_are_read_whole() -> None:
    assert asking_readings("金水区有多少家高新技术企业") == ["金水区有多少家高新技术企业"]


def test_the_asking_clause_comes_first_then_with_the_clause_before() -> None:
    text = "您好，我是做外贸的，打算来郑州发展，想问一下今年一共谋划了多少个重点项目？谢谢！"
    readings = asking_readings(text)
    assert readings[0] == "想问一下今年一共谋划了多少个重点项目"
    assert readings[1] == "打算来郑州发展，想问一下今年一共谋划了多少个重点项目"
    assert all("您好" not in r and "谢谢" not in r for r in readings)


def test_a_number_in_an_introduction_is_not_a_question() -> None:
    text = "你好，我是开奶茶店的，以前在洛阳干过几年。想问一下蜜雪冰城是不是金水区的企业？谢谢"
    assert asking_readings(text)[0] == "想问一下蜜雪冰城是不是金水区的企业"


def test_english_sentences() -> None:
    text = "Hello. I run a small firm and may move to Zhengzhou. How many key projects does Jinshui have? Thanks."
    assert asking_readings(text)[0] == "How many key projects does Jinshui have"


def test_a_long_message_that_asks_nothing_is_read_whole() -> None:
    text = "我们公司做新能源汽车零部件，最近在考虑把研发团队放到郑州，主要看重这里的人才和交通。"
    assert asking_readings(text) == [text]


def test_pinyin_segmentation_is_bounded() -> None:
    """Issue 11: 20,000 distinct Latin words once grew the process by 140 MB through an unbounded cache."""
    from jinshui_qa.text.pinyin import LONGEST_WORD, SEGMENT_CACHE, segment

    assert segment.cache_info().maxsize == SEGMENT_CACHE
    for n in range(SEGMENT_CACHE + 100):
        segment(f"zz{n}")
    assert segment.cache_info().currsize <= SEGMENT_CACHE
    assert segment("a" * (LONGEST_WORD + 1)) is None and segment("jinshui") == ("jin", "shui")


def test_a_long_reading_loses_its_filler(assistant: Assistant) -> None:
    router = assistant.router
    lean = router.placement.without_filler("想请您简单介绍一下它指的是什么", router._known_text())
    assert "简单" not in lean and "指的是什么" in lean  # words some fact uses stay
    long = "老师好，我们在做区域产业研究，需要金水区重点项目总投资的数据，不知道您这边有没有？"
    assert assistant.reply(long, Session()).fact_id == "key_projects_total_investment"
