"""A fake Telegram Bot API server on 127.0.0.1 (aiohttp) that the real python-telegram-bot client talks to.

It implements getMe, setMyCommands, deleteWebhook, setWebhook, getUpdates (offsets, long poll),
sendMessage, editMessageText and answerCallbackQuery; records every call; and can inject failures
(429 with retry_after, 500, 409, slow replies). Tests wait on :meth:`FakeBotAPI.wait_until`, which wakes
on every change, instead of sleeping.
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 4242
BOT_USERNAME = "jinshui_test_bot"
REPLY_METHODS = ("sendMessage", "editMessageText")
JSON_PARAMS = {
    "chat_id",
    "message_id",
    "offset",
    "timeout",
    "limit",
    "reply_markup",
    "commands",
    "entities",
    "reply_parameters",
    "link_preview_options",
    "allowed_updates",
    "show_alert",
    "scope",
}


@dataclass
class Call:
    """One request the bot made: the method and its decoded parameters."""

    method: str
    params: dict[str, Any]
    result: Any = None

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """``(label, callback data)`` of the inline keyboard, row by row."""
        markup = self.params.get("reply_markup") or {}
        return [
            (b["text"], b.get("callback_data", "")) for row in markup.get("inline_keyboard", []) for b in row
        ]


@dataclass
class Fault:
    status: int | None
    times: int
    retry_after: int | None = None
    delay: float = 0.0
    description: str = ""


@dataclass
class FakeBotAPI:
    token: str
    calls: list[Call] = field(default_factory=list)
    counts: collections.Counter[str] = field(default_factory=collections.Counter)  # calls by method
    confirmed: int = 0  # highest getUpdates offset seen: updates below it reached the bot
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _faults: dict[str, list[Fault]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(10_000))
    _tick: asyncio.Event = field(default_factory=asyncio.Event)
    _closing: bool = False
    _runner: web.AppRunner | None = None
    port: int = 0

    # -- lifecycle ----------------------------------------------------------------------------------
    async def start(self) -> str:
        """Listen on 127.0.0.1 on a free port; returns the base URL for ``TELEGRAM_API_URL``."""
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]
        return f"http://127.0.0.1:{self.port}"

    async def close(self) -> None:
        self._closing = True
        self._changed()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- what tests do ------------------------------------------------------------------------------
    def add_update(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue an update for getUpdates; returns its update_id."""
        update_id = next(self._ids)
        self._updates.append({"update_id": update_id, kind: payload})
        self._changed()
        return update_id

    def fail(
        self,
        method: str,
        status: int | None = 500,
        *,
        times: int = 1,
        retry_after: int | None = None,
        delay: float = 0.0,
        description: str = "",
    ) -> None:
        """The next ``times`` calls of ``method`` fail with ``status`` (None: succeed) after ``delay``."""
        self._faults.setdefault(method, []).append(Fault(status, times, retry_after, delay, description))

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def replies(self, chat_id: int | None = None) -> list[Call]:
        """Messages sent or edited, optionally to one chat, in order."""
        return [
            c for c in self.calls if c.method in REPLY_METHODS and (chat_id is None or c.chat_id == chat_id)
        ]

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 15.0, what: str = "") -> None:
        """Return as soon as ``predicate()`` holds; re-checked on every call, update and close."""
        try:
            async with asyncio.timeout(timeout):
                while not predicate():
                    tick = self._tick
                    await tick.wait()
        except TimeoutError:
            recent = [(c.method, c.chat_id, c.text[:40]) for c in self.calls[-8:]]
            raise AssertionError(f"timed out waiting for {what or predicate}; last calls: {recent}") from None

    async def wait_fetched(self, update_id: int) -> None:
        """Until the bot has taken ``update_id`` (it asked for updates past it)."""
        await self.wait_until(lambda: self.confirmed > update_id, what=f"update {update_id} to be fetched")

    # -- the server ---------------------------------------------------------------------------------
    def _changed(self) -> None:
        self._tick.set()
        self._tick = asyncio.Event()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params = {k: _decode(k, v) for k, v in (await request.post()).items() if isinstance(v, str)}
        faults = self._faults.get(method)
        if faults:
            fault = faults[0]
            fault.times -= 1
            if fault.times <= 0:
                faults.pop(0)
            self._changed()  # a test may wait for the fault to be taken
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.status is not None:
                self.calls.append(Call(method, params, result=fault.status))
                self._changed()
                return _error(
                    fault.status, fault.description or f"injected {fault.status}", fault.retry_after
                )
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return _error(404, "Not Found")
        result = await handler(params)
        self.calls.append(Call(method, params, result))
        self.counts[method] += 1
        self._changed()
        return web.json_response({"ok": True, "result": result})

    async def _m_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Jinshui QA", "username": BOT_USERNAME}

    async def _m_setMyCommands(self, params: dict[str, Any]) -> bool:
        return True

    async def _m_deleteWebhook(self, params: dict[str, Any]) -> bool:
        return True

    async def _m_setWebhook(self, params: dict[str, Any]) -> bool:
        return True

    async def _m_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        return True

    async def _m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(next(self._message_ids), params)

    async def _m_editMessageText(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        if "inline_message_id" in params:  # an inline message: Telegram answers True, not the message
            return True
        return self._message(int(params["message_id"]), params)

    async def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(int(params["message_id"]), params)

    def _message(self, message_id: int, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "text": params.get("text", ""),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Jinshui QA", "username": BOT_USERNAME},
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    async def _m_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if offset > self.confirmed:
                self.confirmed = offset
                self._changed()
        deadline = asyncio.get_running_loop().time() + timeout
        while not self._updates and not self._closing:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                break
            tick = self._tick
            try:
                async with asyncio.timeout(remaining):
                    await tick.wait()
            except TimeoutError:
                break
        return self._updates[:limit]


def _decode(key: str, value: str) -> Any:
    """PTB sends non-string parameters JSON-encoded (numbers, objects); texts stay as they are."""
    return json.loads(value) if key in JSON_PARAMS else value


def _error(status: int, description: str, retry_after: int | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=status)
