"""Every part of a message is answered or said unknown in its place, never dropped (real facts)."""

from __future__ import annotations

import json

import pytest

from jinshui_qa.cli import main
from jinshui_qa.conversation.assistant import Assistant, Session, without_markup
from jinshui_qa.maintenance.computed_audit import audit_reply
from tests.conversation.test_compound import cli_assistant  # noqa: F401  (fixture)


def parts(assistant: Assistant, text: str, session: Session | None = None) -> list[tuple[str | None, str]]:
    data = assistant.reply(text, session or Session()).to_json()
    return [(p["fact_id"], p["status"]) for p in data.get("parts") or []]


def test_each_measure_of_one_subject_is_its_own_part(assistant: Assistant) -> None:
    # 「分别」 says outright that two things are asked, even when one fact could answer the whole
    assert parts(assistant, "专项债申报个数和资金分别排第几") == [
        ("special_bond_projects", "answer"),
        ("special_bond_funds", "answer"),
    ]


def test_a_part_answered_alone_lends_its_subject_to_the_next(assistant: Assistant) -> None:
    assert parts(assistant, "签约了多少项目，投资多少") == [
        ("signed_projects", "answer"),
        ("signed_investment", "answer"),
    ]


def test_a_part_the_report_lacks_is_said_in_its_place(assistant: Assistant) -> None:
    data = assistant.reply("研发机构和孵化器各有几家", Session()).to_json()
    assert data["status"] == "partial" and data["reason"] == "part_unanswered"
    assert [(p["fact_id"], p["status"]) for p in data["parts"]] == [
        ("rd_institutions", "answer"),
        (None, "fallback"),
    ]
    assert data["parts"][1]["reason"] and "孵化器" in data["reply"].split("\n")[1]


def test_a_bare_list_of_two_things_answers_both(assistant: Assistant) -> None:
    # read whole, 「重点实验室和研发机构」 was answered by the 研发机构 fact alone (it mentions 重点实验室)
    assert parts(assistant, "重点实验室和研发机构") == [("key_labs", "answer"), ("rd_institutions", "answer")]
    assert parts(assistant, "专项债项目数和债券资金额") == [
        ("special_bond_projects", "answer"),
        ("special_bond_funds", "answer"),
    ]


def test_a_relation_between_two_things_is_one_question(assistant: Assistant) -> None:
    assert assistant.reply("蜜雪冰城和金水区有什么关系", Session()).fact_id == "mixue_unicorn"


def test_an_asking_clause_beside_one_nothing_answers_is_kept(assistant: Assistant) -> None:
    data = assistant.reply("你们是机器人吗，重点实验室有几家", Session()).to_json()
    assert data["status"] == "partial"
    assert [p["fact_id"] for p in data["parts"]] == [None, "key_labs"] and "143" in data["reply"]


@pytest.mark.parametrize(
    ("message", "fact_id"),
    [
        ("您好，我在一家做人工智能的公司上班，公司有二十多个人，老板让我了解一下金水区的情况。"
         "请问金水区有多少家科技型企业？谢谢您！", "tech_enterprises"),
        ("你好吗？我可以问个问题吗？我是一家科技型企业的负责人，想知道金水区有多少家重点实验室，谢谢！", "key_labs"),
        ("恁好，俺是做生意嘞，想问问金水区有多少家科技型企业，弄啥嘞，谢谢", "tech_enterprises"),
        ("金水区高企有几家，弄啥嘞", "high_tech_enterprises"),
        ("Hi there, how are you? I run a small tech company and I'm thinking about moving to Jinshui. "
         "How many incubation carriers are there in the district? Thank you so much!", "incubators"),
    ],
)  # fmt: skip
def test_a_long_message_asking_one_thing_is_one_question(
    assistant: Assistant, message: str, fact_id: str
) -> None:
    reply = assistant.reply(message, Session())
    assert (reply.status, reply.fact_id) == ("answer", fact_id)
    assert not reply.to_json().get("parts")


def test_requests_about_known_things_are_parts_not_context(assistant: Assistant) -> None:
    assert parts(assistant, "我想了解一下重点实验室的数量，还有研发机构有多少家") == [
        ("key_labs", "answer"),
        ("rd_institutions", "answer"),
    ]
    assert parts(
        assistant, "I'd like to know the number of key labs, and how many incubation carriers are there?"
    ) == [
        ("key_labs", "answer"),
        ("incubators", "answer"),
    ]


@pytest.mark.parametrize(
    ("message", "fact_id"),
    [
        ("<script>alert(1)</script>金水区高企几家", "high_tech_enterprises"),
        ("<b>重点实验室</b>有几家", "key_labs"),
        ("<!-- x -->研发机构有几家", "rd_institutions"),
    ],
)
def test_markup_is_not_read_as_words(assistant: Assistant, message: str, fact_id: str) -> None:
    reply = assistant.reply(message, Session())
    assert (reply.status, reply.fact_id) == ("answer", fact_id)
    assert "script" not in reply.text


