"""Fixtures of the web tests: the app over the real facts, in-process (httpx's ASGI transport)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.storage.feedback import FeedbackLog
from jinshui_qa.storage.question_log import QuestionLog
from jinshui_qa.web.app import create_app
from jinshui_qa.web.settings import WebSettings

SECRET = b"test-secret-0123456789abcdef"
ORIGIN = "http://widget-host.test"


class Clock:
    """A settable clock, so token expiry and the rate limiter can be tested without waiting."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_client(assistant: Assistant, tmp_path: Path, clock: Clock) -> Callable[..., httpx.AsyncClient]:
    """``make_client(address=..., log=True, **settings)``: a client of a fresh app."""

    def make(address: str = "203.0.113.7", *, log: bool = True, feedback: bool = True,
             secret: bytes = SECRET, **overrides: Any) -> httpx.AsyncClient:  # fmt: skip
        settings = WebSettings(secret=secret, origins=(ORIGIN,), **overrides)
        questions = QuestionLog.in_dir(tmp_path / "data") if log else None
        votes = (
            FeedbackLog.in_dir(tmp_path / "data", hasher=questions.user_hash)
            if questions and feedback
            else None
        )
        app = create_app(lambda: assistant, settings, recorder=questions, feedback=votes, clock=clock)
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        return httpx.AsyncClient(transport=transport, base_url="http://testserver")

    return make


@pytest.fixture
async def client(make_client: Callable[..., httpx.AsyncClient]) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client() as c:
        yield c
