"""Answers the session 10 notes left wrong (session 11), each as the general pattern it is.

* A bare number asked against a share (占, 比重, 比例, share, of the city) is a share: a decimal up to 1 a
  fraction (0.2 is 20%), another number percentage points; the verdict says how it was read.
* 来/多/余 between a number and its scale (3000来亿, 3000多亿) keeps the scale: the value is shown and
  checked with it.
* A currency other than the yuan asked for (美元, USD, euros): the reply says the report gives yuan only and
  converts nothing; a value stated in it is not checked against the yuan figure.
* A request for the reply's language (用英文回答, 说中文, answer in English) is a dialogue act: confirmed
  alone, the rest of the message answered in it, and kept for the conversation.
* Pinyin with English question words ("Jinshui gao qi how many") is read as pinyin.
* A common noun typed in pinyin that the fact cannot place (lishi 历史) falls back, as in Chinese.
* A place typed in pinyin is named in Chinese in a Chinese reply.
"""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Session


# -- a bare number against a share ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "opens", "read"),
    [
        ("科技型企业占全市0.2吗", "对，报道说的就是占全市20%", "0.2按20%理解"),  # was 不对…不是0.2
        ("科技型企业占全市20吗", "对，报道说的就是占全市20%", "20按20%理解"),
        ("科技型企业占全市0.3吗", "不对，报道说的是占全市20%，不是0.3", "0.3按30%理解"),
        ("高企占全市的比重是0.175吗", "对，报道说的就是占全市17.5%", "0.175按17.5%理解"),
        ("高企占全市比例是0.2吗", "不对，报道说的是占全市17.5%", "0.2按20%理解"),
        ("Do tech enterprises make up 0.2 of the city?", "Yes: the report gives 20%", "reading 0.2 as 20%"),
        ("Is the share of high-tech enterprises 0.2?", "No: the report gives 17.5%", "reading 0.2 as 20%"),
    ],
)
def test_a_bare_number_asked_against_a_share_is_read_as_a_share_and_said_so(
    assistant: Assistant, question: str, opens: str, read: str
) -> None:
    first = assistant.reply(question, Session()).text.splitlines()[0]
    assert first.startswith(opens) and read in first, first


@pytest.mark.parametrize("question", ["科技型企业是2058吗", "科技型企业有3000吗", "高企是723吗"])
def test_a_bare_number_with_no_share_asked_is_still_the_count(assistant: Assistant, question: str) -> None:
    from jinshui_qa.conversation.asked_units import as_share  # new in session 11

    assert as_share("100", "", "", "项目占地100吗") is None  # 占地 is land taken, no share

    first = assistant.reply(question, Session()).text.splitlines()[0]
    assert "理解" not in first and "%" not in first, first


# -- 来/多/余 before the scale -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "opens"),
    [
        ("重点项目总投资3000来亿吗", "不对，报道说的是3830亿元，不是3000来亿。"),  # was 「不是3000。」
        ("重点项目总投资3800来亿吗", "差不多：报道说的是3830亿元"),
        ("重点项目总投资3000多亿吗", "对，报道说的就是3830亿元"),
        ("重点项目总投资3000余亿吗", "对，报道说的就是3830亿元"),
        ("重点项目总投资4000多亿吗", "不对，报道说的是3830亿元，不是4000多亿。"),
    ],
)
def test_a_word_of_about_before_the_scale_keeps_the_scale(
    assistant: Assistant, question: str, opens: str
) -> None:
    assert assistant.reply(question, Session()).text.startswith(opens)


