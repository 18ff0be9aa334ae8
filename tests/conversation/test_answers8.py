"""Session 11 (answers8) findings, each as the general pattern it is, over the real facts.

A bare number after 比 (「比2000多吗」) is a threshold on the subject's figure, not a year nor the
subject's attribute. A
part repeating a subject typed with a typo, already answered in the part before, is not a question about
words the fact never says.
"""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Session


@pytest.mark.parametrize(
    ("text", "fact_id", "verdict"),
    [
        ("科技型企业比2000多吗", "tech_enterprises", "是的，超过了。"),
        ("科技型企业比3000多吗", "tech_enterprises", "没有超过。"),
        ("科技型企业比2000少吗", "tech_enterprises", "没有，不低于这个数。"),
        ("高企比1000低吗", "high_tech_enterprises", "是的，低于这个数。"),
        ("are tech enterprises more than 2000?", "tech_enterprises", "Yes, it is above that."),
    ],
)
def test_a_bare_four_digit_number_after_bi_is_a_threshold(
    assistant: Assistant, text: str, fact_id: str, verdict: str
) -> None:
    reply = assistant.reply(text, Session())  # never 「这两个说法指的是同一个数字」
    assert (reply.status, reply.fact_id) == ("answer", fact_id)
    assert reply.text.startswith(verdict) and ("来源" in reply.text or "Source" in reply.text)


@pytest.mark.parametrize(
    ("text", "fact_id", "says"),
    [
        ("金水区有多少家科技形企业啊？占全市百分之几？", "tech_enterprises", "20%"),
        ("高新技木企业一共几家？占全市比重多大？", "high_tech_enterprises", "17.5%"),
    ],
)
def test_a_part_repeating_a_typed_subject_is_answered_like_the_part_before(
    assistant: Assistant, text: str, fact_id: str, says: str
) -> None:
    reply = assistant.reply(text, Session())  # the typo 形 was answered once: not a word the fact never says
    assert (reply.status, reply.fact_id) == ("answer", fact_id)
    assert says in reply.text and "找不到" not in reply.text


def test_a_part_asking_what_the_fact_never_says_still_falls_back(assistant: Assistant) -> None:
    reply = assistant.reply("重点实验室有多少家？其中国家级的有几家", Session())
    assert reply.status == "partial" and "国家级" in reply.text


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("科技型企业是1e400家吗", "1e400 超出了能比较的范围"),
        ("高企是不是10^30家", "10^30 超出了能比较的范围"),
        ("重点项目有123456789012345678个吗", "123456789012345678 超出了能比较的范围"),
        ("are there 1E400 tech enterprises?", "1E400 is beyond the range I can compare"),
    ],
)
def test_a_stated_figure_out_of_range_is_said_not_dropped(
    assistant: Assistant, text: str, written: str
) -> None:
    reply = assistant.reply(text, Session())
    assert reply.status == "answer" and reply.text.startswith(written)


def test_a_figure_in_range_is_still_checked(assistant: Assistant) -> None:
    reply = assistant.reply("科技型企业是2058家吗", Session())
    assert reply.text.startswith("对，报道说的就是2058家。") and "范围" not in reply.text


@pytest.mark.parametrize(
    "text", ["重点项目年度投资是多少刀", "重点项目年度投资有几刀", "重点项目年度投资有500亿刀吗"]
)
def test_dao_after_a_number_or_duoshao_is_dollars(assistant: Assistant, text: str) -> None:
    reply = assistant.reply(text, Session())
    assert reply.status == "answer" and reply.text.startswith("报道里的金额以人民币（元）计，没有美元的数字")


def test_dao_elsewhere_is_no_currency() -> None:
    from jinshui_qa.conversation.asked_units import currency

    assert currency("不搞一刀切") is None and currency("刀具企业有几家") is None
    assert currency("投资是多少刀") == ("美元", "US dollars")


@pytest.mark.parametrize("text", ["金小二是啥玩意儿", "金小二是什么玩意", "金小二是个啥玩意儿"])
def test_wanyier_is_colloquial_for_what(assistant: Assistant, text: str) -> None:
    reply = assistant.reply(text, Session())  # never 「报道里没有关于“玩意儿”的信息」
    assert reply.status == "answer" and "金小二" in reply.text and "玩意" not in reply.text


@pytest.mark.parametrize(
    ("text", "word"), [("jinshui gdp duoshao", "gdp"), ("jinshui xyz shi shenme", "xyz")]
)
def test_pinyin_with_a_word_no_pinyin_spells_is_replied_in_chinese(
    assistant: Assistant, text: str, word: str
) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.lang, reply.reason) == ("fallback", "zh", f"not_covered:{word}")
    assert f"报道里没有关于“{word}”的信息" in reply.text


def test_pinyin_that_names_a_fact_is_still_answered(assistant: Assistant) -> None:
    reply = assistant.reply("jinshui gaoqi duoshao", Session())
    assert (reply.status, reply.fact_id) == ("answer", "high_tech_enterprises")


def test_english_with_an_unknown_word_stays_english(assistant: Assistant) -> None:
    reply = assistant.reply("how many gdp", Session())
    assert reply.lang == "en"
