"""Session 9 findings, each as the general pattern it is, over the real facts.

A reply's ``source`` (``ask --json``, the web API) has one shape whatever the kind of reply: the bare
citation(s) the reply's text ends with. A computation written as a formula (x/X/× as times, brackets,
several operators) is computed in the open or said plainly not to be; a power of a figure (平方, squared)
is declined with the reason. A figure stated plainly before a question (「重点项目有300个，总投资是多少」)
or said as what someone else said (我朋友说, 同事说, my friend said) is checked against the report. A bare
number asked about (「-5是什么」) says what the bot can and cannot tell, never a choice of unrelated facts.
"""

from __future__ import annotations

import json

import pytest

from jinshui_qa.conversation.assistant import Assistant, Reply, Session


def _ask(assistant: Assistant, *turns: str) -> list[Reply]:
    session = Session()
    return [assistant.reply(turn, session) for turn in turns]


def _one(assistant: Assistant, text: str) -> Reply:
    return assistant.reply(text, Session())


# -- ask --json: one shape of source -------------------------------------------------------------------
@pytest.mark.parametrize(
    "turns",
    [
        ("高企有多少家",),  # a plain answer
        ("高企乘以2",),  # a computation
        ("高企有1000家吗",),  # a check
        ("科技型企业比高企多多少",),  # a comparison of two figures
        ("高企和科技型企业各有多少",),  # a compound of two answers (was null)
        ("高企和科技型企业加起来多少",),
        ("重点项目超过200亿了吗", "1"),  # a threshold, after a choice
        ("重点项目加100家",),
        ("How many high-tech enterprises and tech enterprises are there?",),
        ("What is half of the tech enterprises?",),
        ("重点项目总投资和新增市场主体各是多少",),  # two sections: two citations
    ],
)
def test_source_is_the_bare_citation_the_reply_ends_with(
    assistant: Assistant, turns: tuple[str, ...]
) -> None:
    said = _ask(assistant, *turns)[-1]
    data = json.loads(json.dumps(said.to_json(), ensure_ascii=False))
    assert data["status"] == "answer"
    assert isinstance(data["source"], str) and data["sources"] == data["source"].splitlines()
    for label in data["sources"]:
        assert label.startswith(("《", "Projects first")) and not label.startswith(("来源", "Source", "·"))
        assert label in data["reply"]
    last = data["reply"].rstrip().splitlines()[-1]
    assert last.endswith(data["sources"][-1])


def test_two_sections_give_two_citations_in_the_order_cited(assistant: Assistant) -> None:
    data = _one(assistant, "重点项目总投资和新增市场主体各是多少").to_json()
    assert len(data["sources"]) == 2
    reply = data["reply"]
    assert reply.index(data["sources"][0]) < reply.index(data["sources"][1])


@pytest.mark.parametrize("turns", [("重点项目",), ("你好",), ("金水区房价多少",), ("/topics",)])
def test_a_reply_citing_nothing_has_no_source(assistant: Assistant, turns: tuple[str, ...]) -> None:
    data = _ask(assistant, *turns)[-1].to_json()
    assert (data["source"], data["sources"]) == (None, [])


# -- a bare number asked about ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("-5是什么", "“-5”"),
        ("负五是什么", "“负5”"),
        ("負五是什麼", "“负5”"),
        ("－5是什么", "“-5”"),
        ("-5是啥意思", "“-5”"),
        ("负的5是什么", "“负的5”"),
        ("-5？", "“-5”"),
        ("-3.5亿元是什么", "“-3.5亿元”"),
        ("-5%指的是什么", "“-5%”"),
    ],
)
def test_a_negative_number_alone_says_no_figure_is_negative(
    assistant: Assistant, text: str, number: str
) -> None:
    said = _one(assistant, text)
    assert (said.status, said.reason, said.options) == ("fallback", "negative_number", ())
    assert said.text.startswith(
        f"{number}是负数。报道里的数字是数量、金额、比例、排名和日期，没有一个是负数，所以我说不出它指什么。"
    )
    assert "/topics" in said.text