# -- a currency the report does not use ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("重点项目总投资多少美元", "没有美元的数字"),
        ("重点项目总投资是500亿美元吗", "没有美元的数字"),  # no verdict against 3830亿元
        ("重点项目总投资有多少欧元", "没有欧元的数字"),
        ("total investment of key projects in USD", "not in US dollars"),
        ("How many dollars is the total investment of the key projects?", "not in US dollars"),
    ],
)
def test_a_currency_asked_for_is_said_to_be_missing_never_converted(
    assistant: Assistant, question: str, says: str
) -> None:
    reply = assistant.reply(question, Session())
    first, *rest = reply.text.splitlines()
    assert reply.status == "answer" and says in first, reply.text
    assert not first.startswith(("不对", "对", "No", "Yes")), first
    assert "3830亿元" in "\n".join(rest)  # the yuan figure, as the report gives it


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("重点项目总投资多少USD", "没有美元的数字"),  # fell back: 报道里没有关于“usd”的信息
        ("重点项目总投资多少港币", "没有港元的数字"),  # fell back on 港币 as a thing no fact holds
        ("年度计划投资是多少港元", "没有港元的数字"),
    ],
)
def test_a_currency_no_fact_names_is_no_thing_of_its_own(
    assistant: Assistant, question: str, says: str
) -> None:
    """A currency word the facts' text never holds is read as the currency, not as content no fact
    places: the amount is answered in yuan, opened by the note."""
    reply = assistant.reply(question, Session())
    first, *rest = reply.text.splitlines()
    assert reply.status == "answer" and says in first, reply.text
    assert not first.startswith(("不对", "对")), first
    assert "亿元" in "\n".join(rest)


@pytest.mark.parametrize("question", ["高企有多少港币", "重点项目总投资是3830USD吗"])
def test_a_currency_no_fact_names_still_falls_back_without_an_amount_or_with_a_value(
    assistant: Assistant, question: str
) -> None:
    """Without an amount of money to give, or with a value stated in that currency (never checked against
    the yuan), the reply is no answer."""
    assert assistant.reply(question, Session()).status != "answer"


@pytest.mark.parametrize("question", ["重点项目总投资多少", "高企有多少美元", "重点项目总投资是3830亿元吗"])
def test_no_currency_note_without_a_foreign_currency_or_an_amount(
    assistant: Assistant, question: str
) -> None:
    assert "汇率" not in assistant.reply(question, Session()).text


# -- the reply's language asked for -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "lang", "rest"),
    [
        ("用英文回答", "en", ""),
        ("高企有多少家？用英文回答", "en", "高企有多少家？"),
        ("请用英语回答吧", "en", ""),
        ("说中文", "zh", ""),
        ("请用中文回答好吗", "zh", ""),
        ("answer in English", "en", ""),
        ("How many high-tech firms? Please reply in Chinese", "zh", "How many high-tech firms?"),
        ("English please", "en", ""),
        ("说英语的人多吗", None, None),  # about English speakers: content
        ("英文名是什么", None, None),
        ("how many firms speak chinese", None, None),
    ],
)
def test_a_request_for_the_reply_language_is_read_as_such(
    text: str, lang: str | None, rest: str | None
) -> None:
    from jinshui_qa.conversation.reply_language import request  # new in session 11

    assert request(text) == (None if lang is None else (lang, rest))


def test_the_language_asked_for_is_confirmed_and_kept_for_the_conversation(assistant: Assistant) -> None:
    session = Session()
    alone = assistant.reply("用英文回答", session)
    assert (
        alone.status == "smalltalk" and alone.lang == "en" and "English" in alone.text
    )  # was not_covered:英文
    asked = assistant.reply("高企有多少家", session)
    assert asked.lang == "en" and "723 high-tech enterprises" in asked.text
    checked = assistant.reply("科技型企业是3000家吗", session)
    assert checked.text.startswith("No: the report gives 2,058")  # a value stated is still checked
    back = assistant.reply("说中文", session)
    assert back.lang == "zh" and "中文" in back.text
    assert assistant.reply("How many high-tech enterprises are there?", session).text.startswith("据2022年")


def test_a_question_with_a_language_request_is_answered_in_that_language(assistant: Assistant) -> None:
    reply = assistant.reply("高企有多少家？用英文回答", Session())  # was 「报道里没有关于“用英文”的信息」
    assert reply.status == "answer" and reply.fact_id == "high_tech_enterprises" and reply.lang == "en"
    assert reply.question == "高企有多少家？用英文回答"
    english = assistant.reply("How many high-tech enterprises? Answer in Chinese", Session())
    assert english.lang == "zh" and "723家" in english.text


# -- pinyin with English question words ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("Jinshui gao qi how many", "high_tech_enterprises"),  # was 「The report says nothing about gao.」
        ("keji xing qiye how many jia", "tech_enterprises"),
        ("fuhua zaiti how many", "incubators"),
    ],
)
def test_pinyin_with_english_question_words_is_read_as_pinyin(
    assistant: Assistant, question: str, fact: str
) -> None:
    reply = assistant.reply(question, Session())
    assert reply.status == "answer" and reply.fact_id == fact, reply.text


