"""Questions that arrive other than as plain text: captions, buttons on inline messages, long fact ids."""

from __future__ import annotations

import dataclasses

from jinshui_qa.bootstrap import assistant_for
from jinshui_qa.conversation.assistant import Assistant, Session
from jinshui_qa.telegram.texts import MAX_CALLBACK_BYTES, ShortIds, callback, short_id
from tests.support.telegram_harness import BOT_USERNAME, BotFactory, Harness

HIGH_TECH = "金水区有多少家高新技术企业？"
PHOTO = [{"file_id": "p", "file_unique_id": "p", "width": 10, "height": 10}]
DOCUMENT = {"file_id": "d", "file_unique_id": "d", "file_name": "table.pdf"}


async def test_a_photo_or_document_whose_caption_is_a_question_gets_the_answer(bot: Harness) -> None:
    expected = bot.assistant.reply(HIGH_TECH, Session()).text
    bot.message(310, photo=PHOTO, caption=HIGH_TECH)
    await bot.fake.wait_until(lambda: len(bot.fake.replies(310)) == 1)
    assert bot.fake.replies(310)[0].text == expected
    bot.message(311, document=DOCUMENT, caption=HIGH_TECH)
    await bot.fake.wait_until(lambda: len(bot.fake.replies(311)) == 1)
    assert bot.fake.replies(311)[0].text == expected
    bot.message(312, photo=PHOTO)  # no caption: still the polite note
    await bot.fake.wait_until(lambda: len(bot.fake.replies(312)) == 1)
    assert bot.fake.replies(312)[0].text.startswith("我只能读懂文字消息")


async def test_in_a_group_a_caption_is_answered_when_it_mentions_the_bot(bot: Harness) -> None:
    group = -310
    bot.message(group, photo=PHOTO, caption=HIGH_TECH, user_id=31)
    await bot.settle()
    assert bot.fake.replies(group) == []
    mention = f"@{BOT_USERNAME} {HIGH_TECH}"
    entities = [{"type": "mention", "offset": 0, "length": len(BOT_USERNAME) + 1}]
    bot.message(group, photo=PHOTO, caption=mention, caption_entities=entities, user_id=31)
    await bot.fake.wait_until(lambda: len(bot.fake.replies(group)) == 1)
    assert bot.fake.replies(group)[0].text == bot.assistant.reply(HIGH_TECH, Session()).text


def a_fact(assistant: Assistant) -> str:
    topic = assistant.topics("zh")[0]
    return assistant.topic_questions(topic.fact_id, "zh")[0].fact_id


async def test_a_button_on_an_inline_message_gets_its_answer_edited_in(bot: Harness) -> None:
    fact = a_fact(bot.assistant)
    expected = bot.assistant.answer_fact(fact, Session(), lang="zh").text
    bot.press_inline(f"q:{fact}:zh", user_id=320)
    await bot.fake.wait_until(lambda: bool(bot.fake.of("answerCallbackQuery")))
    [edit] = bot.fake.of("editMessageText")
    assert edit.params["inline_message_id"] == "inline-1" and edit.text == expected
    [ack] = bot.fake.of("answerCallbackQuery")
    assert bot.fake.calls.index(edit) < bot.fake.calls.index(ack) and not ack.params.get("show_alert")


async def test_when_the_inline_message_cannot_be_edited_the_answer_is_an_alert(bot: Harness) -> None:
    fact = a_fact(bot.assistant)
    expected = bot.assistant.answer_fact(fact, Session(), lang="zh").text
    bot.fake.fail("editMessageText", 400, description="Bad Request: MESSAGE_ID_INVALID")
    bot.press_inline(f"f:{fact}:zh", user_id=321)
    await bot.fake.wait_until(lambda: bool(bot.fake.of("answerCallbackQuery")))
    [ack] = bot.fake.of("answerCallbackQuery")
    assert ack.params["show_alert"] is True
    text = str(ack.params["text"])
    assert len(text) <= 200 and text.rstrip("…") == expected[: len(text.rstrip("…"))]
    await bot.settle()
    assert not [c for c in bot.fake.calls if c.method == "sendMessage"]


def test_ids_too_long_for_callback_data_become_short_tokens_resolved_against_the_facts(
    assistant: Assistant,
) -> None:
    short, long = "key_projects_count", "a_fact_id_" + "x" * 80
    assert callback("q", short, "zh") == f"q:{short}:zh"
    data = callback("q", long, "en")
    assert len(data.encode()) <= MAX_CALLBACK_BYTES and data == f"q:{short_id(long)}:en"
    ids = ShortIds()
    fact = assistant.base.facts[0].id
    assert ids.resolve(assistant.base, short_id(fact)) == fact
    assert ids.resolve(assistant.base, fact) == fact  # buttons sent before keep working
    assert ids.resolve(assistant.base, short_id(long)) is None  # no such fact: expired
    assert ids.resolve(assistant.base, "#0123456789abcdef") is None


def with_long_id(assistant: Assistant) -> tuple[Assistant, str, str]:
    """The real facts with one fact renamed to an id too long for callback data (references follow)."""
    base = assistant.base
    old = a_fact(assistant)
    new = "renamed_" + old + "_" + "y" * 70
    facts = tuple(
        dataclasses.replace(
            f, id=new if f.id == old else f.id, related=tuple(new if r == old else r for r in f.related)
        )
        for f in base.facts
    )
    return assistant_for(dataclasses.replace(base, facts=facts)), old, new


async def test_a_fact_with_a_long_id_keeps_its_button_and_the_button_answers(
    make_bot: BotFactory, assistant: Assistant
) -> None:
    renamed, _, long_id = with_long_id(assistant)
    async with make_bot(source=lambda: renamed) as bot:
        listing = await bot.ask(330, "/topics")
        topic = renamed.topics("zh")[0]
        bot.press(listing, callback("t", topic.fact_id, "zh"))
        await bot.fake.wait_until(lambda: len(bot.fake.replies(330)) == 2)
        questions = bot.fake.replies(330)[1]
        token = f"q:{short_id(long_id)}:zh"
        assert token in [data for _, data in questions.buttons]
        bot.press(questions, token)
        await bot.fake.wait_until(lambda: len(bot.fake.replies(330)) == 3)
        assert bot.fake.replies(330)[2].text == renamed.answer_fact(long_id, Session(), lang="zh").text
        bot.press(questions, f"q:{short_id(long_id + 'gone')}:zh")  # a token no fact matches
        await bot.fake.wait_until(lambda: len(bot.fake.replies(330)) == 4)
        expired = bot.fake.replies(330)[3]
        assert expired.text == "这个按钮已失效，请重新提问或发送 /topics。" and expired.buttons


async def test_a_vote_whose_acknowledgement_is_refused_is_still_thanked_not_an_error(
    make_bot: BotFactory, tmp_path: object
) -> None:
    async with make_bot() as bot:
        answer = await bot.ask(340, HIGH_TECH)
        bot.fake.fail("answerCallbackQuery", 400, description="Bad Request: query is too old")
        bot.press(answer, "k:-:zh")
        await bot.settle()
        assert [c.text for c in bot.fake.replies(340)] == [answer.text]  # no "something went wrong"
