"""The Telegram bot never sends back a control character the user typed (a compound reply quotes the
parts it could not answer)."""

from __future__ import annotations

from tests.conversation.test_echoed_controls import CONTROLS, HOSTILE, QUESTIONS
from tests.support.telegram_harness import Harness


async def test_the_telegram_reply_has_no_control_character(bot: Harness) -> None:
    for chat, hostile in enumerate(HOSTILE, 400):
        sent = await bot.ask(chat, QUESTIONS[0].format(x=hostile))
        assert "723" in sent.text and not CONTROLS.search(sent.text.replace("\n", "")), repr(sent.text)
