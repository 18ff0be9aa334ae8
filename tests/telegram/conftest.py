"""Fixtures: a fake Bot API server, and the real bot (python-telegram-bot) polling it.

``bot.ask(chat, text)`` injects a message and returns the bot's reply; ``bot.settle()`` returns once every
injected update has been fetched and fully handled, so "no reply" can be asserted without sleeping.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from jinshui_qa.bootstrap import bootstrap
from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.telegram.app import WebhookOptions, build_application, running
from jinshui_qa.telegram.settings import Settings
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.telegram_harness import SECRET_PART, TOKEN, BotFactory, Harness


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Calls to 127.0.0.1 must not go through a proxy; no real settings may leak in from the environment."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_URL", "JQA_WEBHOOK_SECRET", "JQA_ADMIN_IDS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # as `jinshui-qa bot` does: no deprecation warning on a 429


@pytest.fixture(autouse=True)
def _token_never_logged(caplog: pytest.LogCaptureFixture) -> Any:
    """Every test doubles as a leak test: the token's secret never appears in a captured log line."""
    caplog.set_level(logging.DEBUG)
    yield
    leaked = [
        r.name for r in caplog.records if SECRET_PART in r.getMessage() or SECRET_PART in (r.exc_text or "")
    ]
    assert not leaked, f"token logged by {leaked}"
    assert SECRET_PART not in caplog.text


@pytest.fixture(scope="session")
def assistant() -> Assistant:
    return bootstrap()


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotAPI]:
    api = FakeBotAPI(TOKEN)
    await api.start()
    yield api
    await api.close()


@pytest.fixture
def make_bot(fake: FakeBotAPI, assistant: Assistant, tmp_path: Path) -> BotFactory:
    """``async with make_bot(**build_application_kwargs) as bot:`` runs a bot against ``fake``.

    ``admins`` and ``data_dir`` (default: a fresh directory) go into the bot's settings.
    """

    @asynccontextmanager
    async def factory(
        *,
        webhook: WebhookOptions | None = None,
        source: Any = None,
        admins: frozenset[int] = frozenset(),
        data_dir: Path | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[Harness]:
        settings = Settings(
            token=TOKEN,
            api_url=f"http://127.0.0.1:{fake.port}",
            admin_ids=admins,
            data_dir=data_dir or tmp_path / "bot-data",
        )
        app = build_application(settings, source or (lambda: assistant), **kwargs)
        async with running(app, webhook):
            yield Harness(fake, app, assistant)

    return factory


@pytest.fixture
async def bot(make_bot: BotFactory) -> AsyncIterator[Harness]:
    async with make_bot() as harness:
        yield harness