@pytest.mark.parametrize("text", ["What is -5?", "what does -5 mean", "what is minus 5", "-12"])
def test_a_negative_number_alone_in_english_or_bare(assistant: Assistant, text: str) -> None:
    said = _one(assistant, text)
    assert (said.status, said.reason, said.options) == ("fallback", "negative_number", ())
    assert "negative" in said.text or "负数" in said.text


@pytest.mark.parametrize(
    ("text", "fact_id"),
    [("七百二十三是什么", "high_tech_enterprises"), ("两千零五十八是啥", "tech_enterprises"),
     ("兩千零五十八家是什麼", "tech_enterprises")],
)  # fmt: skip
def test_a_value_in_chinese_numerals_is_looked_up_as_its_digits_are(
    assistant: Assistant, text: str, fact_id: str
) -> None:
    said = _one(assistant, text)
    assert (said.status, said.fact_id, said.question) == ("answer", fact_id, text)


def test_a_negative_operand_still_says_so_and_words_are_not_numbers(assistant: Assistant) -> None:
    assert _one(assistant, "高企乘以-1").reason == "negative_number"
    assert "“-1”是负数，报道里的数量" in _one(assistant, "高企乘以-1").text
    assert _one(assistant, "三免一全是什么").fact_id == "sanmian_yiquan"  # words, not a value
    assert _one(assistant, "一季度新增市场主体多少").fact_id == "market_entities_q1"


# -- a figure stated: plainly, as hearsay, or as what someone said ----------------------------------------
@pytest.mark.parametrize(
    ("text", "fact_id", "opening"),
    [
        ("我朋友说高企有1000家，是真的吗", "high_tech_enterprises", "不对，报道说的是723家，不是1000家。"),
        ("我同事跟我说高企有1000家，对吗？", "high_tech_enterprises", "不对，报道说的是723家，不是1000家。"),
        ("網上有人說高企有一千家，真的假的", "high_tech_enterprises", "不对，报道说的是723家，不是1000家。"),
        ("我朋友说高企有一千家", "high_tech_enterprises", "不对，报道说的是723家，不是1000家。"),
        ("听说高企有1000家", "high_tech_enterprises", "不对，报道说的是723家，不是1000家。"),
        ("高企有1000家", "high_tech_enterprises", "不对，报道说的是723家，不是1000家。"),
        ("高企有一千家", "high_tech_enterprises", "不对，报道说的是723家，不是1000家。"),
        ("高企有723家，是真的吗", "high_tech_enterprises", "对，报道说的就是723家。"),
        ("金水区今年有300个重点项目", "key_projects_count", "不对，报道说的是233个，不是300个。"),
        ("老师讲科技型企业有3000家，靠谱吗", "tech_enterprises", "不对，报道说的是2058家，不是3000家。"),
        (
            "新闻上说重点项目总投资4000亿，是不是真的",
            "key_projects_total_investment",
            "不对，报道说的是3830亿元，不是4000亿。",
        ),
        (
            "My friend said there are 1000 high-tech enterprises, is that true?",
            "high_tech_enterprises",
            "No: the report gives 723, not 1000.",
        ),
        (
            "I heard there are 1000 high-tech enterprises, is that true?",
            "high_tech_enterprises",
            "No: the report gives 723, not 1000.",
        ),
        (
            "Someone told me Jinshui has 1000 high-tech enterprises",
            "high_tech_enterprises",
            "No: the report gives 723, not 1000.",
        ),
    ],
)
def test_a_stated_figure_is_checked_whoever_said_it(
    assistant: Assistant, text: str, fact_id: str, opening: str
) -> None:
    said = _one(assistant, text)
    assert (said.status, said.fact_id, said.question) == ("answer", fact_id, text)
    assert said.text.startswith(opening)


