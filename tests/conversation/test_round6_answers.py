"""Round 6 testers' findings, each as the general pattern it is, over the real facts.

A message of numbers alone asks nothing; 「X是什么东西」 is 「X是什么」; a subset of the market entities
(个体户) is not their total; a share of Henan is a share at the province's level; funds in place (到位资金)
are a progress the report does not give, not the planned investment; 「新签约项目呢」 keeps the amount
asked before; a comparison typed with a sign is a comparison.
"""

from __future__ import annotations

import pytest

from jinshui_qa.conversation.assistant import Assistant, Session
from jinshui_qa.conversation.gate import comparison_said, numbers_only
from jinshui_qa.conversation.replies import known


@pytest.mark.parametrize(
    "text",
    ["0", "1", "〇", "0？", "一百", "1+1", "3.5", "2058", " 5 ", "1<2", "十九点二万", "二〇", "第一", "三个"],
)
def test_a_message_of_numbers_alone_is_not_understood_politely(assistant: Assistant, text: str) -> None:
    reply = assistant.reply(text, Session())
    assert (reply.status, reply.reason, reply.options) == ("fallback", "numbers", ())
    assert reply.text.startswith("抱歉，我没看懂这条消息") and "/topics" in reply.text


def test_numbers_alone_in_english_are_answered_in_english(assistant: Assistant) -> None:
    reply = assistant.reply("7", Session(lang="en"))
    assert reply.reason == "numbers" and reply.text.startswith("Sorry, I did not understand")


def test_numbers_with_words_are_questions() -> None:
    for text in ("5+5+X", "1+N+X是什么", "2058家是什么", "2022年新增多少", "高企723家吗"):
        assert not numbers_only(text), text


def test_a_bare_year_still_follows_up_in_a_conversation(assistant: Assistant) -> None:
    session = Session()
    assert assistant.reply("金水区新增市场主体多少", session).status == "answer"
    year = assistant.reply("2021", session)
    assert (year.status, year.fact_id) == ("answer", "market_entities_2021")
    assert assistant.reply("0", session).reason == "numbers"  # a number that is no year is still nothing


def test_a_numbered_choice_still_picks_an_option(assistant: Assistant) -> None:
    session = Session()
    first = assistant.reply("金水区有多少人才", session)
    assert first.status == "clarify"  # the choice path is taken before the numbers rule
    assert assistant.reply("1", session).fact_id == first.options[0].fact_id


@pytest.mark.parametrize("said", ["高新技术企业是什么东西", "高新技术企业是啥东西", "高新技术企业是个啥"])
def test_what_kind_of_thing_asks_what_it_is(assistant: Assistant, said: str) -> None:
    plain = assistant.reply("高新技术企业是什么", Session())
    reply = assistant.reply(said, Session())
    assert (reply.status, reply.fact_id) == ("answer", plain.fact_id) == ("answer", "high_tech_enterprises")


@pytest.mark.parametrize(
    "question", ["个体户有多少", "金水区个体户有多少家", "个体工商户有多少", "今年新增个体户多少"]
)
def test_individual_businesses_alone_are_not_the_market_entities(assistant: Assistant, question: str) -> None:
    reply = assistant.reply(question, Session())
    assert reply.status == "fallback" and reply.reason.startswith("scope:个体")
    assert "没有市场主体中" in reply.text and "个体" in reply.text  # says which part is missing
    assert "市场主体" in reply.text  # and offers the figure it has, as what it is


def test_enterprises_and_individual_businesses_together_are_the_market_entities(assistant: Assistant) -> None:
    for question in ("金水区有多少企业和个体户", "企业和个体户一共多少"):
        assert assistant.reply(question, Session()).fact_id == "market_entities_total", question


@pytest.mark.parametrize("question", ["科技型企业占河南省多少", "高新技术企业占河南多少"])
def test_a_share_of_henan_is_a_share_the_report_does_not_give(assistant: Assistant, question: str) -> None:
    reply = assistant.reply(question, Session())
    assert (reply.status, reply.reason) == ("fallback", "level:province")
    assert "全省" in reply.text and "20%" not in reply.text and "17.5%" not in reply.text


def test_a_share_of_zhengzhou_is_still_answered(assistant: Assistant) -> None:
    reply = assistant.reply("科技型企业占郑州市多少", Session())
    assert reply.fact_id == "tech_enterprises" and "20%" in reply.text


