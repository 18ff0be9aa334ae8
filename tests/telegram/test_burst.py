"""A burst of 1,000 messages from 500 chats: every one answered exactly once, in order within each chat."""

from __future__ import annotations

import logging

import pytest

from jinshui_qa.conversation.assistant import Session
from jinshui_qa.telegram.app import RetryingRateLimiter
from tests.support.telegram_harness import BotFactory

QUESTIONS = ("金水区有多少家高新技术企业？", "今年谋划了多少个重点项目？")


async def test_a_thousand_messages_from_five_hundred_chats(
    make_bot: BotFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)  # debug logs of 2,000 calls would only slow the run down
    unlimited = RetryingRateLimiter(
        overall_max_rate=0, group_max_rate=0
    )  # the bot's speed, not Telegram's cap
    async with make_bot(rate_limiter=unlimited) as bot:
        orders = {chat: QUESTIONS if chat % 2 else QUESTIONS[::-1] for chat in range(1000, 1500)}
        by_order = {}
        for order in (QUESTIONS, QUESTIONS[::-1]):
            session = Session()
            by_order[order] = [bot.assistant.reply(q, session).text for q in order]
        expected = {chat: by_order[order] for chat, order in orders.items()}
        for chat, (first, _) in orders.items():
            bot.message(chat, first)
        for chat, (_, second) in orders.items():
            bot.message(chat, second)
        await bot.fake.wait_until(
            lambda: bot.fake.counts["sendMessage"] >= 1000, timeout=40, what="1,000 replies"
        )
        await bot.settle()
        sent = bot.fake.replies()
        assert len(sent) == 1000
        assert {chat: [c.text for c in bot.fake.replies(chat)] for chat in orders} == expected
