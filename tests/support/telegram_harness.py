"""The test side of a running bot: inject updates into the fake server and wait for what the bot does."""

from __future__ import annotations

import asyncio
import itertools
import signal
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from jinshui_qa.conversation.assistant import Assistant
from tests.support.fake_bot_api import BOT_ID, BOT_USERNAME, Call, FakeBotAPI

TOKEN = "987654321:TEST-secret_token_abcdefghijklmnopqrstu"
SECRET_PART = TOKEN.split(":", 1)[1]


def user(user_id: int, lang: str = "zh-hans") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}", "language_code": lang}


class Harness:
    """The running bot and the fake Telegram it talks to."""

    def __init__(self, fake: FakeBotAPI, app: Any, assistant: Assistant) -> None:
        self.fake, self.app, self.assistant = fake, app, assistant
        self.last_update = 0
        self.last_message_id = 0
        self._message_ids = itertools.count(1)

    def message(
        self,
        chat_id: int,
        text: str | None = None,
        *,
        user_id: int | None = None,
        lang: str = "zh-hans",
        chat_type: str | None = None,
        kind: str = "message",
        **extra: Any,
    ) -> int:
        """Inject a message (text, or what ``extra`` holds: photo, sticker...); returns the update id."""
        chat_type = chat_type or ("private" if chat_id > 0 else "supergroup")
        payload: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": 1_700_000_000,
            "chat": {
                "id": chat_id,
                "type": chat_type,
                **({} if chat_type == "private" else {"title": "Group"}),
            },
            "from": user(user_id if user_id is not None else (chat_id if chat_id > 0 else 1), lang),
            **extra,
        }
        if kind == "channel_post":
            payload.pop("from")
        if text is not None:
            payload["text"] = text
            if text.startswith("/"):
                payload.setdefault(
                    "entities", [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
                )
        self.last_message_id = payload["message_id"]
        self.last_update = self.fake.add_update(kind, payload)
        return self.last_update

    def press(self, message: Call, data: str, *, user_id: int | None = None) -> int:
        """Inject a press of the inline button ``data`` under the bot's ``message``."""
        chat_id = int(message.result["chat"]["id"])
        query = {
            "id": f"q{next(self._message_ids)}",
            "from": user(user_id or chat_id),
            "chat_instance": "ci",
            "data": data,
            "message": message.result,
        }
        self.last_update = self.fake.add_update("callback_query", query)
        return self.last_update

    def press_inline(self, data: str, *, user_id: int, inline_message_id: str = "inline-1") -> int:
        """Inject a press of the button ``data`` on an inline message (no ``message``, no chat)."""
        query = {"id": f"q{next(self._message_ids)}", "from": user(user_id), "chat_instance": "ci",
                 "data": data, "inline_message_id": inline_message_id}  # fmt: skip
        self.last_update = self.fake.add_update("callback_query", query)
        return self.last_update

    async def ask(self, chat_id: int, text: str, **kwargs: Any) -> Call:
        """Send ``text`` from ``chat_id`` and return the first reply that follows in that chat."""
        before = len(self.fake.replies(chat_id))
        self.message(chat_id, text, **kwargs)
        await self.fake.wait_until(
            lambda: len(self.fake.replies(chat_id)) > before, what=f"a reply to {text!r}"
        )
        return self.fake.replies(chat_id)[before]

    async def settle(self) -> None:
        """Until every injected update has been fetched and handled (including any replies it sends)."""
        await self.fake.wait_fetched(self.last_update)
        await self.app.update_queue.join()


BotFactory = Callable[..., AbstractAsyncContextManager[Harness]]

__all__ = ["BOT_ID", "BOT_USERNAME", "SECRET_PART", "TOKEN", "BotFactory", "Call", "Harness", "user"]


async def stop(process: asyncio.subprocess.Process) -> bytes:
    """SIGTERM a bot started as a subprocess and wait (20 s at most) for it to end; its stderr."""
    process.send_signal(signal.SIGTERM)
    _, err = await asyncio.wait_for(process.communicate(), timeout=20)
    return err


async def kill_if_running(process: asyncio.subprocess.Process) -> None:
    """For a ``finally``: a bot subprocess a failed test left running is killed and reaped."""
    if process.returncode is None:
        process.kill()
        await process.wait()