@pytest.mark.parametrize("question", ["招商引资到位资金", "签约项目到位资金多少亿", "签约项目资金到位了吗"])
def test_funds_in_place_are_not_the_planned_investment(assistant: Assistant, question: str) -> None:
    reply = assistant.reply(question, Session())
    assert (reply.status, reply.reason) == ("fallback", "attribute:progress")


@pytest.mark.parametrize("question", ["招商引资有多少钱", "招商引资资金多少"])
def test_an_amount_of_investment_promotion_is_not_its_strategy(assistant: Assistant, question: str) -> None:
    reply = assistant.reply(question, Session())
    assert (reply.status, reply.reason) == ("fallback", "attribute:money")
    assert "““" not in reply.text  # the title's own quotes are not quoted again


def test_the_known_thing_of_a_quoted_title_is_quoted_once(assistant: Assistant) -> None:
    said = known(assistant.base.fact("chain_investment_55x"), "zh")
    assert said.startswith("“5+5+X”产业链招商的情况")


def test_signed_projects_after_another_amount_ask_their_amount(assistant: Assistant) -> None:
    """It said 「报道里没有签约项目的金额信息」, though the report gives their planned investment."""
    session = Session()
    assert assistant.reply("重点项目总投资多少", session).status == "answer"
    reply = assistant.reply("新签约项目呢", session)
    assert (reply.status, reply.fact_id) == ("answer", "signed_investment") and "200亿" in reply.text


@pytest.mark.parametrize(("first", "then", "own"), [("重大产业项目计划投资多少", "新签约项目呢", "signed_projects"),
                                                    ("专项债资金多少", "专项债项目呢", "special_bond_projects")])  # fmt: skip
def test_x_after_its_own_amount_gives_what_is_new_about_x(
    assistant: Assistant, first: str, then: str, own: str
) -> None:
    """The amount was just given: not said again, and never 「报道里没有…的金额信息」 (which was false)."""
    session = Session()
    said = assistant.reply(first, session)
    reply = assistant.reply(then, session)
    assert (reply.status, reply.fact_id) == ("answer", own) and reply.fact_id != said.fact_id


def test_signed_projects_after_a_count_keep_the_count(assistant: Assistant) -> None:
    session = Session()
    assistant.reply("重点项目有多少个", session)
    assert assistant.reply("新签约项目呢", session).fact_id == "signed_projects"


def test_a_person_the_report_does_not_name_still_falls_back(assistant: Assistant) -> None:
    session = Session()
    assistant.reply("区委书记是谁", session)
    assert assistant.reply("区长呢", session).status == "fallback"


@pytest.mark.parametrize(
    "typed",
    [
        "科技型企业 > 高新技术企业 吗",
        "科技型企业>高新技术企业",
        "高新技术企业＜科技型企业？",
        "科技型企业大于高新技术企业吗",
    ],
)
def test_a_comparison_typed_with_a_sign_compares(assistant: Assistant, typed: str) -> None:
    reply = assistant.reply(typed, Session())
    assert reply.status == "answer" and reply.question == typed
    assert "2058家 − 723家 = 1335家" in reply.text


def test_a_sign_against_a_figure_checks_the_figure(assistant: Assistant) -> None:
    reply = assistant.reply("科技型企业 > 2000 吗", Session())
    assert reply.fact_id == "tech_enterprises" and reply.text.startswith("是的")


def test_comparison_said_leaves_thresholds_and_questions_alone() -> None:
    for text in ("投资大于10亿的项目有多少", "哪个 > 哪个", "1<2", "<b>重点实验室</b>有几家", "高企多少家"):
        assert comparison_said(text) == text, text
    assert comparison_said("A企业 ≥ B企业") == "A企业比B企业多吗"
    assert comparison_said("tech firms < labs") == "Is tech firms less than labs?"


def test_bi_before_zhongdian_compares_and_is_not_a_proportion(assistant: Assistant) -> None:
    """「孵化载体比重点实验室多吗」: 比 + 重点实验室, not 比重 (a proportion); the comparison is not dropped."""
    reply = assistant.reply("孵化载体比重点实验室多吗", Session())
    assert reply.status == "answer" and "143家 − 63家 = 80家" in reply.text


