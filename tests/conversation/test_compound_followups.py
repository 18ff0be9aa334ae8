"""Follow-up comparisons over the figures a session has just been given (real facts)."""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import CONTEXT_SECONDS, Assistant, Session


def ask(assistant: Assistant, session: Session, *messages: str, now: float = 0.0) -> dict[str, object]:
    data: dict[str, object] = {}
    for message in messages:
        data = assistant.reply(message, session, now).to_json()
    return data


@pytest.mark.parametrize("follow_up", ["两者差多少", "哪个多", "它们相差几家", "二者一共多少家"])
def test_after_a_two_part_answer(assistant: Assistant, follow_up: str) -> None:
    data = ask(assistant, Session(), "重点实验室和孵化载体各有几家", follow_up)
    computed = data["computed"]
    assert isinstance(computed, dict)
    assert computed["result"] == ("206" if "一共" in follow_up else "80")


def test_after_two_single_answers(assistant: Assistant) -> None:
    data = ask(assistant, Session(), "重点实验室有几家", "孵化载体呢", "哪个多")
    assert data["computed"] and data["computed"]["larger"] == "key_labs"  # type: ignore[index]


def test_it_is_the_last_figure_given(assistant: Assistant) -> None:
    data = ask(assistant, Session(), "孵化载体有多少家", "重点实验室比它多多少")
    assert [p["fact_id"] for p in data["parts"]] == ["key_labs", "incubators"]  # type: ignore[attr-defined]
    assert data["computed"]["expression"] == "143家 − 63家 = 80家"  # type: ignore[index]


def test_shares_just_given_are_compared_in_percentage_points(assistant: Assistant) -> None:
    data = ask(assistant, Session(), "科技型企业占全市多少", "高新技术企业呢", "差几个百分点")
    assert data["computed"]["expression"] == "20% − 17.5% = 2.5个百分点"  # type: ignore[index]


def test_in_english(assistant: Assistant) -> None:
    data = ask(assistant, Session(), "How many key labs and incubation carriers does Jinshui have?",
               "What's the difference between the two?")  # fmt: skip
    assert data["computed"]["result"] == "80"  # type: ignore[index]


def test_without_figures_in_the_session_nothing_is_compared(assistant: Assistant) -> None:
    data = ask(assistant, Session(), "两者差多少")
    assert not data.get("computed") and data["status"] != "answer"


def test_the_figures_expire_with_the_context(assistant: Assistant) -> None:
    session = Session()
    ask(assistant, session, "重点实验室和孵化载体各有几家", now=0.0)
    assert session.recent == ("key_labs", "incubators")
    data = ask(assistant, session, "两者差多少", now=CONTEXT_SECONDS + 1)
    assert not data.get("computed") and session.recent == ()
