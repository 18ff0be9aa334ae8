"""Questions, clarifying keyboards, follow-ups per chat, groups, and everything that is not text."""

from __future__ import annotations

import logging

import pytest

from jinshui_qa.conversation.assistant import Session
from tests.support.telegram_harness import BOT_ID, BOT_USERNAME, Harness

HIGH_TECH = "金水区有多少家高新技术企业？"


def clarifying(bot: Harness, candidates: list[str]) -> str:
    """The first of ``candidates`` the core answers with a clarifying question (the facts may change)."""
    for text in candidates:
        if bot.assistant.reply(text, Session()).status == "clarify":
            return text
    raise AssertionError(f"none of {candidates} gives a clarifying question any more")


async def test_a_question_is_answered_with_its_source_and_related_buttons(bot: Harness) -> None:
    expected = bot.assistant.reply(HIGH_TECH, Session())
    assert expected.status == "answer" and expected.related
    reply = await bot.ask(100, HIGH_TECH)
    assert reply.text == expected.text
    assert reply.buttons == [(o.title, f"q:{o.fact_id}:zh") for o in expected.related[:3]]
    assert "reply_parameters" not in reply.params  # private chats get plain messages

    bot.press(reply, reply.buttons[0][1])
    await bot.fake.wait_until(lambda: len(bot.fake.replies(100)) == 2)
    related = bot.fake.replies(100)[1]
    assert related.method == "sendMessage"
    assert related.text == bot.assistant.answer_fact(expected.related[0].fact_id, Session(), lang="zh").text


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_clarify_keyboard_and_pressing_a_candidate(bot: Harness, lang: str) -> None:
    question = clarifying(bot, ["项目", "人才", "服务"] if lang == "zh" else ["projects", "enterprises"])
    expected = bot.assistant.reply(question, Session())
    clarify = await bot.ask(101, question)
    assert clarify.text == expected.text
    assert clarify.buttons == [(o.title, f"f:{o.fact_id}:{lang}") for o in expected.options]

    chosen = expected.options[-1].fact_id
    bot.press(clarify, f"f:{chosen}:{lang}")
    await bot.fake.wait_until(lambda: len(bot.fake.replies(101)) == 2)
    answered = bot.fake.of("answerCallbackQuery")
    edit = bot.fake.replies(101)[1]
    assert len(answered) == 1 and bot.fake.calls.index(answered[0]) < bot.fake.calls.index(edit)
    assert edit.method == "editMessageText" and edit.params["message_id"] == clarify.result["message_id"]
    assert edit.text == bot.assistant.answer_fact(chosen, Session(), lang=lang).text  # type: ignore[arg-type]


async def test_a_numbered_reply_picks_a_candidate(bot: Harness) -> None:
    question = clarifying(bot, ["项目", "人才", "服务"])
    session = Session()
    bot.assistant.reply(question, session)
    expected = bot.assistant.reply("2", session)
    assert expected.status == "answer"
    await bot.ask(102, question)
    assert (await bot.ask(102, "2")).text == expected.text


def follow_up_pair(bot: Harness) -> tuple[str, str]:
    """A question and a follow-up the core answers differently with and without that context."""
    firsts = ["今年谋划了多少个重点项目？", HIGH_TECH, "金水区有多少领军人才"]
    for first in firsts:
        for follow_up in ["总投资呢？", "有多少", "多少家", "那人才呢", "年度投资呢？"]:
            session = Session()
            bot.assistant.reply(first, session)
            with_context = bot.assistant.reply(follow_up, session)
            if (
                with_context.status == "answer"
                and with_context.text != bot.assistant.reply(follow_up, Session()).text
            ):
                return first, follow_up
    raise AssertionError("no follow-up among the candidates depends on its context any more")


async def test_follow_ups_stay_in_their_own_chat(bot: Harness) -> None:
    first, follow_up = follow_up_pair(bot)
    session = Session()
    bot.assistant.reply(first, session)
    with_context = bot.assistant.reply(follow_up, session)
    without = bot.assistant.reply(follow_up, Session())

    await bot.ask(103, first)
    assert (await bot.ask(104, follow_up)).text == without.text
    assert (await bot.ask(103, follow_up)).text == with_context.text


