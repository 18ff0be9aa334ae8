"""Long messages: the clause(s) that ask (text/clauses.py)."""

from __future__ import annotations

from jinshui_qa.conversation.assistant import Assistant, Session
from jinshui_qa.text.clauses import asking_readings


def test_short_messages_are_read_whole() -> None:
    assert asking_readings("金水区有多少家高新技术企业") == ["金水区有多少家高新技术企业"]


def test_the_asking_clause_comes_first_then_with_the_clause_before() -> None:
    text = "您好，我是做外贸的，打算来郑州发展，想问一下今年一共谋划了多少个重点项目？谢谢！"
    readings = asking_readings(text)
    assert readings[0] == "今年一共谋划了多少个重点项目"  # the cue 想问一下 read off
    assert readings[1] == "打算来郑州发展，今年一共谋划了多少个重点项目"
    assert all("您好" not in r and "谢谢" not in r for r in readings)


def test_a_number_in_an_introduction_is_not_a_question() -> None:
    text = "你好，我是开奶茶店的，以前在洛阳干过几年。想问一下蜜雪冰城是不是金水区的企业？谢谢"
    assert asking_readings(text)[0] == "蜜雪冰城是不是金水区的企业"


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


def test_a_question_without_a_question_mark_is_found_by_what_it_asks() -> None:
    text = "打扰一下，我刚搬到金水区不久，对这边还不太熟悉，听朋友说这里发展很快，金水科技企业多不多"
    assert asking_readings(text)[0] == "金水科技企业多不多"


def test_the_cue_is_read_off_the_asking_clause() -> None:
    text = "您好，我是做外贸的，打算来郑州发展，想问一下新零售头部企业谈了多少？谢谢！"
    assert asking_readings(text)[0] == "新零售头部企业谈了多少"


def test_a_leaner_reading_never_answers_what_the_message_asks_outside_the_facts(assistant: Assistant) -> None:
    for text in (
        "老师好，我是一名大学生，最近在写关于金水区的调研报告，二七区的高新技术企业有多少？麻烦您了",
        "你好！我们公司准备在郑州投资，对金水区比较感兴趣。请问金水区高新技术企业的营收是多少？感谢回复。",
        "打扰一下，我刚搬到金水区不久，对这边还不太熟悉，听朋友说这里发展很快，明天会下雨吗",
    ):
        assert assistant.router.route(text).status == "fallback", text


def test_courtesies_and_contact_details_around_a_question_are_dropped() -> None:
    from jinshui_qa.text.clauses import without_courtesies

    assert without_courtesies("金水区科技型企业有多少家 谢谢 你真棒") == "金水区科技型企业有多少家"
    assert without_courtesies("辛苦了！重点项目有几个") == "重点项目有几个"
    assert without_courtesies("我的手机号是13812345678高企多少") == "高企多少"
    assert without_courtesies("邮箱 a.b@example.com 想问重点项目多少个").endswith("想问重点项目多少个")
    assert without_courtesies("谢谢") == "谢谢"  # nothing else left: the message itself
    assert without_courtesies("真棒的项目有几个") == "真棒的项目有几个"  # not a segment of its own
