"""The kinds of compound message that used to lose a part or answer the wrong thing (real facts)."""

from __future__ import annotations

from jinshui_qa.conversation.assistant import Assistant, Session
from jinshui_qa.conversation.gate import asked
from jinshui_qa.maintenance.computed_audit import audit_reply


def reply(assistant: Assistant, text: str) -> dict:  # type: ignore[type-arg]
    return assistant.reply(text, Session()).to_json()


def parts(assistant: Assistant, text: str) -> list[tuple[str | None, str]]:
    return [(p["fact_id"], p["status"]) for p in reply(assistant, text).get("parts") or []]


def test_a_part_about_a_measure_the_base_lacks_is_listed_not_dropped(assistant: Assistant) -> None:
    data = reply(assistant, "开门红了没，一季度财政收入增长多少")
    assert data["status"] == "partial"
    assert [(p["fact_id"], p["status"]) for p in data["parts"]] == [
        ("q1_strong_start", "answer"),
        (None, "fallback"),
    ]
    assert data["parts"][1]["reason"]


def test_nothing_known_is_still_said_part_by_part(assistant: Assistant) -> None:
    data = reply(assistant, "金水区GDP是多少，常住人口有多少")
    assert data["status"] == "fallback" and len(data["parts"]) == 2


def test_an_attribute_the_fact_does_not_hold_falls_back_in_place(assistant: Assistant) -> None:
    assert parts(assistant, "What's the Qianqi Wanhu plan, and what's its interest rate?") == [
        ("qianqi_wanhu", "answer"),
        (None, "fallback"),
    ]
    data = reply(assistant, "How many new academicians were there, and what is the academician's name?")
    assert data["parts"][1]["status"] == "fallback" and "name" in data["parts"][1]["reason"]


def test_a_part_naming_only_a_measure_takes_the_subject_before(assistant: Assistant) -> None:
    assert parts(assistant, "How many reserve projects are there, and how much investment do they have?") == [
        ("reserve_projects", "answer"),
        ("reserve_projects_investment", "answer"),
    ]
    assert parts(assistant, "How many signed projects are there, and how much investment is planned?") == [
        ("signed_projects", "answer"),
        ("signed_investment", "answer"),
    ]


def test_that_of_asks_the_same_measure_of_the_second_thing(assistant: Assistant) -> None:
    data = reply(
        assistant, "How much more is the total investment of key projects than that of reserve projects?"
    )
    assert [p["fact_id"] for p in data["parts"]] == [
        "key_projects_total_investment",
        "reserve_projects_investment",
    ]
    assert data["computed"]["result"] == "3365"
    data = reply(assistant, "Is the annual investment of reserve projects larger than that of key projects?")
    assert data["computed"]["expression"].startswith("521亿元 − 133亿元")  # the annual figure, not the total


def test_growth_is_not_compared_without_growth_figures(assistant: Assistant) -> None:
    for text in (
        "Which grew faster, tech-based enterprises or high-tech enterprises?",
        "科技型企业和高新技术企业哪个增长得快",
    ):
        data = reply(assistant, text)
        assert data["status"] == "fallback" and data["computed"] is None
        assert [p["fact_id"] for p in data["parts"]] == ["tech_enterprises", "high_tech_enterprises"]


def test_a_total_minus_a_part_of_it_is_computed_and_shown(assistant: Assistant) -> None:
    for text in ("重点项目里除了新开项目还有多少个", "除了新开项目，重点项目还有多少个",
                 "Apart from newly started projects, how many key projects are there?"):  # fmt: skip
        said = assistant.reply(text, Session())
        data = said.to_json()
        assert data["status"] == "answer" and data["computed"]["expression"] == "233个 − 123个 = 110个", text
        assert audit_reply(assistant.base, said.text) == []


def test_a_remainder_of_things_the_report_does_not_nest_is_not_computed(assistant: Assistant) -> None:
    data = reply(assistant, "科技型企业里除了高新技术企业还有多少家")
    assert data["status"] == "fallback" and data["computed"] is None and len(data["parts"]) == 2
    assert "一部分" in data["reply"]


def test_days_of_the_month_compared_list_both(assistant: Assistant) -> None:
    data = reply(assistant, "上门走访企业日比企业家恳谈日早几天")
    assert data["computed"] is None and [p["fact_id"] for p in data["parts"]] == ["visit_day", "forum_day"]


def test_a_long_message_is_judged_by_its_asking_clauses(assistant: Assistant) -> None:
    text = "您好，我和几个合伙人在做一个新能源项目，涉及氢能和储能，打算落地郑州，请问金水区今年谋划了多少个重点项目？多谢"
    assert asked(text) == "金水区今年谋划了多少个重点项目"
    said = assistant.reply(text, Session())
    assert (said.status, said.fact_id) == ("answer", "key_projects_count")
    assert (
        asked("重点实验室、研发机构、孵化载体和工程技术中心一共多少家")
        == "重点实验室、研发机构、孵化载体和工程技术中心一共多少家"
    )


def test_a_long_message_asking_two_things_of_one_fact_answers_it(assistant: Assistant) -> None:
    text = "您好，我们是一家外地的设计公司，正在考察郑州各区的营商环境，听说金水区开了一次企业家恳谈会，想问一下是哪天开的、请了几家企业？谢谢"
    said = assistant.reply(text, Session())
    assert (said.status, said.fact_id) == ("answer", "entrepreneur_forum")


def test_a_context_clause_naming_two_things_keeps_both(assistant: Assistant) -> None:
    data = reply(assistant, "你好，我在看金水区的材料，里面有重点实验室和孵化载体的数字，想问问哪个多？")
    assert [p["fact_id"] for p in data["parts"]] == ["key_labs", "incubators"]


def test_a_thing_named_twice_in_a_total_is_added_once(assistant: Assistant) -> None:
    reply = assistant.reply("科技型企业和科技型企业和高新技术企业一共多少家", Session())
    assert reply.status == "answer" and "合计：2058家 + 723家 = 2781家。" in reply.text
    assert reply.text.count("科技型企业：2058家") == 1
    many = assistant.reply("和".join(["科技型企业"] * 50 + ["高新技术企业"]) + "一共多少家", Session())
    assert "2781家" in many.text and len(many.text) < 1000
