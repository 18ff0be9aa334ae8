"""Build the Telegram application and run it: long polling, or a webhook behind a reverse proxy.

:func:`build_application` only assembles (handlers, rate limiter, per-chat ordering); :func:`running`
starts and stops it inside an event loop that is already running (tests, benchmarks, :func:`serve`);
:func:`serve` is what ``jinshui-qa bot`` runs until SIGINT or SIGTERM.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from telegram import LinkPreviewOptions
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    filters,
)

from jinshui_qa.facts.live import LiveAssistant
from jinshui_qa.ports import AssistantSource, FlushingRecorder, QuestionRecorder
from jinshui_qa.storage.question_log import LOG_FILE
from jinshui_qa.telegram.admin import Admins
from jinshui_qa.telegram.delivery import DEFAULT_CONCURRENCY, PerChatProcessor, RetryingRateLimiter
from jinshui_qa.telegram.flood import FloodGuard, SessionStore
from jinshui_qa.telegram.handlers import BotHandlers
from jinshui_qa.telegram.heartbeat import HEARTBEAT_FILE as HEARTBEAT_FILE  # re-exported for callers
from jinshui_qa.telegram.heartbeat import HEARTBEAT_SECONDS, write_heartbeat
from jinshui_qa.telegram.http import AiohttpRequest
from jinshui_qa.telegram.ledger import UpdateLedger
from jinshui_qa.telegram.offload import Replies, ThreadReplies
from jinshui_qa.telegram.polling import DEFAULT_WINDOW, Poller
from jinshui_qa.telegram.settings import Settings, protect_logs
from jinshui_qa.telegram.texts import COMMANDS
from jinshui_qa.telegram.webhook import WebhookServer

log = logging.getLogger(__name__)
T = TypeVar("T")
SWITCH_INTERVAL = 0.001  # seconds a thread may hold the GIL while another waits (see serve)


async def register_commands(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """setMyCommands in English (the default) and Chinese; a failure is logged, not fatal."""
    try:
        await app.bot.set_my_commands(COMMANDS["en"])
        await app.bot.set_my_commands(COMMANDS["zh"], language_code="zh")
    except TelegramError as exc:
        log.warning("could not register the command list (%s); commands still work", exc)


def _chain(first: Callable[[T], None] | None, then: Callable[[T], None]) -> Callable[[T], None]:
    """A callback that calls ``first`` (if any), then ``then``, even when ``first`` raised."""
    if first is None:
        return then

    def both(value: T) -> None:
        try:
            first(value)
        finally:
            then(value)

    return both


def build_application(
    settings: Settings,
    assistant_source: AssistantSource,
    recorder: QuestionRecorder | None = None,
    *,
    rate_limiter: BaseRateLimiter[Any] | None = None,
    flood: FloodGuard | None = None,
    sessions: SessionStore | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    clock: Callable[[], float] = time.monotonic,
    notify_reloads: bool = True,
    replies: Replies | None = None,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """Assemble the bot (nothing runs yet); the token is redacted from every log record from now on.

    When ``assistant_source`` is a :class:`LiveAssistant`, its watcher runs while the bot runs and tells
    the admins (``settings.admin_ids``) about invalid edits and, with ``notify_reloads``, about reloads.
    Each turn is routed off the event loop by ``replies`` (default: a bounded thread pool, see
    ``offload``). ``/stats`` reads the question log in ``settings.data_dir``. ``recorder.record`` runs on the event loop
    and must only queue (``question_writer.BackgroundQuestionLog``); a recorder with ``flush`` is flushed
    when the bot stops and before ``/stats`` reads.
    """
    protect_logs(settings.token)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines carry request URLs
    replies = replies if replies is not None else ThreadReplies()
    handlers = BotHandlers(assistant_source, recorder, sessions=sessions, flood=flood, clock=clock,
                           replies=replies)  # fmt: skip
    live = assistant_source if isinstance(assistant_source, LiveAssistant) else None
    admins = Admins(settings.admin_ids, handlers, live=live, log_path=settings.data_dir / LOG_FILE,
                    notify_reloads=notify_reloads)  # fmt: skip
    if live is not None:
        live.on_problems = _chain(live.on_problems, admins.on_problems)
        live.on_reload = _chain(live.on_reload, admins.on_reload)

    async def post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        await register_commands(app)
        await admins.started(app.bot)

    async def post_stop(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        await admins.stopped()
        await asyncio.to_thread(replies.close)  # every handler is done: no turn is in the pool
        if isinstance(recorder, FlushingRecorder):  # every handler is done: write all the questions now
            await asyncio.to_thread(recorder.flush)

    app = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .request(AiohttpRequest())
        .updater(None)  # polling.Poller and webhook.WebhookServer take updates in (see running())
        .rate_limiter(rate_limiter if rate_limiter is not None else RetryingRateLimiter())
        .concurrent_updates(PerChatProcessor(concurrency, UpdateLedger.in_dir(settings.data_dir)))
        .defaults(Defaults(link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .post_init(post_init)
        .post_stop(post_stop)
        .build()
    )
    new = filters.UpdateType.MESSAGE
    for name in ("start", "help", "topics", "about", "lang"):
        app.add_handler(CommandHandler(name, getattr(handlers, name), filters=new))
    app.add_handler(CommandHandler("reload", admins.reload, filters=new))
    app.add_handler(CommandHandler("stats", admins.stats, filters=new))
    app.add_handler(MessageHandler(new & filters.COMMAND, handlers.unknown_command))
    app.add_handler(MessageHandler(new & (filters.TEXT | filters.CAPTION), handlers.text))
    app.add_handler(MessageHandler(new & ~filters.StatusUpdate.ALL, handlers.not_text))
    app.add_handler(
        MessageHandler(filters.UpdateType.EDITED | filters.UpdateType.CHANNEL_POSTS, handlers.ignore)
    )
    app.add_handler(CallbackQueryHandler(handlers.button))
    app.add_error_handler(handlers.error)
    return app


@dataclass(frozen=True)
class WebhookOptions:
    """Where Telegram posts updates (``url``), where this process listens, and the shared secret."""

    url: str
    secret_token: str
    listen: str = "127.0.0.1"
    port: int = 8443

    @property
    def url_path(self) -> str:
        return urlsplit(self.url).path.strip("/")


async def _initialize(app: Application[Any, Any, Any, Any, Any, Any], retries: int) -> None:
    """getMe and friends; network failures are retried ``retries`` times (-1: forever) with backoff."""
    attempt = 0
    while True:
        try:
            await app.initialize()
            return
        except InvalidToken:
            raise
        except NetworkError as exc:
            if isinstance(exc, BadRequest) or 0 <= retries <= attempt:
                raise
            delay = min(30.0, 2.0**attempt)
            log.warning("cannot reach Telegram (%s); retrying in %.0f s", exc, delay)
            await asyncio.sleep(delay)
            attempt += 1


@asynccontextmanager
async def running(
    app: Application[Any, Any, Any, Any, Any, Any],
    webhook: WebhookOptions | None = None,
    *,
    poll_timeout: int = 10,
    startup_retries: int = 0,
    window: int = DEFAULT_WINDOW,
) -> AsyncIterator[None]:
    """Run the bot in the current event loop while the block runs, then stop it cleanly.

    Stopping takes no new update, lets the handlers in flight finish (at most ``window`` updates), then
    confirms them to Telegram: an update is never confirmed before it was handled (see ``polling``).
    """
    processor = app.update_processor
    ledger = processor.ledger if isinstance(processor, PerChatProcessor) else None
    ledger = ledger if ledger is not None else UpdateLedger(None)
    try:
        await _initialize(app, startup_retries)
    except BaseException:
        # Application.shutdown() skips a half-initialised bot, which would leak its connections.
        await app.bot.shutdown()
        raise
    poller = Poller(app, ledger, AiohttpRequest(1), timeout=poll_timeout, window=window)
    server = None
    if webhook is not None:
        server = WebhookServer(app, ledger, path=webhook.url_path, secret=webhook.secret_token,
                               listen=webhook.listen, port=webhook.port)  # fmt: skip
    try:
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        if server is None:
            await app.bot.delete_webhook()
            await poller.start()
        else:
            await server.start(webhook.url if webhook else "")
        log.info("bot @%s is running (%s)", app.bot.username, "webhook" if webhook else "long polling")
        yield
    finally:
        started = time.monotonic()
        await (poller.stop_fetching() if server is None else server.stop())
        if app.running:
            await app.stop()  # waits for every update already taken in
        if server is None:
            await poller.close()
        log.info(
            "stopped taking updates; the ones in flight were handled in %.1f s", time.monotonic() - started
        )
        if app.post_stop is not None:  # after post_init, even a failed start (it stops the facts watcher)
            await app.post_stop(app)
        await app.shutdown()


async def serve(
    app: Application[Any, Any, Any, Any, Any, Any],
    webhook: WebhookOptions | None = None,
    *,
    heartbeat: Path | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Run until SIGINT/SIGTERM (or ``stop`` is set), writing a heartbeat every 30 s.

    The signal handlers go in first: a signal while start-up is still retrying to reach Telegram cancels
    the start-up and returns at once (as PID 1 in a container, SIGTERM's default action is ignored).
    """
    stop = stop if stop is not None else asyncio.Event()
    # Routing threads hold the GIL; at Python's default 5 ms switch interval the event loop waits up to
    # 5 ms at each of its wake-ups (benchmarks/offloop.py, overloaded: other chats' p99 800 ms at 5 ms,
    # 564 ms at 1 ms, 1,320 ms routing on the loop). This process is the bot's own: the setting is ours.
    switch = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    loop = asyncio.get_running_loop()
    starting = asyncio.current_task()

    def on_signal() -> None:
        stop.set()
        if starting is not None:
            starting.cancel()

    signals = [sig for sig in (signal.SIGINT, signal.SIGTERM) if _on_signal(loop, sig, on_signal)]
    try:
        async with running(app, webhook, startup_retries=-1):
            starting = None  # running: a signal now stops the loop below, which stops the bot cleanly
            while not stop.is_set():
                if heartbeat is not None:
                    write_heartbeat(heartbeat)
                with suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), HEARTBEAT_SECONDS)
    except asyncio.CancelledError:
        if not stop.is_set():
            raise
        log.info("stopped before the bot was running")
        return
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)
        sys.setswitchinterval(switch)
    log.info("bot stopped")


def _on_signal(loop: asyncio.AbstractEventLoop, sig: signal.Signals, callback: Callable[[], None]) -> bool:
    try:
        loop.add_signal_handler(sig, callback)
    except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or not supported
        return False
    return True