@pytest.mark.parametrize(
    "text",
    [
        "重点项目有300个，总投资是多少",  # said plainly, no 听说/那/？
        "重点项目有300个，总投资多少钱",
        "金水区有300个重点项目，总投资多少",
        "重點項目有300個，總投資是多少",
        "重点项目有三百个，总投资是多少",
        "我同事说重点项目有300个，总投资多少",
        "听说重点项目有300个，是真的吗？总投资多少",  # the check between is no question of its own
    ],
)
def test_a_plain_premise_the_report_contradicts_is_noted_before_the_answer(
    assistant: Assistant, text: str
) -> None:
    said = _one(assistant, text)
    assert (said.status, said.fact_id) == ("answer", "key_projects_total_investment")
    assert said.text.startswith("提醒：报道说的是233个，不是300个。\n") and "3830亿元" in said.text


def test_a_plain_premise_that_agrees_gets_no_note_and_words_are_not_a_speaker(assistant: Assistant) -> None:
    said = _one(assistant, "重点项目有233个，总投资是多少")
    assert said.fact_id == "key_projects_total_investment" and not said.text.startswith("提醒")
    assert _one(assistant, "你说高企有多少家").fact_id == "high_tech_enterprises"  # 你说: no hearsay
    assert (
        _one(assistant, "前3个月，新增市场主体多少").fact_id == "market_entities_q1"
    )  # a period, no premise


# -- a computation written as a formula --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("高企x2", "723家 × 2 = 1446家"),
        ("高企X2", "723家 × 2 = 1446家"),
        ("高企 x 3", "723家 × 3 = 2169家"),
        ("高企＊2", "723家 × 2 = 1446家"),
        ("科技型企业／2", "2058家 ÷ 2 = 1029家"),
        ("科技型企业－100", "2058家 − 100家 = 1958家"),
        ("tech enterprises * 2", "2,058 × 2 = 4,116"),
        ("high-tech enterprises x 3", "723 × 3 = 2,169"),
        ("tech enterprises/2", "2,058 ÷ 2 = 1,029"),
    ],
)
def test_x_and_full_width_signs_are_operators(assistant: Assistant, text: str, expression: str) -> None:
    said = _one(assistant, text)
    assert said.status == "answer" and expression in said.text
    assert said.computed is not None and said.computed["expression"] == expression  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "figure", "why"),
    [
        ("高企的平方", "高新技术企业：723家（2022年）", "“723家”的平方没有实际意义：单位成了“家×家”"),
        ("高企平方是多少", "高新技术企业：723家（2022年）", "“723家”的平方没有实际意义"),
        ("高企²", "高新技术企业：723家（2022年）", "“723家”的平方没有实际意义"),
        ("高企^2", "高新技术企业：723家（2022年）", "“723家”的平方没有实际意义"),
        ("科技型企业的立方", "科技型企业：2058家（2022年）", "单位成了“家×家×家”"),
        ("高企的4次方", "高新技术企业：723家（2022年）", "“723家”的4次方没有实际意义"),
        (
            "重点项目总投资开根号",
            "重点项目总投资：3830亿元（2022年）",
            "“3830亿元”开方没有实际意义：单位成了“√亿元”",
        ),
        ("根号高企", "高新技术企业：723家（2022年）", "“723家”开方没有实际意义"),
        ("高企的平方是多少？", "高新技术企业：723家（2022年）", "所以我不计算"),
        ("high-tech enterprises squared", "High-tech enterprises: 723 (2022)", "Squaring 723 has no meaning"),
        ("what is the square of tech enterprises", "Tech-based enterprises: 2,058 (2022)", "Squaring 2,058"),
        (
            "square root of tech enterprises",
            "Tech-based enterprises: 2,058 (2022)",
            "A root of 2,058 has no meaning",
        ),
        ("tech enterprises cubed", "Tech-based enterprises: 2,058 (2022)", "Cubing 2,058 has no meaning"),
    ],
)
def test_a_power_of_a_figure_is_declined_with_the_reason(
    assistant: Assistant, text: str, figure: str, why: str
) -> None:
    said = _one(assistant, text)
    assert (said.status, said.reason) == ("fallback", "meaningless:power")
    assert said.text.startswith(figure + "\n") and why in said.text
    assert said.to_json()["source"] in said.text  # the figure shown is cited


