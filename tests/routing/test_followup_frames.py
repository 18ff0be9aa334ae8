"""Follow-ups as frame inheritance, and the latest period when a second report sits beside the first."""

from __future__ import annotations

import pytest

from jinshui_qa.bootstrap import assistant_for
from jinshui_qa.conversation.assistant import Assistant, Reply, Session
from jinshui_qa.facts.loader import load
from tests.support.tiny import WriteFacts


def dialogue(assistant: Assistant, *turns: str) -> list[Reply]:
    session = Session()
    return [assistant.reply(text, session, now=float(n)) for n, text in enumerate(turns)]


@pytest.mark.parametrize(
    ("first", "then", "fact_id", "reason"),
    [
        (
            "金水区有多少家科技型企业",
            "去年呢",
            None,
            "period:2021年",
        ),  # keeps the subject, changes the period
        ("金水区有多少家科技型企业", "占全市多少", "tech_enterprises", ""),  # keeps the subject
        ("金水新引进了多少高层次人才", "总量呢", None, "scope:total"),  # keeps the subject, changes the scope
        ("高新技术企业有几家", "那科技型企业呢", "tech_enterprises", ""),  # changes the subject
        (
            "今年谋划了多少重点项目",
            "总投资呢",
            "key_projects_total_investment",
            "",
        ),  # same subject, new attribute
        ("今年一季度新增多少市场主体", "2021年呢", "market_entities_2021", ""),
        ("金水区专项债项目申报了多少个", "全省排第几", None, "level:province"),
        ("专项债资金有多少亿", "排第几", "special_bond_funds", ""),  # the rank of the figure just given
        ("金水区委书记是谁", "区长呢", None, "not_covered:区长"),  # the same asked of a role not held
    ],
)
def test_a_followup_replaces_only_the_slots_it_names(
    assistant: Assistant, first: str, then: str, fact_id: str | None, reason: str
) -> None:
    _, reply = dialogue(assistant, first, then)
    assert (reply.fact_id, reply.reason) == (fact_id, reason)
    if reason:
        assert reply.status == "fallback" and reply.text.count("。") <= 2


@pytest.mark.parametrize("first", ["高新技术企业多少家", "重点项目多少个", "专项债资金多少"])
def test_a_short_question_naming_things_of_its_own_is_not_answered_by_the_last_fact(
    assistant: Assistant, first: str
) -> None:
    """「金水区有多少人才」 after another subject asks about 人才 (which of them), not the last fact again."""
    previous, reply = dialogue(assistant, first, "金水区有多少人才")
    assert previous.status == "answer" and reply.status == "clarify"
    assert previous.fact_id not in {o.fact_id for o in reply.options}
    assert {o.fact_id for o in reply.options} == {
        o.fact_id for o in dialogue(assistant, "金水区有多少人才")[0].options
    }


NEWER = """\
topic:
  id: gamma
  title: {zh: 新报道, en: A newer report}
facts:
  - id: hte_count_2023
    audience: both
    title: {zh: 高新技术企业（2023年）, en: High-tech enterprises (2023)}
    questions:
      zh: [2023年金水区高新技术企业有多少家]
      en: ["How many high-tech enterprises were there in 2023?"]
    keywords: [高新技术企业]
    answer:
      zh: 2023年金水区有高新技术企业800家。
      en: In 2023 Jinshui had 800 high-tech enterprises.
    figures:
      - {value: 800, unit: 家, counts: 高新技术企业}
    time: "2023"
    source: {report: zzdaily-2022-jinshui, section: innovation}
    verified: 2026-11-28
"""


def test_a_later_report_answers_by_default_and_an_earlier_period_when_named(write_facts: WriteFacts) -> None:
    """Two facts differing only by period: the latest answers; a question naming 2022 gets 2022's."""
    assistant = assistant_for(load(write_facts(**{"gamma.yaml": NEWER})))
    assert assistant.reply("金水区高新技术企业有多少家", Session()).fact_id == "hte_count_2023"
    assert assistant.reply("2022年金水区高新技术企业有多少家", Session()).fact_id == "hte_count"
    assert assistant.reply("2023年金水区高新技术企业有多少家", Session()).fact_id == "hte_count_2023"
    assert assistant.reply("2020年金水区高新技术企业有多少家", Session()).reason == "period:2020年"


def test_one_part_of_a_message_is_answered_as_one_question(assistant: Assistant) -> None:
    """reply_part: for a caller that splits a message itself (compound questions); context still flows."""
    session = Session()
    first = assistant.reply_part("金水区高新技术企业有多少家", session)
    assert (first.status, first.fact_id) == ("answer", "high_tech_enterprises")
    assert assistant.reply_part("占全市多少", session, now=1.0).fact_id == "high_tech_enterprises"
    long = "您好，我是做外贸的，打算来郑州发展，想问一下今年一共谋划了多少个重点项目？谢谢！"
    assert assistant.reply(long, Session()).fact_id == "key_projects_count"
    assert assistant.reply_part(long, Session()).status == "fallback"  # read whole: 郑州 is asked about


@pytest.mark.parametrize(
    ("first", "then", "fact_id"),
    [
        ("重点项目有多少个", "zhuanxiangzhai xiangmu duoshao ge", "special_bond_projects"),
        ("重点项目有多少个", "how many gaoxin jishu qiye", "high_tech_enterprises"),
        ("重点项目有多少个", "kejixingqiye you duoshao", "tech_enterprises"),
        ("高新技术企业有几家", "yuanshi you ji ge", "academician_new"),
    ],
)
def test_a_pinyin_question_naming_its_own_subject_is_no_followup(
    assistant: Assistant, first: str, then: str, fact_id: str
) -> None:
    """A name typed in pinyin is a name: the message asks about it, not about the last answer's subject
    (it answered 233 key projects to 「zhuanxiangzhai xiangmu duoshao ge」 after a key-projects answer)."""
    _, reply = dialogue(assistant, first, then)
    assert (reply.status, reply.fact_id) == ("answer", fact_id)


@pytest.mark.parametrize(
    "first",
    [
        "重点项目总投资多少",
        "重点项目年度计划投资多少",
        "What is the annual planned investment of key projects?",
    ],
)
@pytest.mark.parametrize("then", ["新开了多少个", "how many were newly started?"])
def test_a_followup_reaches_the_facts_related_to_any_fact_of_the_subject(
    assistant: Assistant, first: str, then: str
) -> None:
    """The newly started key projects (a fact related to their count) follow an amount of the key projects
    too: it fell back saying the report had no such figure, since only the last fact's own related
    facts were looked at."""
    _, reply = dialogue(assistant, first, then)
    assert (reply.status, reply.fact_id) == ("answer", "new_projects"), reply.text
