"""Small parts: per-chat sessions, per-chat ordering, callback data and keyboards."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Chat, Message, Update

from jinshui_qa.conversation.assistant import Option, Reply
from jinshui_qa.telegram.app import PerChatProcessor
from jinshui_qa.telegram.flood import SessionStore
from jinshui_qa.telegram.texts import fit, keyboard, parse_callback, reply_keyboard


def test_sessions_are_per_chat_and_bounded() -> None:
    store = SessionStore(max_chats=3)
    first, second = store.get(1), store.get(2)
    assert store.get(1) is first and second is not first and store.get(2) is second
    store.get(3)
    store.get(1)  # 1 is now the most recent; 2 is the least
    store.get(4)  # evicts 2
    assert len(store) == 3 and store.get(1) is first
    assert store.get(2) is not second and len(store) == 3  # 2 starts afresh (and evicts 3)


def update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, "private")
    return Update(update_id, message=Message(update_id, None, chat))  # type: ignore[arg-type]


async def test_one_chat_in_order_other_chats_alongside() -> None:
    processor = PerChatProcessor(8)
    log: list[tuple[str, int]] = []
    gate, other_chat_done = asyncio.Event(), asyncio.Event()

    async def handle(name: str, chat: int, wait: bool) -> None:
        log.append(("start", chat))
        if wait:
            await gate.wait()
        log.append((name, chat))
        if chat == 2:
            other_chat_done.set()

    async with processor:
        tasks = [
            asyncio.create_task(processor.process_update(update(1, 1), handle("a1", 1, True))),
            asyncio.create_task(processor.process_update(update(2, 1), handle("a2", 1, False))),
            asyncio.create_task(processor.process_update(update(3, 2), handle("b1", 2, False))),
        ]
        await other_chat_done.wait()
        assert log == [("start", 1), ("start", 2), ("b1", 2)]  # chat 1's second waits; chat 2 does not
        gate.set()
        await asyncio.gather(*tasks)
    assert [e for e in log if e[1] == 1] == [("start", 1), ("a1", 1), ("start", 1), ("a2", 1)]
    assert processor._locks == {}


def test_callback_data() -> None:
    assert parse_callback("f:key_projects_count:en") == ("f", "key_projects_count", "en")
    assert parse_callback("t:*:zh") == ("t", "*", "zh")
    assert parse_callback("q:some_fact:xx") == ("q", "some_fact", None)
    for bad in (None, "", "f", "f:", "f::zh", "long:x:zh"):
        assert parse_callback(bad)[0] == ""


def test_keyboards_leave_out_what_telegram_would_refuse() -> None:
    markup = keyboard([("ok", "q:a:zh"), ("too long", "q:" + "x" * 70 + ":zh"), ("标" * 80, "q:b:zh")])
    assert markup is not None
    labels: list[Any] = [b.text for row in markup.inline_keyboard for b in row]
    assert labels[0] == "ok" and len(labels) == 2 and len(labels[1]) == 60 and labels[1].endswith("…")
    assert keyboard([("x", "q:" + "x" * 70)]) is None
    assert fit("a" * 5000)[-1] == "…" and len(fit("a" * 5000)) == 4096


def test_reply_keyboard() -> None:
    options = (Option("a", "A"), Option("b", "B"))
    clarify = Reply("q", "clarify", "which?", "en", options=options)
    assert [b.callback_data for row in reply_keyboard(clarify).inline_keyboard for b in row] == [
        "f:a:en",
        "f:b:en",
    ]  # type: ignore[union-attr]
    answer = Reply("q", "answer", "text", "zh", related=options * 3)
    assert len(reply_keyboard(answer).inline_keyboard) == 3  # type: ignore[union-attr]
    assert reply_keyboard(Reply("q", "fallback", "no", "zh")) is None
