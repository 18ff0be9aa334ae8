"""Routing runs off the event loop: a question still being routed holds up no other chat, and a chat's
own turns are still computed one at a time, in order."""

from __future__ import annotations

import threading

from jinshui_qa.conversation.assistant import Assistant, Session
from jinshui_qa.telegram.offload import InlineReplies, ThreadReplies
from tests.support.gated import FAST, SLOW, Gated
from tests.support.telegram_harness import BotFactory


async def test_a_question_being_routed_holds_up_no_other_chat(
    make_bot: BotFactory, assistant: Assistant
) -> None:
    gated = Gated(assistant)
    async with make_bot(source=lambda: gated) as bot:
        bot.message(800, SLOW)
        await bot.fake.wait_until(lambda: ("start", SLOW) in gated.log, what="the slow question to start")
        help_reply = await bot.ask(801, "/help")  # the loop answers commands meanwhile
        fast = await bot.ask(802, FAST)  # and another chat's question is routed alongside
        assert fast.text == assistant.reply(FAST, Session()).text and help_reply.text
        assert bot.fake.replies(800) == [] and ("end", SLOW) not in gated.log
        gated.release.set()
        await bot.fake.wait_until(lambda: len(bot.fake.replies(800)) == 1)
        assert bot.fake.replies(800)[0].text == assistant.reply(SLOW, Session()).text


async def test_a_chats_turns_are_still_routed_one_at_a_time_in_order(
    make_bot: BotFactory, assistant: Assistant
) -> None:
    gated = Gated(assistant)
    async with make_bot(source=lambda: gated, replies=ThreadReplies(workers=4)) as bot:
        bot.message(810, SLOW)
        bot.message(810, FAST)
        await bot.fake.wait_until(lambda: ("start", SLOW) in gated.log)
        await bot.ask(811, "/help")  # time for the second message to be taken in
        assert ("start", FAST) not in gated.log  # waits for the first turn of its chat, not beside it
        gated.release.set()
        await bot.fake.wait_until(lambda: len(bot.fake.replies(810)) == 2)
    session = Session()
    expected = [assistant.reply(SLOW, session).text, assistant.reply(FAST, session).text]
    assert [c.text for c in bot.fake.replies(810)] == expected
    assert gated.log == [("start", SLOW), ("end", SLOW), ("start", FAST), ("end", FAST)]


async def test_routing_on_the_loop_would_hold_everyone_up(make_bot: BotFactory, assistant: Assistant) -> None:
    """The baseline the thread pool replaces: with InlineReplies the other chat waits for the slow one."""
    gated = Gated(assistant)
    threading.Timer(0.5, gated.release.set).start()  # the blocked loop cannot release it itself
    async with make_bot(source=lambda: gated, replies=InlineReplies()) as bot:
        bot.message(820, SLOW)
        other = await bot.ask(821, "/help")
        await bot.fake.wait_until(lambda: len(bot.fake.replies(820)) == 1)
        assert bot.fake.calls.index(bot.fake.replies(820)[0]) < bot.fake.calls.index(other)
