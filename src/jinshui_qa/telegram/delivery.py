"""How the bot takes updates in and sends replies out: chats in parallel, each chat in order, and
requests that respect Telegram's limits and survive passing network trouble.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import AIORateLimiter, BaseUpdateProcessor

from jinshui_qa.telegram.ledger import UpdateLedger

log = logging.getLogger(__name__)
# Updates handled at once (those of one chat still one after another): a slow chat holds up no other, and
# with Telegram ~100-200 ms away, 16 sends in flight keep round trips from capping the replies per second
# below Telegram's own limit. On the local benchmark 4 and 16 measure within noise (the CPU is the limit).
DEFAULT_CONCURRENCY = 16
JSON = bool | dict[str, Any] | list[dict[str, Any]]


class RetryingRateLimiter(AIORateLimiter):
    """AIORateLimiter (Telegram's limits, RetryAfter retried) that also retries 5xx and lost connections.

    Bad requests and timeouts are not retried: the first cannot succeed, the second may have been delivered.
    """

    def __init__(
        self,
        *,
        max_retries: int = 3,
        network_retries: int = 2,
        network_retry_delay: float = 0.5,
        **limits: float,
    ) -> None:
        super().__init__(max_retries=max_retries, **limits)
        self.network_retries = network_retries
        self.network_retry_delay = network_retry_delay

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSON:
        for attempt in range(self.network_retries + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except (BadRequest, TimedOut):
                raise
            except NetworkError as exc:
                if attempt == self.network_retries:
                    raise
                delay = self.network_retry_delay * 2**attempt
                log.warning("%s failed (%s); retrying in %.1f s", endpoint, exc, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")


class PerChatProcessor(BaseUpdateProcessor):
    """Handles updates of different chats concurrently and those of one chat strictly one after another.

    With a ``ledger``, an update it already holds is skipped (delivered twice: a repeated webhook POST, a
    batch fetched again after a restart), and each update is noted there once its handlers finished.
    """

    def __init__(
        self, max_concurrent_updates: int = DEFAULT_CONCURRENCY, ledger: UpdateLedger | None = None
    ) -> None:
        super().__init__(max_concurrent_updates)
        self.ledger = ledger
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await self._once(update, coroutine)
            return
        lock, users = self._locks.get(chat.id, (asyncio.Lock(), 0))
        self._locks[chat.id] = (lock, users + 1)
        try:
            async with lock:  # asyncio.Lock wakes waiters first come, first served
                await self._once(update, coroutine)
        finally:
            lock, users = self._locks[chat.id]
            if users == 1:
                del self._locks[chat.id]
            else:
                self._locks[chat.id] = (lock, users - 1)

    async def _once(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the handlers unless the ledger says this update was handled; then note it there."""
        update_id = update.update_id if isinstance(update, Update) else None
        if self.ledger is None or update_id is None:
            await coroutine
            return
        if self.ledger.seen(update_id):
            log.info("update %d was handled before; skipping it", update_id)
            if isinstance(coroutine, Coroutine):
                coroutine.close()
            return
        await coroutine
        self.ledger.done(update_id)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
