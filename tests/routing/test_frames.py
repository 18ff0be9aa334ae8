"""Question frames on the real fact base: what a message is read into, and what each fact explains."""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Session
from jinshui_qa.routing.frames import Frame
from jinshui_qa.routing.router import Router


def frame(assistant: Assistant, text: str) -> Frame:
    router = assistant.router
    _, canonical, tokens, py = router.analyse(text)
    return router.frames.read(canonical, pinyin=bool(py) and not tokens)


def check(assistant: Assistant, text: str, fact_id: str) -> str:
    router = assistant.router
    return router.check(frame(assistant, text), router.position[fact_id])


def test_a_frame_holds_subject_attribute_and_qualifiers(assistant: Assistant) -> None:
    read = frame(assistant, "2021年金水区新增了多少家国家级高新技术企业，占全市比重多少")
    assert "高新技术企业" in read.names
    assert read.attributes >= {"count", "share"}
    assert read.period is not None and read.period.label() == "2021年"
    assert read.new is True and read.subsets == ("国家级",)
    assert read.level == "city" and read.home and not read.other_places and not read.outside


@pytest.mark.parametrize(
    ("text", "other", "outside"),
    [
        ("二七区有多少家科技型企业", ("二七区",), ""),
        ("郑州市有多少家高新技术企业", (), "郑州市"),
        ("河南省科技型企业一共多少家", (), "河南省"),
        ("郑州全市一共谋划了多少个重点项目", (), "郑州"),
        ("郑州市金水区有多少个孵化载体", (), ""),  # part of an address
        ("金水区孵化载体占郑州市多少", (), ""),  # the frame of a share
        ("河南郑州金水区的研发机构有几家", (), ""),
    ],
)
def test_zhengzhou_and_henan_are_a_frame_not_another_place(
    assistant: Assistant, text: str, other: tuple[str, ...], outside: str
) -> None:
    read = frame(assistant, text)
    assert (read.other_places, read.outside) == (other, outside)


@pytest.mark.parametrize(
    ("text", "fact_id", "reason"),
    [
        ("金水区有多少家高新技术企业", "high_tech_enterprises", ""),
        ("金水区孵化载体占郑州市多少", "incubators", "attribute:share"),
        ("重点实验室里省级的有几家", "key_labs", "scope:省级"),
        ("今年新增了多少家高新技术企业", "high_tech_enterprises", "scope:new"),
        ("金水区目前高层次人才总量是多少", "high_level_talent", "scope:total"),
        ("今年7到9月新增了多少市场主体", "market_entities_q1", "period:2022年7~9月"),
        ("2022年全年新增市场主体多少户", "market_entities_q1", "period:2022年"),
        ("一季度新增了多少市场主体", "market_entities_q1", ""),
        ("千企万户的担保期限是多久", "qianqi_wanhu", "attribute:duration"),
        ("专项债项目在全省排第几", "special_bond_projects", "level:province"),
        ("专项债项目在全市排第几", "special_bond_projects", ""),
        ("储备项目里亿元以上的有多少个", "reserve_projects", "scope:亿元以上"),
        ("233个重点项目里已经竣工的有几个", "key_projects_count", "attribute:progress"),
        ("千企万户计划的咨询电话是多少", "qianqi_wanhu", "not_covered:电话"),
        ("金水区高新技术企业的营收是多少", "high_tech_enterprises", "not_covered:营收"),
        ("金水区的GDP是多少", "high_tech_enterprises", "not_covered:gdp"),
        # issue 9: content words the frame cannot place, a day, a role, a measure no fact holds
        ("金水区有多少家大型企业", "tech_enterprises", "not_covered:大型"),  # not 科技型企业's 型企
        ("金水区有多少总部企业", "negotiating_leaders", "not_covered:总部"),  # not 头部企业's 部企
        ("How much revenue do high-tech firms make", "high_tech_enterprises", "not_covered:revenue"),
        ("领军人才平均工资多少", "leading_talent", "not_covered:平均工资"),
        ("每月15号是上门走访企业日吗", "visit_day", "period:每月15日"),
        ("每月5号是上门走访企业日吗", "visit_day", ""),
        ("3月26日的恳谈会有几家企业参加", "entrepreneur_forum", "period:3月26日"),
        ("区长是谁", "chief_service_officer", "not_covered:区长"),
        ("首席服务官是谁", "chief_service_officer", ""),
        ("区委副书记是谁", "party_secretary", "scope:副书记"),
        ("千企万户已经放款多少", "qianqi_wanhu", "attribute:progress"),
        ("千企万户已经放款多少", "guaranteed_loans", ""),
        ("金水区科技型中小企业有多少家", "tech_enterprises", "scope:科技型中小微企业"),  # only disclaimed
        ("赛迪创新百强区第一名是哪个区", "ccid_top100", "attribute:where"),
    ],
)
def test_a_fact_explains_every_slot_or_says_which_it_cannot(
    assistant: Assistant, text: str, fact_id: str, reason: str
) -> None:
    assert check(assistant, text, fact_id) == reason