def _counting_replies(assistant: Assistant, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []
    original = Assistant.reply_one

    def counted(self: Assistant, text: str, *args: object, **kwargs: object) -> object:
        asked.append(text)
        return original(self, text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Assistant, "reply_one", counted)
    return asked


def test_a_long_chain_of_conjuncts_is_read_a_bounded_number_of_times(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 1,000-character message of forty times five things joined by 和 (the question limit of the web
    API) reads each distinct thing once and at most 8 of them; the rest is said unread, never dropped."""
    message = ("科技型企业和高新技术企业和重点实验室和研发机构和孵化载体" * 40)[:1000]
    asked = _counting_replies(assistant, monkeypatch)
    reply = assistant.reply(message, Session())
    assert len(asked) <= 20  # was 145 single-question readings
    parts = getattr(reply, "parts", ())
    assert len({p.question for p in parts}) == len(parts)  # each thing once
    unread = [p for p in parts if p.reason == "too_many_parts"]
    assert not unread or "没有回答" in reply.text


def test_numbers_alone_are_not_split_into_parts(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _counting_replies(assistant, monkeypatch)
    reply = assistant.reply(("1+1=2，" * 200)[:1000], Session())
    assert reply.reason == "numbers" and len(asked) == 1


@pytest.mark.parametrize(
    ("typed", "kind", "says"),
    [("/topics", "topics", "我可以回答这些主题的问题"), ("/help", "help", "命令：/topics"),
     ("/about", "identity", "只根据以下资料回答"), ("/TOPICS@jqa_bot", "topics", "人才"),
     ("/lang en", "command", "这里没有这个命令")],
)  # fmt: skip
def test_a_command_typed_as_a_message_is_answered_in_the_conversations_language(
    assistant: Assistant, typed: str, kind: str, says: str
) -> None:
    """The web page's question box sends 「/topics」 as a question: on a Chinese page it was read as the
    English word "topics" and answered in English that the sources have no answer (telling to send /topics)."""
    reply = assistant.reply(typed, Session(lang="zh"))
    assert (reply.status, reply.lang, reply.reason) == ("smalltalk", "zh", kind)
    assert says in reply.text


def test_a_command_in_an_english_conversation_is_answered_in_english(assistant: Assistant) -> None:
    reply = assistant.reply("/topics", Session(lang="en"))
    assert reply.lang == "en" and reply.text.startswith("I can answer questions on these topics")


def test_a_slash_inside_a_question_is_no_command(assistant: Assistant) -> None:
    assert assistant.reply("高企/科技型企业各多少", Session()).status != "smalltalk"


def test_numbers_alone_are_not_counted_as_unanswered_questions() -> None:
    """`report` lists what went unanswered to improve the facts: 「0」 asked nothing to add."""
    from jinshui_qa.maintenance.usage_report import is_unanswered
    from jinshui_qa.storage.question_rows import LoggedQuestion

    def row(reason: str) -> LoggedQuestion:
        return LoggedQuestion(0.0, "web", None, "zh", "0", "fallback", None, None, 0.0, 1.0, reason, ())

    assert not is_unanswered(row("numbers")) and is_unanswered(row("not_covered:东西"))


def test_money_arrived_in_english_is_not_the_planned_investment(assistant: Assistant) -> None:
    reply = assistant.reply("How much money has arrived for the signed projects?", Session())
    assert (reply.status, reply.reason) == ("fallback", "attribute:progress")
    assert "Planned investment" in reply.text  # the figure it has, named as what it is


@pytest.mark.parametrize(
    "typed",
    ["科技型企业＝高新技术企业吗", "科技型企业 VS 高新技术企业", "tech enterprises vs high-tech enterprises"],
)
def test_things_set_side_by_side_are_compared(assistant: Assistant, typed: str) -> None:
    """「A vs B」 answered one of them (dropping the other) or said 「报道里没有关于“科技型”的信息」 (false)."""
    reply = assistant.reply(typed, Session())
    assert reply.status == "answer" and reply.question == typed
    assert "2058" in reply.text.replace(",", "") and "723" in reply.text


def test_places_set_side_by_side_keep_their_own_reading(assistant: Assistant) -> None:
    for typed in ("金水区 vs 二七区", "Jinshui vs Erqi", "金水区=二七区"):
        reply = assistant.reply(typed, Session())
        assert reply.reason.startswith("other_place"), typed  # not 「which is larger」 split into nonsense


@pytest.mark.parametrize("typed", ["科技型企业和高新技术企业一样多吗", "科技型企业 高新技术企业"])
def test_two_known_things_are_each_said_not_called_unknown(assistant: Assistant, typed: str) -> None:
    reply = assistant.reply(typed, Session())
    assert "报道里没有关于“科技型”" not in reply.text
    assert [p.fact_id for p in getattr(reply, "parts", ())] == ["tech_enterprises", "high_tech_enterprises"]
