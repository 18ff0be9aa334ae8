"""Commands through the real client: /start, /help, /topics (and its buttons), /about, /lang, unknown ones."""

from __future__ import annotations

from jinshui_qa.conversation.assistant import Session
from tests.support.telegram_harness import BOT_USERNAME, Harness


async def test_commands_are_registered_in_both_languages(bot: Harness) -> None:
    calls = bot.fake.of("setMyCommands")
    names = [sorted(c["command"] for c in call.params["commands"]) for call in calls]
    assert names == [["about", "help", "lang", "start", "topics"]] * 2
    assert [call.params.get("language_code") for call in calls] == [None, "zh"]


async def test_start_greets_in_the_users_language_with_example_buttons(bot: Harness) -> None:
    zh = await bot.ask(1, "/start", lang="zh-hans")
    assert zh.text == bot.assistant.greeting("zh")
    assert zh.buttons == [(q, f"x:{n}:zh") for n, q in enumerate(bot.assistant.examples("zh"))]
    en = await bot.ask(2, "/start", lang="en-GB")
    assert en.text == bot.assistant.greeting("en")
    assert en.buttons[0] == (bot.assistant.examples("en")[0], "x:0:en")


async def test_an_example_button_asks_its_question(bot: Harness) -> None:
    start = await bot.ask(3, "/start", lang="en")
    bot.press(start, "x:1:en")
    await bot.fake.wait_until(lambda: len(bot.fake.replies(3)) == 2)
    expected = bot.assistant.reply(bot.assistant.examples("en")[1], Session())
    assert bot.fake.replies(3)[1].text == expected.text
    assert len(bot.fake.of("answerCallbackQuery")) == 1


async def test_help_and_about(bot: Harness) -> None:
    assert (await bot.ask(4, "/help")).text == bot.assistant.help("zh")
    assert (await bot.ask(4, "/about")).text == bot.assistant.about("zh")
    assert (await bot.ask(5, "/about", lang="en")).text == bot.assistant.about("en")


async def test_topics_then_a_topic_then_a_question_then_back(bot: Harness) -> None:
    topics = bot.assistant.topics("zh")
    listing = await bot.ask(6, "/topics")
    assert [data for _, data in listing.buttons] == [f"t:{t.fact_id}:zh" for t in topics]

    first = topics[0]
    bot.press(listing, f"t:{first.fact_id}:zh")
    await bot.fake.wait_until(lambda: len(bot.fake.replies(6)) == 2)
    edited = bot.fake.replies(6)[1]
    assert edited.method == "editMessageText" and edited.params["message_id"] == listing.result["message_id"]
    assert first.title in edited.text
    questions = bot.assistant.topic_questions(first.fact_id, "zh")
    assert edited.buttons == [(q.title, f"q:{q.fact_id}:zh") for q in questions] + [("« 全部主题", "t:*:zh")]

    bot.press(edited, f"q:{questions[0].fact_id}:zh")
    await bot.fake.wait_until(lambda: len(bot.fake.replies(6)) == 3)
    answer = bot.fake.replies(6)[2]
    assert answer.method == "sendMessage"
    assert answer.text == bot.assistant.answer_fact(questions[0].fact_id, Session(), lang="zh").text

    bot.press(edited, "t:*:zh")
    await bot.fake.wait_until(lambda: len(bot.fake.replies(6)) == 4)
    assert bot.fake.replies(6)[3].buttons == listing.buttons
    assert len(bot.fake.of("answerCallbackQuery")) == 3


async def test_lang_switches_command_replies_and_explains_itself(bot: Harness) -> None:
    assert (await bot.ask(7, "/lang en")).text == "OK, I'll answer in English from now on."
    assert (await bot.ask(7, "/help")).text == bot.assistant.help("en")
    assert "Usage: /lang zh or /lang en" in (await bot.ask(7, "/lang")).text
    assert "Usage" in (await bot.ask(7, "/lang fr")).text
    assert (await bot.ask(7, "/lang zh")).text == "好的，之后用中文回答。"
    assert (await bot.ask(7, "/topics")).buttons[0][1].endswith(":zh")
    # another chat keeps its own language
    assert (await bot.ask(8, "/help")).text == bot.assistant.help("zh")


async def test_unknown_command_points_to_help(bot: Harness) -> None:
    assert "/help" in (await bot.ask(9, "/frobnicate")).text


async def test_commands_in_groups_for_this_bot_only(bot: Harness) -> None:
    reply = await bot.ask(-100, f"/help@{BOT_USERNAME}", user_id=11)
    assert reply.text == bot.assistant.help("zh")
    assert reply.params["reply_parameters"]["message_id"] > 0
    bot.message(-100, "/help@some_other_bot", user_id=11)
    bot.message(-100, "/frobnicate", user_id=11)
    await bot.settle()
    assert len(bot.fake.replies(-100)) == 1
    assert (await bot.ask(-100, "/about", user_id=11)).text == bot.assistant.about("zh")