@pytest.mark.parametrize(
    "text",
    [
        "金水区高薪技术企业有几家",  # a homophone slip is placed by sound
        "恁金水区科技型企业统共有多少家",  # dialect: filler
        "请问贵区研发机构数量为何",  # formal register
        "金水区重点实验室有几家嘞",
    ],
)
def test_filler_dialect_and_slips_are_placed(assistant: Assistant, text: str) -> None:
    assert assistant.reply(text, Session()).status == "answer"


def test_slots_are_derived_from_figures_time_and_phrasings(assistant: Assistant) -> None:
    router = assistant.router
    slots = {fid: router.slots[router.position[fid]] for fid in ("tech_enterprises", "high_level_talent",
                                                               "market_entities_q1", "party_secretary")}  # fmt: skip
    assert {"count", "share"} <= slots["tech_enterprises"].attributes and slots[
        "tech_enterprises"
    ].new is False
    assert slots["high_level_talent"].new is True and "people" in slots["high_level_talent"].attributes
    assert (
        slots["market_entities_q1"].period is not None and slots["market_entities_q1"].period.grain == "part"
    )
    assert "who" in slots["party_secretary"].attributes and slots["party_secretary"].new is None
    assert slots["tech_enterprises"].levels == frozenset({"city"})


def test_the_check_memo_is_bounded(assistant: Assistant) -> None:
    router: Router = assistant.router
    for n in range(3000):
        router.check(frame(assistant, f"金水区第{n}号问题"), 0)
    assert len(router.checks._checked) <= 2048 + 1


def test_english_fallbacks_name_the_period_and_figure_in_english(assistant: Assistant) -> None:
    reply = assistant.reply("How much did Jinshui raise in special bonds in 2020?", Session())
    assert reply.text.startswith(
        "The report has no figure for 2020. What I do have: Bond funds in special-bond applications: 8.46 billion yuan (2022)."
        "\n\nSource: "
    )
    added = assistant.reply("How many high-tech enterprises did Jinshui add in 2022?", Session())
    assert added.reason == "scope:new" and "723" in added.text


def test_pinyin_of_a_name_with_a_numeral(assistant: Assistant) -> None:
    """双十条 is spelled shuang shi tiao, not read after 十 became 10."""
    assert assistant.reply("zhu qi nuan xin shuang shi tiao", Session()).fact_id == "warm_heart_ten"


def test_a_count_of_things_is_not_an_amount(assistant: Assistant) -> None:
    assert "count" in frame(assistant, "今年签约了多少项目").attributes
    assert "count" not in frame(assistant, "今年签约了多少资金").attributes  # an amount noun
    assert "people" not in frame(assistant, "金水区有多少人才").attributes  # 多少人 inside 人才
    assert frame(assistant, "金水服务企业的两个节日是哪两个").which == 2


def test_a_bare_head_noun_of_several_subjects_clarifies(assistant: Assistant) -> None:
    reply = assistant.reply("金水区有多少人才", Session())
    assert reply.status == "clarify"
    assert {o.fact_id for o in reply.options} >= {"leading_talent", "high_level_talent"}
    assert assistant.reply("领君人才有多少人", Session()).fact_id == "leading_talent"  # said by sound


def test_a_measure_no_fact_holds_gets_a_fallback_naming_it(assistant: Assistant) -> None:
    reply = assistant.reply("金水区人口有多少", Session())
    assert (reply.status, reply.reason) == ("fallback", "not_covered:人口")
    assert "人口" in reply.text
