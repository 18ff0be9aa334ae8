"""Telegram handlers: each turns one update into a core call and the reply back into Telegram.

Nothing here decides an answer; :class:`~jinshui_qa.conversation.assistant.Assistant` does. A chat's session lives in
:class:`SessionStore`, keyed by chat id; updates of one chat are handled one at a time and in order
(see ``delivery.PerChatProcessor``), so a session is never used by two updates at once. The core call
itself runs off the event loop (``offload.ThreadReplies``); a photo or document is answered by its
caption, a button press by :mod:`jinshui_qa.telegram.buttons`.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import replace

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from jinshui_qa.conversation.assistant import Reply, Session
from jinshui_qa.facts.schema import Lang
from jinshui_qa.ports import AssistantSource, QuestionRecorder
from jinshui_qa.storage.feedback import FeedbackLog, feedback_for, new_question_id
from jinshui_qa.storage.user_hash import log_tag
from jinshui_qa.telegram.buttons import press
from jinshui_qa.telegram.flood import ALLOW, NOTIFY, FloodGuard, SessionStore
from jinshui_qa.telegram.offload import Kind, Replies, ThreadReplies
from jinshui_qa.telegram.texts import (
    MAX_MESSAGE,
    ShortIds,
    as_lang,
    chunks,
    examples_keyboard,
    fit,
    say,
    topics_keyboard,
)
from jinshui_qa.telegram.updates import acknowledge, addressed_to_bot, question_text
from jinshui_qa.telegram.votes import answer_keyboard

log = logging.getLogger(__name__)
CHANNEL = "telegram"
ALERT_CHARS = 200  # Telegram's limit on an answerCallbackQuery text
Context = ContextTypes.DEFAULT_TYPE


class BotHandlers:
    """The bot's handlers, sharing the sessions, the flood guard and the question recorder."""

    def __init__(
        self,
        source: AssistantSource,
        recorder: QuestionRecorder | None = None,
        *,
        sessions: SessionStore | None = None,
        flood: FloodGuard | None = None,
        clock: Callable[[], float] = time.monotonic,
        feedback: FeedbackLog | None = None,
        replies: Replies | None = None,
    ) -> None:
        self.source = source
        self.replies = replies if replies is not None else ThreadReplies()  # routing runs off the loop
        self.short_ids = ShortIds()
        self.recorder = recorder
        self.feedback = (
            feedback if feedback is not None else feedback_for(recorder)
        )  # 👍/👎 when votes are kept
        self.sessions = sessions if sessions is not None else SessionStore()
        self.flood = flood if flood is not None else FloodGuard()
        self.clock = clock

    # -- helpers ------------------------------------------------------------------------------------
    def _lang(self, update: Update) -> Lang:
        """The chat's chosen language, else the user's Telegram language, else Chinese."""
        chat, user = update.effective_chat, update.effective_user
        chosen = self.sessions.get(chat.id).lang if chat else None
        code = (user.language_code or "").lower() if user else ""
        return chosen or ("en" if code and not code.startswith("zh") else "zh")

    def who(self, user_or_chat_id: int) -> str:
        """A user (or chat) as log lines show it: the question log's keyed hash, shortened; never the id."""
        return log_tag(getattr(self.recorder, "user_hash", None), user_or_chat_id)

    async def _admit(self, update: Update, context: Context) -> bool:
        """Flood check for the sender: True to go on; the first message over the limit gets one notice."""
        user, chat = update.effective_user, update.effective_chat
        if user is None:
            return True
        verdict = self.flood.check(user.id, self.clock())
        if verdict is NOTIFY:
            log.info("flood: muting %s for %.0f s", self.who(user.id), self.flood.window)
            if update.callback_query is not None:
                await acknowledge(update.callback_query, say("flood", self._lang(update)))
            elif chat is not None:
                await context.bot.send_message(chat.id, say("flood", self._lang(update)))
        elif verdict is not ALLOW and update.callback_query is not None:
            await acknowledge(update.callback_query)
        return verdict is ALLOW

    async def _send(
        self, update: Update, context: Context, text: str, markup: InlineKeyboardMarkup | None = None
    ) -> None:
        """Send ``text`` to the update's chat; in groups as a reply to the message that asked."""
        chat, message = update.effective_chat, update.message
        if chat is None:
            return
        quote = None
        if message is not None and chat.type != ChatType.PRIVATE:
            quote = ReplyParameters(message.message_id, allow_sending_without_reply=True)
        parts = chunks(text)  # a long multi-part answer goes out as several messages, in order
        for n, part in enumerate(parts, 1):
            last = n == len(parts)
            await context.bot.send_message(
                chat.id, part, reply_markup=markup if last else None, reply_parameters=quote
            )

    async def _respond(self, update: Update, context: Context, kind: Kind, value: str,
                       lang: Lang | None = None, edit: object = None) -> None:  # fmt: skip
        """One turn on the chat's session, computed off the event loop (``self.replies``); send (or edit
        into ``edit``) the reply, then log it.

        The recorder runs here, on the event loop, once the reply is out: it only queues the row (see
        ``ports.QuestionRecorder``); a thread of its own writes the log.
        """
        chat = update.effective_chat
        session = self.sessions.get(chat.id) if chat else Session()
        assistant = self.source()
        started = time.perf_counter()
        reply = await self.replies(assistant, kind, value, session, self.clock(), lang)
        latency_ms = (time.perf_counter() - started) * 1000
        if self.feedback is not None and reply.status == "answer":
            reply = replace(reply, question_id=new_question_id())
        try:
            await self._deliver(update, context, reply, edit)
        finally:
            if self.recorder is not None:
                user_id = update.effective_user.id if update.effective_user else None
                try:
                    self.recorder.record(channel=CHANNEL, user_id=user_id, reply=reply, latency_ms=latency_ms)
                except Exception:
                    log.exception("the question recorder failed; the answer is sent anyway")

    async def _deliver(self, update: Update, context: Context, reply: Reply, edit: object) -> None:
        """Send the reply, or edit it into ``edit``; a button on an inline message (no chat to send to)
        gets it edited into that message, else shown as an alert (at most 200 characters)."""
        markup, query = answer_keyboard(reply), update.callback_query
        fits = len(reply.text) <= MAX_MESSAGE
        if update.effective_chat is None and query is not None:
            if fits and await self._edit(query, reply.text, markup):
                await acknowledge(query)
            else:
                alert = reply.text if len(reply.text) <= ALERT_CHARS else reply.text[: ALERT_CHARS - 1] + "…"
                await acknowledge(query, alert, alert=True)
        elif edit is None or not fits or not await self._edit(edit, reply.text, markup):
            await self._send(update, context, reply.text, markup)

    # -- commands -----------------------------------------------------------------------------------
    async def start(self, update: Update, context: Context) -> None:
        """/start: the greeting in the user's language, with example questions as buttons."""
        if await self._admit(update, context):
            lang, assistant = self._lang(update), self.source()
            await self._send(
                update, context, assistant.greeting(lang), examples_keyboard(assistant.examples(lang), lang)
            )

    async def help(self, update: Update, context: Context) -> None:
        """/help: how to ask, and the commands."""
        if await self._admit(update, context):
            await self._send(update, context, self.source().help(self._lang(update)))

    async def about(self, update: Update, context: Context) -> None:
        """/about: the source report and how current the facts are."""
        if await self._admit(update, context):
            await self._send(update, context, self.source().about(self._lang(update)))

    async def topics(self, update: Update, context: Context) -> None:
        """/topics: the topics as buttons."""
        if await self._admit(update, context):
            lang = self._lang(update)
            await self._send(
                update, context, say("topics", lang), topics_keyboard(self.source().topics(lang), lang)
            )

    async def lang(self, update: Update, context: Context) -> None:
        """/lang zh|en: the language of command replies and button answers in this chat."""
        if not await self._admit(update, context) or update.effective_chat is None:
            return
        chosen = as_lang((context.args or [""])[0].strip().lower())
        if chosen is None:
            await self._send(update, context, say("lang_usage", self._lang(update)))
            return
        session = self.sessions.get(update.effective_chat.id)
        session.lang, session.reply_lang = chosen, None  # the command wins over a language asked in a message
        await self._send(update, context, say("lang_set", chosen))

    async def unknown_command(self, update: Update, context: Context) -> None:
        """Any other command: point to /help (in groups only when addressed to this bot)."""
        message = update.message
        if message is None or message.text is None or update.effective_chat is None:
            return
        command = message.text.split()[0]
        group = update.effective_chat.type != ChatType.PRIVATE
        if group and not command.lower().endswith(f"@{context.bot.username.lower()}"):
            return
        if await self._admit(update, context):
            await self._send(update, context, say("unknown_command", self._lang(update)))

    # -- messages -----------------------------------------------------------------------------------
    async def text(self, update: Update, context: Context) -> None:
        """A text message, or a photo or document with a caption: answer the text (the caption), in
        groups only when it mentions the bot or replies to it."""
        message, chat = update.message, update.effective_chat
        text = question_text(message) if message is not None else None
        if message is None or text is None or chat is None:
            return
        if chat.type != ChatType.PRIVATE:
            if not addressed_to_bot(message, context.bot.id, context.bot.username):
                return
            text = re.sub(f"@{re.escape(context.bot.username)}", " ", text, flags=re.IGNORECASE).strip()
        if not await self._admit(update, context):
            return
        await self._respond(update, context, "text", text)

    async def not_text(self, update: Update, context: Context) -> None:
        """A photo, sticker, voice message, location...: a short polite note in private chats only."""
        chat = update.effective_chat
        if chat is None or chat.type != ChatType.PRIVATE or not await self._admit(update, context):
            return
        lang = self._lang(update)
        await self._send(update, context, say("non_text", lang, example=self.source().examples(lang)[0]))

    async def ignore(self, update: Update, context: Context) -> None:
        """Edited messages and channel posts: replying would be noise, so nothing happens."""
        log.debug("ignoring update %s (edited message or channel post)", update.update_id)

    # -- buttons ------------------------------------------------------------------------------------
    async def button(self, update: Update, context: Context) -> None:
        """An inline button: see :func:`jinshui_qa.telegram.buttons.press`."""
        await press(self, update, context)

    async def _edit(self, message: object, text: str, markup: InlineKeyboardMarkup | None) -> bool:
        """Replace a message the bot sent (a :class:`Message`, or the :class:`CallbackQuery` of a button
        on an inline message); False when Telegram refuses (too old, deleted, inaccessible)."""
        if isinstance(message, CallbackQuery) and message.inline_message_id is None:
            message = message.message
        if not isinstance(message, Message | CallbackQuery):
            return False
        try:
            if isinstance(message, Message):
                await message.edit_text(fit(text), reply_markup=markup)
            else:
                await message.edit_message_text(fit(text), reply_markup=markup)
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return True
            log.info("could not edit a message (%s); sending a new one", exc)
            return False
        return True

    # -- errors -------------------------------------------------------------------------------------
    async def error(self, update: object, context: Context) -> None:
        """Log a failure without secrets and, when a chat is waiting, say that something went wrong."""
        error = context.error
        if isinstance(error, Conflict):
            log.warning(
                "Telegram reports a conflict (%s): another instance is polling with this token or a "
                "webhook is set; retrying",
                error,
            )
        elif isinstance(error, RetryAfter):
            log.warning("Telegram asked to slow down (%s)", error)
        elif isinstance(error, NetworkError) and not isinstance(error, BadRequest):
            log.warning("network error talking to Telegram (%s); will retry", error)
        elif isinstance(error, Forbidden):
            log.info("Telegram refused to deliver (%s): the user blocked the bot or left the chat", error)
        else:
            what = f"update {update.update_id}" if isinstance(update, Update) else "the bot"
            log.error("error while handling %s", what, exc_info=error)
        if not isinstance(update, Update) or update.effective_chat is None or isinstance(error, Forbidden):
            return
        try:
            await context.bot.send_message(update.effective_chat.id, say("error", self._lang(update)))
        except TelegramError as exc:
            log.warning("could not tell %s about the error (%s)", self.who(update.effective_chat.id), exc)
