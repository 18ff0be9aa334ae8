"""The web channel routes off the event loop: a question still being routed holds up no other request."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import httpx

from jinshui_qa.conversation.assistant import Assistant, Session
from jinshui_qa.web.app import create_app
from jinshui_qa.web.settings import WebSettings
from tests.support.gated import FAST, SLOW, Gated
from tests.web.conftest import ORIGIN, SECRET


def client_for(source: Callable[[], object], address: str) -> httpx.AsyncClient:
    settings = WebSettings(secret=SECRET, origins=(ORIGIN,), rate_per_minute=10_000, rate_burst=1_000)
    app = create_app(source, settings)  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(address, 40000)),
                             base_url="http://testserver")  # fmt: skip


async def test_a_question_being_routed_holds_up_no_other_request(
    assistant: Assistant, tmp_path: Path
) -> None:
    gated = Gated(assistant)
    async with client_for(lambda: gated, "203.0.113.8") as client:
        slow = asyncio.create_task(client.post("/api/ask", json={"question": SLOW}))
        while ("start", SLOW) not in gated.log:
            await asyncio.sleep(0.01)
        health = await client.get("/healthz")
        fast = await client.post("/api/ask", json={"question": FAST})
        assert health.status_code == 200 and fast.status_code == 200
        assert fast.json()["reply"] == assistant.reply(FAST, Session()).text
        assert not slow.done() and ("end", SLOW) not in gated.log  # answered while the slow one waits
        gated.release.set()
        answered = await slow
    assert answered.json()["reply"] == assistant.reply(SLOW, Session()).text


async def test_concurrent_turns_keep_each_conversation_right(assistant: Assistant) -> None:
    """Many conversations at once in the worker threads: each follow-up is read in its own context."""
    async with client_for(lambda: assistant, "203.0.113.9") as client:
        firsts = ["金水区有多少家高新技术企业？", "今年谋划了多少个重点项目？"] * 10

        async def conversation(first: str) -> tuple[str, str]:
            one = (await client.post("/api/ask", json={"question": first})).json()
            two = await client.post("/api/ask", json={"question": "总投资呢？", "context": one["context"]})
            return first, two.json()["reply"]

        results = await asyncio.gather(*(conversation(first) for first in firsts))
    for first, follow_up in results:
        session = Session()
        assistant.reply(first, session)
        assert follow_up == assistant.reply("总投资呢？", session).text