def test_only_markup_is_left_as_sent() -> None:
    assert without_markup("<script>") == "<script>"
    assert without_markup("1<2 重点实验室有几家") == "1<2 重点实验室有几家"


def test_a_partial_reply_lists_every_part_in_json(
    cli_assistant: Assistant,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["ask", "--json", "重点实验室有几家，金水区GDP是多少"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "partial"
    assert [(p["fact_id"], p["status"]) for p in data["parts"]] == [
        ("key_labs", "answer"),
        (None, "fallback"),
    ]
    assert all(set(p) >= {"question", "status", "fact_id", "figure", "reason"} for p in data["parts"])
    assert data["parts"][1]["reason"]


def test_a_total_over_four_figures_shows_its_computation(assistant: Assistant) -> None:
    data = assistant.reply("重点实验室、研发机构、孵化载体和工程技术中心一共多少家", Session()).to_json()
    assert data["status"] == "answer"
    assert [p["fact_id"] for p in data["parts"]] == [
        "key_labs",
        "rd_institutions",
        "incubators",
        "engineering_centers",
    ]
    assert data["computed"]["expression"] == "143家 + 12家 + 63家 + 290家 = 508家"
    assert (
        "合计：143家 + 12家 + 63家 + 290家 = 508家" in data["reply"] and "报道本身并未给出" in data["reply"]
    )
    assert audit_reply(assistant.base, data["reply"]) == []
    english = assistant.reply(
        "How many key labs, R&D institutions, incubation carriers and engineering centres are there combined?"
    ).to_json()
    assert english["computed"]["result"] == "508" and "143 + 12 + 63 + 290 = 508" in english["reply"]


def test_a_total_that_would_count_twice_or_mix_kinds_is_not_computed(assistant: Assistant) -> None:
    overlapping = assistant.reply("重点项目、新开项目和储备项目加起来多少个", Session()).to_json()
    assert overlapping["status"] == "fallback" and not overlapping["computed"]
    assert overlapping["reason"] == "incomparable:part_of"
    mixed = assistant.reply("重点实验室、新开项目和孵化载体一共多少", Session()).to_json()
    assert mixed["status"] == "fallback" and mixed["reason"] == "incomparable:kinds"


@pytest.mark.parametrize(
    "message",
    [
        "科技型企业在全市的占比和高企在全省的占比差多少",
        "高企占全国的比重比科技型企业占全市的比重低多少个百分点",
        "科技型企业的占比和高企营收占比差几个百分点",
        "What is the gap in percentage points between tech-based enterprises' share of the city and "
        "high-tech enterprises' share of the province?",
    ],
)
def test_shares_of_different_bases_are_not_subtracted(assistant: Assistant, message: str) -> None:
    data = assistant.reply(message, Session()).to_json()
    assert data["status"] == "fallback" and data["reason"] == "incomparable:bases"
    assert not data["computed"]
    assert "基数不同" in data["reply"] or "different bases" in data["reply"]


def test_a_difference_of_shares_is_in_percentage_points(assistant: Assistant) -> None:
    data = assistant.reply("科技型企业占比比高企占比高多少", Session()).to_json()
    assert data["computed"]["expression"] == "20% − 17.5% = 2.5个百分点"
    assert "2.5%" not in data["reply"].replace("17.5%", "")


@pytest.mark.parametrize(
    ("message", "fact_id"),
    [
        ("你好，请问可以问个问题吗？金水区有多少家科技型企业", "tech_enterprises"),
        ("小助手你好，你是谁呀？金水区有几家研发机构", "rd_institutions"),
        ("在吗？我想问一下金水区有多少家高企", "high_tech_enterprises"),
    ],
)
def test_small_talk_around_one_question_leaves_the_question(
    assistant: Assistant, message: str, fact_id: str
) -> None:
    reply = assistant.reply(message, Session())
    assert (reply.status, reply.fact_id) == ("answer", fact_id)


def test_small_talk_beside_two_questions_is_answered_with_them(assistant: Assistant) -> None:
    data = assistant.reply("你是谁？重点实验室和研发机构各有几家", Session()).to_json()
    assert data["status"] == "answer"
    assert [(p["fact_id"], p["status"]) for p in data["parts"]] == [
        (None, "smalltalk"),
        ("key_labs", "answer"),
        ("rd_institutions", "answer"),
    ]


def test_two_questions_nothing_answers_are_each_said_in_place(assistant: Assistant) -> None:
    data = assistant.reply("金水区有几个地铁站？有几所大学？", Session()).to_json()
    assert data["status"] == "fallback" and data["reason"] == "no_part_answered"
    assert [(p["fact_id"], p["status"]) for p in data["parts"]] == [(None, "fallback"), (None, "fallback")]
    assert data["reply"].startswith("1. ") and "\n2. " in data["reply"]
