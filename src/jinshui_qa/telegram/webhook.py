"""Webhook mode: an aiohttp endpoint Telegram POSTs updates to, behind the operator's reverse proxy.

Each request is checked in the cheapest order: the secret header first (403 without reading the body),
then its declared and actual size (413 over ``MAX_BODY``, about 1 MB; Telegram's updates are far
smaller), then JSON (400 when malformed or not an update). An update python-telegram-bot cannot parse
is logged by id only and acknowledged (Telegram would otherwise resend it forever); one the ledger
already holds (a repeated delivery) is acknowledged without being handled again.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from aiohttp import web
from telegram import Update

from jinshui_qa.telegram.ledger import UpdateLedger
from jinshui_qa.telegram.polling import ALLOWED_UPDATES

log = logging.getLogger(__name__)
MAX_BODY = 1 << 20
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookServer:
    """Listens on ``listen:port`` at ``/path`` and puts each accepted update on ``app.update_queue``."""

    def __init__(self, app: Any, ledger: UpdateLedger, *, path: str, secret: str, listen: str,
                 port: int) -> None:  # fmt: skip
        self.app, self.ledger = app, ledger
        self.path = "/" + path.strip("/")
        self.secret = secret.encode()
        self.listen, self.port = listen, port
        self._runner: web.AppRunner | None = None

    async def start(self, url: str) -> None:
        """Listen, then tell Telegram where to post (``setWebhook`` with the secret and update types)."""
        server = web.Application(client_max_size=MAX_BODY)
        server.router.add_post(self.path, self.handle)
        self._runner = web.AppRunner(server, access_log=None, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.listen, self.port).start()
        await self.app.bot.set_webhook(url, secret_token=self.secret.decode(),
                                       allowed_updates=list(ALLOWED_UPDATES))  # fmt: skip

    async def stop(self) -> None:
        """Stop taking updates (those queued go on: ``Application.stop`` waits for them)."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self.ledger.close()

    async def handle(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            return web.Response(status=403, text="forbidden")
        if request.content_length is not None and request.content_length > MAX_BODY:
            return web.Response(status=413, text="body too large")
        body = await request.content.read(MAX_BODY + 1)
        if len(body) > MAX_BODY:
            return web.Response(status=413, text="body too large")
        try:
            data = json.loads(body)
        except ValueError:
            return web.Response(status=400, text="malformed JSON")
        update_id = data.get("update_id") if isinstance(data, dict) else None
        if not isinstance(update_id, int):
            return web.Response(status=400, text="not an update")
        if self.ledger.seen(update_id):
            log.info("update %d was delivered again; it was handled before", update_id)
            return web.Response(text="ok")
        try:
            update = Update.de_json(data, self.app.bot)
        except Exception as exc:  # never log the update itself: it holds names and texts
            log.warning("skipping update %d: python-telegram-bot cannot parse it (%s)",
                        update_id, type(exc).__name__)  # fmt: skip
            self.ledger.done(update_id)
            return web.Response(text="ok")
        await self.app.update_queue.put(update)
        return web.Response(text="ok")