def test_numbers_alone_squared_are_not_a_figure_of_the_report(assistant: Assistant) -> None:
    assert _one(assistant, "2的平方").reason != "meaningless:power"


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("(高企+科技型企业)/2", "(723家 + 2058家) ÷ 2 = 1390.5家"),
        ("（高企＋科技型企业）÷2等于多少", "(723家 + 2058家) ÷ 2 = 1390.5家"),
        ("(高企+科技型企业)/2是多少？", "(723家 + 2058家) ÷ 2 = 1390.5家"),
        ("高企*2+1", "723家 × 2 + 1 = 1447家"),
        ("2*高企", "2 × 723家 = 1446家"),
        ("高企+科技型企业", "723家 + 2058家 = 2781家"),
        ("高企加科技型企业", "723家 + 2058家 = 2781家"),
        ("科技型企业-高企", "2058家 − 723家 = 1335家"),
        ("科技型企业/高企", "2058家 ÷ 723家 ≈ 2.85倍"),
        ("重点项目总投资/重点项目数", "3830亿元 ÷ 233个 ≈ 16.44亿元/个"),
        ("(high-tech enterprises + tech enterprises) / 2", "(723 + 2,058) ÷ 2 = 1390.5"),
        ("high-tech enterprises plus tech enterprises divided by 2", "(723 + 2,058) ÷ 2 = 1390.5"),
        ("key labs + R&D institutions", "143 + 12 = 155"),  # R&D: a word, not a name like 5+5+X
    ],
)
def test_a_formula_is_computed_in_the_open(assistant: Assistant, text: str, expression: str) -> None:
    said = _one(assistant, text)
    assert said.status == "answer" and said.question == text
    assert said.computed == {  # type: ignore[attr-defined]
        "op": "formula", "expression": expression, "result": said.computed["result"],  # type: ignore[attr-defined]
        "unit": said.computed["unit"], "exact": "≈" not in expression, "computed_from_report": True,  # type: ignore[attr-defined]
    }  # fmt: skip
    lines = said.text.splitlines()
    assert any(
        line.endswith("（2022年）") or line.endswith("(2022)") for line in lines[:2]
    )  # each figure's period
    assert ("计算：" + expression in lines) or ("Computed: " + expression in lines)
    assert "报道本身并未给出" in said.text or "the report itself does not state it" in said.text
    assert said.to_json()["source"] in said.text


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("科技型企业乘以高企", "这个算式我没法计算：两个数字相乘（家×家）没有实际意义"),
        ("高企*科技型企业", "这个算式我没法计算：两个数字相乘（家×家）没有实际意义"),
        ("2/高企", "这个算式我没法计算：用一个数去除报道里的数字"),
        ("高企/0+1", "这个算式我没法计算：除数是0。"),
        ("(高企+火星企业)/2", "这个算式我没法计算：报道里没有“火星企业”的数字。"),
        ("(高企+重点项目)/2", "这个算式我没法计算：“重点项目”有好几个数字，不知道算哪一个"),
        ("(重点项目总投资+高企)/2", "“亿元”和“家”是不同的单位，不能相加减"),
    ],
)
def test_a_formula_without_meaning_says_why_and_computes_nothing(
    assistant: Assistant, text: str, why: str
) -> None:
    said = _one(assistant, text)
    assert (said.status, said.reason) == ("fallback", "formula_not_computed")
    assert why in said.text and "=" not in said.text