def test_a_place_in_pinyin_with_english_question_words_gets_no_jinshui_figure(assistant: Assistant) -> None:
    reply = assistant.reply("zhengzhou gaoqi how many", Session())
    assert reply.status == "fallback" and "Zhengzhou" in reply.text


# -- a thing no fact holds, typed in pinyin ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("gaoqi de lishi", "lishi"),  # was 723家; 历史 and 力士 are spelled alike: said as typed
        ("gaoqi de mingdan", "名单"),
        ("jinshui gaoqi mingdan", "名单"),
    ],
)
def test_a_noun_typed_in_pinyin_that_no_fact_holds_falls_back(
    assistant: Assistant, question: str, named: str
) -> None:
    reply = assistant.reply(question, Session())
    assert reply.status == "fallback" and f"“{named}”" in reply.text, reply.text


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("gaoqi you duoshao jia", "high_tech_enterprises"),
        ("fuhua zaiti duoshao jia", "incubators"),  # 孵化 is the fact's own word (富华 is spelled alike)
        ("zhishi chanquan chuangyi chanye shidian yuanqu", "public_service_parks"),
        ("gaoxin jishu qiye shi bu shi 700 jia", "high_tech_enterprises"),  # shi bu: no 师部
        ("jin xiao er shi shen me", "jinxiaoer"),
        ("gaoqi qingkuang", "high_tech_enterprises"),
    ],
)
def test_words_a_fact_places_by_sound_are_not_missing(assistant: Assistant, question: str, fact: str) -> None:
    reply = assistant.reply(question, Session())
    assert reply.status == "answer" and reply.fact_id == fact, reply.text


# -- places typed in pinyin are named in Chinese -------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("zhengzhou gaoqi duoshao", "没有郑州的数据"),  # was 「没有zhengzhou的数据」
        ("erqiqu gaoqi duoshao", "没有二七区的数据"),
        ("beijing gaoqi duoshao", "没有北京的数据"),
        ("luoyang shi gaoqi duoshao", "没有洛阳的数据"),
    ],
)
def test_a_place_typed_in_pinyin_is_named_in_chinese(assistant: Assistant, question: str, said: str) -> None:
    assert said in assistant.reply(question, Session()).text


def test_a_place_typed_in_english_is_named_in_english(assistant: Assistant) -> None:
    assert "nothing on Beijing" in assistant.reply("How many high-tech firms in Beijing?", Session()).text


def test_nouns_spelled_in_pinyin_are_found_with_every_reading() -> None:
    from jinshui_qa.routing.pinyin_words import nouns  # new in session 11

    found = dict(nouns("gaoqi de lishi he mingdan", {"gaoqi": "高企"}))
    assert set(found) == {"lishi", "名单"} and {"历史", "力士"} <= set(found["lishi"])
    assert dict(nouns("ming dan", {})) == {"名单": ("名单",)}  # two one-syllable words together
    assert dict(nouns("shi bu shi zhengzhou", {})) == {}  # function syllables (师部) and places are none


# -- the yuan named as such --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "opens"),
    [
        (
            "重点项目总投资是3830亿人民币吗",
            "对，报道说的就是3830亿元",
        ),  # was 「报道里没有关于“人民币”的信息」
        ("重点项目总投资是3000亿RMB吗", "不对，报道说的是3830亿元，不是3000亿元"),
        ("重点项目总投资多少人民币", "据2022年的报道"),
    ],
)
def test_the_yuan_named_as_such_is_read_as_yuan(assistant: Assistant, question: str, opens: str) -> None:
    reply = assistant.reply(question, Session())
    assert reply.status == "answer" and reply.text.startswith(opens), reply.text


def test_a_place_with_english_question_words_only_keeps_its_own_fallback(assistant: Assistant) -> None:
    reply = assistant.reply("How many key labs are there in Jinshui, Zhengzhou?", Session())
    assert "Reserve projects over 10 million yuan" in reply.text  # the nearest fact as before, not re-read


