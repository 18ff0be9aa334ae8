"""The admins' side of the Telegram bot: ``/reload``, ``/stats`` and notices about edits to the facts.

Admins are the user ids of ``JQA_ADMIN_IDS``; anyone else gets a polite "not allowed". The facts watcher
(:class:`~jinshui_qa.facts.live.LiveAssistant`) calls :meth:`Admins.on_problems` and :meth:`Admins.on_reload`
in its own thread; they hop to the bot's event loop with :func:`asyncio.run_coroutine_threadsafe` and
message every admin from there, in the language of the admin's last admin command (Chinese until one).
``/reload`` replies to the admin who sent it instead, so nobody hears of the same problems twice.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from telegram import Bot, BotCommandScopeChat, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from jinshui_qa.errors import Problem
from jinshui_qa.facts.live import LiveAssistant, Reloaded
from jinshui_qa.facts.schema import Lang
from jinshui_qa.maintenance.usage_report import stats_text
from jinshui_qa.ports import FlushingRecorder
from jinshui_qa.telegram.handlers import BotHandlers, Context
from jinshui_qa.telegram.texts import ADMIN_COMMANDS, COMMANDS, fit, say

log = logging.getLogger(__name__)
MAX_PROBLEMS = 20
STOP_TIMEOUT = 5.0


def problem_lines(problems: list[Problem], limit: int = MAX_PROBLEMS) -> str:
    """Problems as ``file:line: message`` lines, the first ``limit`` of them."""
    lines = [str(p) for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"… (+{len(problems) - limit})")
    return "\n".join(lines)


class Admins:
    """``/reload`` and ``/stats`` for the admins, and the watcher's news sent to them."""

    def __init__(self, admin_ids: frozenset[int], handlers: BotHandlers, *, live: LiveAssistant | None,
                 log_path: Path, notify_reloads: bool = True) -> None:  # fmt: skip
        self.admin_ids = admin_ids
        self.handlers = handlers
        self.live = live
        self.log_path = log_path
        self.notify_reloads = notify_reloads
        self._langs: dict[int, Lang] = {}  # each admin's language, from the last admin command they sent
        self._loop: asyncio.AbstractEventLoop | None = None
        self._bot: Bot | None = None
        self._pending: set[concurrent.futures.Future[None]] = set()
        self._forced = threading.local()  # set while /reload runs: its callbacks are the sender's business

    # -- lifecycle (the application's post_init and post_stop) ---------------------------------------
    async def started(self, bot: Bot) -> None:
        """Bind to the running loop, show the admin commands to the admins only, start the watcher."""
        self._loop, self._bot = asyncio.get_running_loop(), bot
        for admin in sorted(self.admin_ids):
            for lang in ("en", "zh"):
                commands = COMMANDS[lang] + ADMIN_COMMANDS[lang]
                code = None if lang == "en" else lang
                try:
                    await bot.set_my_commands(commands, scope=BotCommandScopeChat(admin), language_code=code)
                except TelegramError as exc:  # e.g. the admin never opened a chat with the bot
                    log.warning(
                        "could not show the admin commands to admin %s (%s)", self.handlers.who(admin), exc
                    )
                    break
        if self.live is not None:
            self.live.start()

    async def stopped(self) -> None:
        """Stop the watcher, then let the notices already on their way finish (a few seconds at most)."""
        if self.live is not None:
            await asyncio.to_thread(self.live.stop)
        self._loop = None
        pending = [asyncio.wrap_future(f) for f in list(self._pending)]
        if pending:
            await asyncio.wait(pending, timeout=STOP_TIMEOUT)

    # -- commands -----------------------------------------------------------------------------------
    async def _allowed(self, update: Update, context: Context) -> Lang | None:
        """The sender's language if they are an admin; otherwise None, after saying "not allowed"."""
        if not await self.handlers._admit(update, context):
            return None
        user, lang = update.effective_user, self.handlers._lang(update)
        chat = update.effective_chat
        private = chat is not None and chat.type == ChatType.PRIVATE  # in a group, others would read it
        if user is None or user.id not in self.admin_ids or not private:
            log.info(
                "refused an admin command (%s)",
                "not in a private chat" if user and user.id in self.admin_ids else "not an admin",
            )
            await self.handlers._send(update, context, say("not_allowed", lang))
            return None
        self._langs[user.id] = lang
        return lang

    async def reload(self, update: Update, context: Context) -> None:
        """/reload: load and validate the facts now; "reloaded: N facts", or the problems."""
        lang = await self._allowed(update, context)
        if lang is None:
            return
        if self.live is None:
            await self.handlers._send(update, context, say("no_live", lang))
            return
        problems = await asyncio.to_thread(self._forced_reload, self.live)
        if problems:
            text = say("not_reloaded", lang, problems=problem_lines(problems))
        else:
            text = say("reloaded", lang, count=str(len(self.live().base.facts)))
        await self.handlers._send(update, context, text)

    def _forced_reload(self, live: LiveAssistant) -> list[Problem]:
        self._forced.active = True  # the callbacks run in this thread, inside reload()
        try:
            return live.reload()
        finally:
            self._forced.active = False

    async def stats(self, update: Update, context: Context) -> None:
        """/stats: the last seven days of the question log in a few lines."""
        lang = await self._allowed(update, context)
        if lang is None:
            return
        titles = {t.id: t.title.get(lang) for t in self.handlers.source().base.topics}
        text = await asyncio.to_thread(self._stats_text, lang, titles)
        await self.handlers._send(update, context, text)

    def _stats_text(self, lang: Lang, titles: dict[str, str]) -> str:
        """In a worker thread: write the questions still queued, then read the log."""
        recorder = self.handlers.recorder
        if isinstance(recorder, FlushingRecorder):
            recorder.flush(timeout=STOP_TIMEOUT)
        return stats_text(self.log_path, lang, topic_titles=titles)

    # -- the watcher's news (called in the watcher thread) -------------------------------------------
    def on_problems(self, problems: list[Problem]) -> None:
        """An edit did not validate: tell every admin, with each problem as ``file:line: message``."""
        if not getattr(self._forced, "active", False):
            lines = problem_lines(problems)
            self._post(lambda lang: say("edit_invalid", lang, problems=lines))

    def on_reload(self, event: Reloaded) -> None:
        """A valid edit was swapped in: a short note to every admin."""
        if self.notify_reloads and not getattr(self._forced, "active", False):
            count, added, removed = len(event.assistant.base.facts), len(event.added), len(event.removed)
            self._post(
                lambda lang: say(
                    "edit_reloaded", lang, count=str(count), added=str(added), removed=str(removed)
                )
            )

    def _post(self, text: Callable[[Lang], str]) -> None:
        """Run the broadcast in the bot's loop; without a running bot the watcher's log line must do."""
        loop = self._loop
        if not self.admin_ids or loop is None or loop.is_closed():
            return
        coroutine = self._broadcast(text)
        try:
            future = asyncio.run_coroutine_threadsafe(coroutine, loop)
        except RuntimeError:  # the loop closed in between
            coroutine.close()
            return
        self._pending.add(future)
        future.add_done_callback(self._pending.discard)

    async def _broadcast(self, text: Callable[[Lang], str]) -> None:
        bot = self._bot
        if bot is None:
            return
        for admin in sorted(self.admin_ids):
            try:
                await bot.send_message(admin, fit(text(self._langs.get(admin, "zh"))))
            except TelegramError as exc:
                log.warning("could not notify admin %s about the facts (%s)", self.handlers.who(admin), exc)
