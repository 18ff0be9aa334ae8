"""Telegram handlers: each turns one update into a core call and the reply back into Telegram.

Nothing here decides an answer; :class:`~jinshui_qa.conversation.assistant.Assistant` does. A chat's session lives in
:class:`SessionStore`, keyed by chat id; updates of one chat are handled one at a time and in order
(see ``telegram_delivery.PerChatProcessor``), so a session is never used by two updates at once.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import replace

from telegram import InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from jinshui_qa.conversation.assistant import Reply, Session
from jinshui_qa.facts.schema import Lang
from jinshui_qa.ports import AssistantSource, QuestionRecorder
from jinshui_qa.storage.feedback import FeedbackLog, feedback_for, new_question_id
from jinshui_qa.storage.user_hash import log_tag
from jinshui_qa.telegram.flood import ALLOW, NOTIFY, FloodGuard, SessionStore
from jinshui_qa.telegram.texts import (
    ALL_TOPICS,
    MAX_MESSAGE,
    as_lang,
    chunks,
    examples_keyboard,
    fit,
    parse_callback,
    questions_keyboard,
    say,
    topics_keyboard,
)
from jinshui_qa.telegram.updates import acknowledge, addressed_to_bot
from jinshui_qa.telegram.votes import VOTE_KINDS, answer_keyboard, record_vote

log = logging.getLogger(__name__)
CHANNEL = "telegram"
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
    ) -> None:
        self.source = source
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

    async def _respond(
        self, update: Update, context: Context, ask: Callable[[Session, float], Reply], edit: object = None
    ) -> None:
        """One core call on the chat's session; send (or edit into ``edit``) the reply, then log it.

        The recorder runs here, on the event loop, once the reply is out: it only queues the row (see
        ``ports.QuestionRecorder``); a thread of its own writes the log.
        """
        chat = update.effective_chat
        session = self.sessions.get(chat.id) if chat else Session()
        started = time.perf_counter()
        reply = ask(session, self.clock())
        latency_ms = (time.perf_counter() - started) * 1000
        if self.feedback is not None and reply.status == "answer":
            reply = replace(reply, question_id=new_question_id())
        try:
            fits = len(reply.text) <= MAX_MESSAGE
            if edit is None or not fits or not await self._edit(edit, reply.text, answer_keyboard(reply)):
                await self._send(update, context, reply.text, answer_keyboard(reply))
        finally:
            if self.recorder is not None:
                user_id = update.effective_user.id if update.effective_user else None
                try:
                    self.recorder.record(channel=CHANNEL, user_id=user_id, reply=reply, latency_ms=latency_ms)
                except Exception:
                    log.exception("the question recorder failed; the answer is sent anyway")

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
        self.sessions.get(update.effective_chat.id).lang = chosen
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
        """A text message: answer it (in groups only when it mentions the bot or replies to it)."""
        message, chat = update.message, update.effective_chat
        if message is None or message.text is None or chat is None:
            return
        text = message.text
        if chat.type != ChatType.PRIVATE:
            if not addressed_to_bot(message, context.bot.id, context.bot.username):
                return
            text = re.sub(f"@{re.escape(context.bot.username)}", " ", text, flags=re.IGNORECASE).strip()
        if not await self._admit(update, context):
            return
        assistant = self.source()
        await self._respond(update, context, lambda session, now: assistant.reply(text, session, now))

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
        """An inline button: answer the callback query, then send or edit in the answer it asked for."""
        query = update.callback_query
        if query is None or not await self._admit(update, context):
            return
        kind, argument, lang = parse_callback(query.data)
        lang = lang or self._lang(update)
        assistant = self.source()
        if kind in ("f", "q") and assistant.base.get(argument) is None:  # forged, or a fact removed since
            await acknowledge(query, say("expired", lang))
            markup = topics_keyboard(assistant.topics(lang), lang)
            await self._send(update, context, say("expired", lang), markup)  # not logged as a question
        elif kind in ("f", "q"):
            await acknowledge(query)
            edit = query.message if kind == "f" else None
            await self._respond(
                update, context, lambda s, now: assistant.answer_fact(argument, s, now, lang=lang), edit
            )
        elif kind == "x" and argument.isdigit() and int(argument) < len(assistant.examples(lang)):
            await acknowledge(query)
            question = assistant.examples(lang)[int(argument)]
            await self._respond(update, context, lambda session, now: assistant.reply(question, session, now))
        elif kind in VOTE_KINDS:
            user = update.effective_user
            await record_vote(
                query, self.feedback, argument, VOTE_KINDS[kind], user.id if user else None, lang
            )
        elif kind == "k":
            await query.answer(say("vote_thanks", lang))
        elif kind == "t" and argument == ALL_TOPICS:
            await acknowledge(query)
            await self._edit(
                query.message, say("topics", lang), topics_keyboard(assistant.topics(lang), lang)
            )
        elif kind == "t" and (questions := assistant.topic_questions(argument, lang)):
            await acknowledge(query)
            title = next((t.title for t in assistant.topics(lang) if t.fact_id == argument), argument)
            await self._edit(
                query.message, say("topic", lang, title=title), questions_keyboard(questions, lang)
            )
        else:
            await acknowledge(query, say("expired", lang))

    async def _edit(self, message: object, text: str, markup: InlineKeyboardMarkup | None) -> bool:
        """Replace a message the bot sent; False when Telegram refuses (too old, deleted, inaccessible)."""
        if not isinstance(message, Message):
            return False
        try:
            await message.edit_text(fit(text), reply_markup=markup)
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return True
            log.info("could not edit message %s (%s); sending a new one", message.message_id, exc)
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
