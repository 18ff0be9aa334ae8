"""Webhook mode: Telegram's POSTs with the secret token are handled; others are refused with 403."""

from __future__ import annotations

import json
import socket

import aiohttp

from jinshui_qa.conversation.assistant import Session
from jinshui_qa.telegram.app import WebhookOptions
from tests.support.telegram_harness import BotFactory

SECRET = "webhook-secret_123"
QUESTION = "金水区有多少家高新技术企业？"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def update(update_id: int, chat_id: int, text: str) -> dict[str, object]:
    return {"update_id": update_id, "message": {"message_id": update_id, "date": 1_700_000_000, "text": text,
            "chat": {"id": chat_id, "type": "private"}, "from": {"id": chat_id, "is_bot": False, "first_name": "W"}}}  # fmt: skip


async def test_webhook_receives_updates_and_rejects_requests_without_the_secret(make_bot: BotFactory) -> None:
    options = WebhookOptions("https://bot.example.com/tg/hook", SECRET, listen="127.0.0.1", port=free_port())
    async with make_bot(webhook=options) as bot, aiohttp.ClientSession() as http:
        registered = bot.fake.of("setWebhook")
        assert [(c.params["url"], c.params["secret_token"]) for c in registered] == [(options.url, SECRET)]
        url = f"http://127.0.0.1:{options.port}/tg/hook"
        headers = {"Content-Type": "application/json"}

        for bad in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
            async with http.post(
                url, data=json.dumps(update(1, 900, QUESTION)), headers=headers | bad
            ) as response:
                assert response.status == 403
        good = headers | {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with http.post(url, data=json.dumps(update(2, 901, QUESTION)), headers=good) as response:
            assert response.status == 200

        await bot.fake.wait_until(lambda: len(bot.fake.replies(901)) == 1)
        await bot.app.update_queue.join()
        assert bot.fake.replies(901)[0].text == bot.assistant.reply(QUESTION, Session()).text
        assert bot.fake.replies(900) == []
        assert bot.fake.of("getUpdates") == []