async def test_groups_answer_mentions_and_replies_to_the_bot_only(bot: Harness) -> None:
    group = -200
    bot.message(group, HIGH_TECH, user_id=21)
    await bot.settle()
    assert bot.fake.replies(group) == []

    mention = f"@{BOT_USERNAME} {HIGH_TECH}"
    entities = [{"type": "mention", "offset": 0, "length": len(BOT_USERNAME) + 1}]
    answer = await bot.ask(group, mention, user_id=21, entities=entities)
    assert answer.text == bot.assistant.reply(HIGH_TECH, Session()).text
    assert answer.params["reply_parameters"]["message_id"] == bot.last_message_id

    reply_to_bot = {"message_id": answer.result["message_id"], "date": 1_700_000_000, "text": answer.text,
                    "chat": {"id": group, "type": "supergroup", "title": "Group"},
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "Jinshui QA"}}  # fmt: skip
    assert (
        await bot.ask(group, "今年谋划了多少个重点项目？", user_id=22, reply_to_message=reply_to_bot)
    ).text

    reply_to_someone = {**reply_to_bot, "from": {"id": 23, "is_bot": False, "first_name": "Other"}}
    bot.message(group, HIGH_TECH, user_id=22, reply_to_message=reply_to_someone)
    bot.message(group, f"@someone_else {HIGH_TECH}", user_id=22,
                entities=[{"type": "mention", "offset": 0, "length": 13}])  # fmt: skip
    bot.message(group, user_id=22, photo=[{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}])
    bot.message(group, user_id=22, new_chat_members=[{"id": 24, "is_bot": False, "first_name": "New"}])
    await bot.settle()
    assert len(bot.fake.replies(group)) == 2


NOT_TEXT = {
    "photo": [{"file_id": "p", "file_unique_id": "p", "width": 10, "height": 10}],
    "sticker": {"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1, "height": 1,
                "is_animated": False, "is_video": False},
    "voice": {"file_id": "v", "file_unique_id": "v", "duration": 3},
    "location": {"latitude": 34.8, "longitude": 113.7},
    "document": {"file_id": "d", "file_unique_id": "d"},
    "contact": {"phone_number": "1", "first_name": "A"},
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(NOT_TEXT))
async def test_non_text_gets_a_short_polite_reply(bot: Harness, kind: str) -> None:
    bot.message(300, **{kind: NOT_TEXT[kind]})
    await bot.fake.wait_until(lambda: len(bot.fake.replies(300)) == 1)
    assert bot.fake.replies(300)[0].text.startswith("我只能读懂文字消息")


async def test_edits_channel_posts_and_other_updates_are_ignored(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    bot.message(301, HIGH_TECH, kind="edited_message", edit_date=1_700_000_100)
    bot.message(-1001, HIGH_TECH, kind="channel_post", chat_type="channel")
    bot.message(-1001, HIGH_TECH, kind="edited_channel_post", chat_type="channel", edit_date=1_700_000_100)
    me = {"id": BOT_ID, "is_bot": True, "first_name": "Jinshui QA"}
    someone = {"id": 301, "is_bot": False, "first_name": "A"}
    bot.fake.add_update("my_chat_member", {
        "chat": {"id": 301, "type": "private"}, "from": someone, "date": 1,
        "old_chat_member": {"status": "member", "user": me},
        "new_chat_member": {"status": "kicked", "until_date": 0, "user": me},
    })  # fmt: skip
    inline = {"id": "i1", "from": someone, "query": "金水", "offset": ""}
    bot.last_update = bot.fake.add_update("inline_query", inline)
    await bot.settle()
    assert bot.fake.replies() == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_stale_or_unknown_buttons_are_answered_not_raised(bot: Harness) -> None:
    reply = await bot.ask(302, HIGH_TECH)
    for data in ("zzz", "f::zh", "t:no_such_topic:zh", "x:99:zh", "q"):
        bot.press(reply, data)
    bot.press(reply, "f:no_such_fact:en")
    await bot.fake.wait_until(lambda: len(bot.fake.of("answerCallbackQuery")) == 6)
    await bot.settle()
    notes = [c.params.get("text") for c in bot.fake.of("answerCallbackQuery")]
    assert notes == ["这个按钮已失效，请重新提问或发送 /topics。"] * 5 + [
        "This button has expired; please ask again or send /topics."
    ]
    gone = bot.fake.replies(302)[-1]  # a fact that is not (or no longer) there: expired, with the topics
    assert gone.text == "This button has expired; please ask again or send /topics." and gone.buttons