@pytest.mark.parametrize(
    ("text", "fact_id"),
    [("5+5+X是什么", "chain_investment_55x"), ("1+N+X", "policy_1nx"), ("乘客多少", None),
     ("科技型企业减高企", None), ("重点项目总投资除以重点项目数", "key_projects_total_investment")],
)  # fmt: skip
def test_names_written_with_signs_and_other_readers_keep_their_messages(
    assistant: Assistant, text: str, fact_id: str | None
) -> None:
    said = _one(assistant, text)
    computed = getattr(said, "computed", None) or {}
    assert said.reason != "formula_not_computed" and computed.get("op") != "formula"
    if fact_id is not None:
        assert said.fact_id == fact_id or fact_id in [p.fact_id for p in getattr(said, "parts", ())]


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("高企加科技型企业除以2", "(723家 + 2058家) ÷ 2 = 1390.5家"),  # said in words: in the order said
        ("高企+科技型企业再除以2", "(723家 + 2058家) ÷ 2 = 1390.5家"),  # 再: on the result so far
        ("高企+科技型企业，然后除以2", "(723家 + 2058家) ÷ 2 = 1390.5家"),
        ("高企加上科技型企业再乘以2", "(723家 + 2058家) × 2 = 5562家"),
        ("高企乘以2加科技型企业", "723家 × 2 + 2058家 = 3504家"),
        ("高企的两倍加一", "723家 × 2 + 1 = 1447家"),
        ("高企加科技型企业加重点实验室", "723家 + 2058家 + 143家 = 2924家"),
        ("帮我算一下(高企+科技型企业)/2", "(723家 + 2058家) ÷ 2 = 1390.5家"),
        ("【高企+科技型企业】÷2", "(723家 + 2058家) ÷ 2 = 1390.5家"),
        ("（高企＋科技型企業）／２", "(723家 + 2058家) ÷ 2 = 1390.5家"),
        ("(高企-100)*2", "(723家 − 100) × 2 = 1246家"),
    ],
)
def test_a_formula_said_in_words_is_done_in_the_order_said(
    assistant: Assistant, text: str, expression: str
) -> None:
    said = _one(assistant, text)
    assert said.status == "answer" and said.computed["expression"] == expression  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "expression"),
    [("算一下高企乘以2", "723家 × 2 = 1446家"), ("计算一下科技型企业的一半", "2058家 ÷ 2 = 1029家")],
)
def test_a_computation_opened_with_suan_yixia_is_computed(
    assistant: Assistant, text: str, expression: str
) -> None:
    """「算一下」 became 「算1下」 with the numerals read, so the reader never matched (on main too)."""
    said = _one(assistant, text)
    assert said.computed["expression"] == expression  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", ["科技型企业平方一下", "算一下高企的平方"])
def test_a_power_asked_with_yixia_is_declined(assistant: Assistant, text: str) -> None:
    assert _one(assistant, text).reason == "meaningless:power"


@pytest.mark.parametrize(
    ("text", "note", "fact_id"),
    [
        (
            "重点项目300个，总投资多少",
            "提醒：报道说的是233个，不是300个。",
            "key_projects_total_investment",
        ),  # no verb
        (
            "重点项目一共有300个，总投资呢",
            "提醒：报道说的是233个，不是300个。",
            "key_projects_total_investment",
        ),
        (
            "重点项目有300来个，总投资是多少",
            "提醒：报道说的是233个，不是300来个。",
            "key_projects_total_investment",
        ),
        (
            "重点项目总投资4000亿元，年度计划投资是多少",
            "提醒：报道说的是3830亿元，不是4000亿元。",
            "key_projects_annual_investment",
        ),
        ("高企有1000家，科技型企业有多少家", "提醒：报道说的是723家，不是1000家。", "tech_enterprises"),
        (
            "我看报纸上说重点项目有300个，总投资多少",
            "提醒：报道说的是233个，不是300个。",
            "key_projects_total_investment",
        ),
    ],
)
def test_plain_premises_in_other_words_are_noted(
    assistant: Assistant, text: str, note: str, fact_id: str
) -> None:
    said = _one(assistant, text)
    assert (said.status, said.fact_id) == ("answer", fact_id) and said.text.startswith(note + "\n")


def test_a_share_stated_plainly_is_noted_even_when_the_question_falls_back(assistant: Assistant) -> None:
    said = _one(assistant, "科技型企业占全市30%，全市有多少家")
    assert said.text.startswith("提醒：报道说的是占全市20%，不是30%。\n")