def test_the_pages_language_switch_overrides_a_language_asked_in_a_message(assistant: Assistant) -> None:
    from jinshui_qa.web.tokens import Turn, answer_turn

    session = Session()
    answer_turn(assistant, Turn(1.0, "q", "用英文回答", "zh"), session)
    kept = answer_turn(assistant, Turn(2.0, "q", "高企有多少家", "zh"), session)  # same page language: kept
    assert kept.lang == "en"
    switched = answer_turn(assistant, Turn(3.0, "q", "高企有多少家", "en"), session)  # toggled: the page wins
    assert session.reply_lang is None and switched.lang == "zh"  # Chinese typed, answered in Chinese again


# -- a year against a year is no threshold --------------------------------------------------------------------
@pytest.mark.parametrize(
    "question",
    [
        "tech enterprises in 2022 vs 2021",
        "high-tech firms in 2022 compared with 2021",
        "tech enterprises 2022 vs 2021",
    ],
)
def test_a_bare_year_beside_another_year_is_a_period_not_a_number(
    assistant: Assistant, question: str
) -> None:
    """「2021」 where the message dates the other side (in 2022) is that year, not 2021 firms: it answered
    "Yes, it is above that" (2,058 > 2021) and "No, it is not above that" (723 < 2021)."""
    reply = assistant.reply(question, Session())
    assert not reply.text.startswith(("Yes", "No")), reply.text
    assert "47,000" not in reply.text  # nor the one fact dated 2021 (new market entities) as the other side


def test_a_year_alone_against_a_dated_side_asks_that_side_in_the_year(assistant: Assistant) -> None:
    reply = assistant.reply("high-tech firms in 2022 compared with 2021", Session())
    assert (reply.status, reply.reason) == ("partial", "missing_operand"), reply.text
    assert "high-tech firms in 2021" in reply.text


def test_a_bare_four_digit_number_alone_is_still_a_threshold(assistant: Assistant) -> None:
    assert assistant.reply("tech enterprises vs 2000", Session()).text.startswith("Yes, it is above that.")


# -- a lone letter asks nothing -------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["q", "A", "a", "x", "[A", "\x1b[A", " Q? ", "ж"])
def test_a_lone_letter_is_not_read_as_a_question(assistant: Assistant, text: str) -> None:
    """「q」 answered the first quarter's strong start (score 99), 「a」 and an arrow key's escape
    sequence offered three service facts, 「x」 the two X policies: one letter names nothing."""
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.fact_id, reply.reason) == ("fallback", None, "numbers"), reply.text


@pytest.mark.parametrize(("text", "fact_id"), [("高企", "high_tech_enterprises"), ("Q1", "q1_strong_start")])
def test_a_word_or_a_letter_with_a_number_is_still_read(
    assistant: Assistant, text: str, fact_id: str
) -> None:
    assert assistant.reply(text, Session()).fact_id == fact_id


# -- the reply's language asked for in pinyin -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("yong yingwen huida", "en"),
        ("qing yong yingyu huida", "en"),
        ("shuo zhongwen", "zh"),
        ("yong zhongwen huida ba", "zh"),
    ],
)
def test_a_reply_language_asked_in_pinyin_is_a_request(assistant: Assistant, text: str, lang: str) -> None:
    """「yong yingwen huida」 fell back: 报道里没有关于“英文”的信息."""
    session = Session()
    reply = assistant.reply(text, session)
    assert (reply.status, reply.reason, session.reply_lang) == ("smalltalk", "language", lang), reply.text


def test_a_pinyin_word_of_a_language_inside_a_question_is_no_request(assistant: Assistant) -> None:
    session = Session()
    assistant.reply("yingwen you duoshao", session)
    assert session.reply_lang is None


def test_a_question_after_a_sentence_about_the_asker_is_still_asked(assistant: Assistant) -> None:
    """The key projects' count was dropped: the clause 「I'm considering investing in Jinshui. How many key
    projects are planned」 spoke of the asker, so all of it was taken for context."""
    text = (
        "Hi, I'm considering investing in Jinshui. How many key projects are planned, what's their total"
        " investment, and how many high-tech firms are there?"
    )
    reply = assistant.reply(text, Session())
    assert "233" in reply.text and "383 billion" in reply.text and "723" in reply.text, reply.text
