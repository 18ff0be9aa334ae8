"""Long polling that confirms an update to Telegram only once it has been handled.

python-telegram-bot's own ``Updater`` confirms every update it fetched with the next ``getUpdates``, at
once: stopping with a backlog then loses whatever was fetched but not yet answered, for good. Here an
update counts as confirmed only when the :class:`~jinshui_qa.telegram.ledger.UpdateLedger` holds it
(``PerChatProcessor`` notes it there once its handler finished), and ``getUpdates`` is always called with
the lowest update id still in flight as its ``offset``. At most ``window`` updates are in flight, which
bounds the work a stop has to drain (``window`` replies at Telegram's ~30 messages a second).

Updates fetched again (in flight, or handled before a restart) are skipped by id. An update
python-telegram-bot cannot parse is logged once by id and type of error (never its content: it holds
names and texts), noted as handled and passed; network trouble backs off exponentially up to 30 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from typing import Any

from telegram import Update
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError
from telegram.request import BaseRequest, RequestData
from telegram.request._requestparameter import RequestParameter  # the Bot API form encoding PTB uses

from jinshui_qa.telegram.ledger import UpdateLedger

log = logging.getLogger(__name__)
ALLOWED_UPDATES = ("message", "callback_query")  # what the handlers answer; nothing else is fetched
DEFAULT_WINDOW = 100
BUSY_POLL = 0.25  # seconds between getUpdates while updates are in flight
MAX_BACKOFF = 30.0
App = Any  # telegram.ext.Application with any type arguments


class Poller:
    """``getUpdates`` in a task of its own, feeding ``app.update_queue``; see the module docstring."""

    def __init__(self, app: App, ledger: UpdateLedger, request: BaseRequest, *, timeout: int = 10,
                 window: int = DEFAULT_WINDOW) -> None:  # fmt: skip
        self.app, self.ledger, self.request = app, ledger, request
        self.timeout = timeout
        self.window = window
        self.inflight: set[int] = set()
        self.next_offset = ledger.floor
        self.failures = 0
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        ledger.listeners.append(self._handled)

    @property
    def offset(self) -> int:
        """What ``getUpdates`` confirms: every update below it was handled."""
        return min(self.inflight, default=self.next_offset)

    def _handled(self, update_id: int) -> None:
        self.inflight.discard(update_id)
        self.ledger.advance(self.offset)
        if len(self.inflight) <= self.window // 2:
            self._wake.set()

    # -- lifecycle ----------------------------------------------------------------------------------
    async def start(self) -> None:
        await self.request.initialize()
        self._task = asyncio.create_task(self._run(), name="jinshui-qa getUpdates")

    async def stop_fetching(self) -> None:
        """No more updates are taken; those in flight go on (``Application.stop`` waits for them)."""
        task, self._task = self._task, None
        self._stopping = True  # asyncio.wait_for can swallow a cancellation (Python < 3.12)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def close(self) -> None:
        """Confirm what was handled (one short ``getUpdates``), save the ledger, close the connection."""
        self.ledger.advance(self.offset)
        try:
            await self._get_updates(self.offset, limit=1, timeout=0)
        except (TelegramError, TimeoutError) as exc:  # the ledger still skips them after a restart
            log.warning("could not confirm the handled updates to Telegram (%s)", exc)
        finally:
            self.ledger.close()
            await self.request.shutdown()

    # -- the loop -----------------------------------------------------------------------------------
    async def _run(self) -> None:
        while not self._stopping:
            if len(self.inflight) > self.window // 2:
                self._wake.clear()
                await self._wake.wait()  # a handled update wakes us once half the window is free
                continue
            try:
                raw = await self._get_updates(self.offset, limit=self.window,
                                              timeout=0 if self.inflight else self.timeout)  # fmt: skip
            except (TelegramError, TimeoutError) as exc:
                await self._back_off(exc)
                continue
            except Exception as exc:  # a bug here must not stop polling for every chat
                log.exception("getUpdates failed unexpectedly")
                await self._back_off(exc)
                continue
            self.failures = 0
            fresh = await self._take(raw)
            if not fresh and self.inflight:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):  # a long poll would return the ones in flight
                    async with asyncio.timeout(BUSY_POLL):  # at once, so look again a little later
                        await self._wake.wait()

    async def _take(self, raw: list[Any]) -> int:
        """Queue the updates not seen before; returns how many."""
        fresh = 0
        for item in raw:
            update_id = item.get("update_id") if isinstance(item, dict) else None
            if not isinstance(update_id, int):
                log.warning("skipping an item of getUpdates without an update id")
                continue
            self.next_offset = max(self.next_offset, update_id + 1)
            if update_id in self.inflight or self.ledger.seen(update_id):
                continue
            try:
                update = Update.de_json(item, self.app.bot)
            except Exception as exc:  # never log the item: it holds names and texts
                log.warning("skipping update %d: python-telegram-bot cannot parse it (%s)",
                            update_id, type(exc).__name__)  # fmt: skip
                self.ledger.done(update_id)
                continue
            self.inflight.add(update_id)
            fresh += 1
            await self.app.update_queue.put(update)
        if not self.inflight:
            self.ledger.advance(self.offset)
        return fresh

    async def _get_updates(self, offset: int, *, limit: int, timeout: int) -> list[Any]:
        params = {
            "offset": offset,
            "limit": limit,
            "timeout": timeout,
            "allowed_updates": list(ALLOWED_UPDATES),
        }
        data = RequestData([RequestParameter(k, v, None) for k, v in params.items()])
        result = await self.request.post(f"{self.app.bot.base_url}/getUpdates", data,
                                         read_timeout=timeout + 10.0)  # fmt: skip
        return result if isinstance(result, list) else []

    async def _back_off(self, exc: BaseException) -> None:
        if isinstance(exc, InvalidToken):
            log.error("Telegram rejected the token while polling (%s); retrying slowly", exc)
        elif isinstance(exc, Conflict):
            log.warning("Telegram reports a conflict (%s): another instance is polling with this token "
                        "or a webhook is set; retrying", exc)  # fmt: skip
        else:
            log.warning("network error talking to Telegram while polling (%s); will retry", exc)
        asked = exc.retry_after if isinstance(exc, RetryAfter) else 0
        delay = asked.total_seconds() if isinstance(asked, dt.timedelta) else float(asked)
        delay = max(delay, min(MAX_BACKOFF, 0.5 * 2**self.failures))
        self.failures += 1
        await asyncio.sleep(delay)