def test_an_english_plain_premise_is_noted(assistant: Assistant) -> None:
    """Read whole, the message answered the total investment twice (two parts, one fact): that is not
    "answering more" than the premise's reading, which notes the premise."""
    said = _one(assistant, "There are 300 key projects, what is their total investment?")
    assert said.fact_id == "key_projects_total_investment"
    assert said.text.startswith("Note: the report gives 233, not 300.\n")


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("重点项目总投资/2+100亿", "3830亿元 ÷ 2 + 100亿 = 2015亿元"),  # 100亿 is a value, not 100 × 亿元
        ("高企×2=?", "723家 × 2 = 1446家"),  # the scalar reader does not read «=?»: computed here
        ("高企x2等于多少啊", "723家 × 2 = 1446家"),
        ("高企乘以2等于多少啊", "723家 × 2 = 1446家"),
        ("高企 + 科技型企业 = ?", "723家 + 2058家 = 2781家"),
        ("高企占比+科技型企业占比", "17.5% + 20% = 37.5%"),
    ],
)
def test_formula_numbers_with_scale_and_trailing_asks(
    assistant: Assistant, text: str, expression: str
) -> None:
    said = _one(assistant, text)
    assert said.status == "answer" and said.computed["expression"] == expression  # type: ignore[attr-defined]


def test_figures_of_different_units_are_not_added(assistant: Assistant) -> None:
    said = _one(assistant, "2021年新增市场主体+一季度新增市场主体")
    assert said.reason == "formula_not_computed" and "“万家”和“户”是不同的单位，不能相加减" in said.text


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (("高企有多少", "x2"), "计算：723家 × 2 = 1446家"),  # the figure just given, in its language
        (("高企有多少", "*3"), "计算：723家 × 3 = 2169家"),
        (("How many high-tech enterprises?", "x2"), "Computed: 723 × 2 = 1,446"),
        (("高企有多少", "那它的平方呢"), "可以问它的倍数或几分之几，比如：高新技术企业乘以2"),
        (("高企有多少", "我朋友说是1000家"), "不对，报道说的是723家，不是1000家。"),
        (("高企有多少", "我同事说有800家，对吗"), "不对，报道说的是723家，不是800家。"),
        (
            ("How many high-tech enterprises?", "my friend said 1000, is that true?"),
            "No: the report gives 723, not 1000.",
        ),
    ],
)
def test_after_an_answer_a_formula_power_or_hearsay_is_of_the_figure_just_given(
    assistant: Assistant, turns: tuple[str, ...], expected: str
) -> None:
    said = _ask(assistant, *turns)[-1]
    assert expected in said.text


@pytest.mark.parametrize(
    "text", ["kējìxíng qǐyè yǒu duōshǎo jiā", "Xiaomi x", "xinxi anquan chanye zai nali"]
)
def test_an_x_inside_latin_or_pinyin_words_is_no_operator(assistant: Assistant, text: str) -> None:
    said = _one(assistant, text)
    assert said.reason != "formula_not_computed" and getattr(said, "computed", None) is None


@pytest.mark.parametrize(
    ("turns", "expression"),
    [
        (
            ("科技型企业有多少", "那除以高企呢"),
            "2058家 ÷ 723家 ≈ 2.85倍",
        ),  # was: 「同一个数字」, 高企 with itself
        (("科技型企业有多少", "/高企"), "2058家 ÷ 723家 ≈ 2.85倍"),  # was: the plain 723家
        (("科技型企业有多少", "+100"), "2058家 + 100家 = 2158家"),
        (("重点项目总投资多少", "除以重点项目数"), "3830亿元 ÷ 233个 ≈ 16.44亿元/个"),
    ],
)
def test_a_formula_opened_by_an_operator_works_on_the_figure_just_given(
    assistant: Assistant, turns: tuple[str, ...], expression: str
) -> None:
    said = _ask(assistant, *turns)[-1]
    assert said.status == "answer" and said.computed["expression"] == expression  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", ["除以高企", "*高企"])
def test_a_formula_opened_by_an_operator_with_nothing_before_says_what_is_missing(
    assistant: Assistant, text: str
) -> None:
    said = _one(assistant, text)
    assert (said.status, said.reason) == ("fallback", "formula_not_computed")
    assert "算式前面缺了一个数字" in said.text and said.fact_id is None
