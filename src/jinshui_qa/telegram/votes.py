"""👍/👎 under the bot's answers: the buttons, and storing a press (the buttons then become a thank-you).

Callback data: ``g:<question_id>:<lang>`` (👍), ``b:<question_id>:<lang>`` (👎), ``k:-:<lang>`` (the
thank-you, which does nothing). The vote goes to :class:`~jinshui_qa.storage.feedback.FeedbackLog`,
keyed by the user's hash, never the user id.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest

from jinshui_qa.conversation.assistant import Reply
from jinshui_qa.errors import StoreError
from jinshui_qa.facts.schema import Lang
from jinshui_qa.storage.feedback import FeedbackLog, Vote
from jinshui_qa.telegram.texts import reply_keyboard, say
from jinshui_qa.telegram.updates import acknowledge

log = logging.getLogger(__name__)
VOTE_KINDS: dict[str, Vote] = {"g": "up", "b": "down"}


def answer_keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """``texts.reply_keyboard``, plus a 👍/👎 row under an answer that has a ``question_id``."""
    markup = reply_keyboard(reply)
    if reply.status != "answer" or not reply.question_id:
        return markup
    votes = [InlineKeyboardButton("👍", callback_data=f"g:{reply.question_id}:{reply.lang}"),
             InlineKeyboardButton("👎", callback_data=f"b:{reply.question_id}:{reply.lang}")]  # fmt: skip
    return InlineKeyboardMarkup([*(markup.inline_keyboard if markup else ()), votes])


def thanked_keyboard(markup: InlineKeyboardMarkup | None, lang: Lang) -> InlineKeyboardMarkup:
    """``markup`` with its 👍/👎 row replaced by a thank-you button."""
    rows = [row for row in (markup.inline_keyboard if markup else ())
            if not any(str(b.callback_data or "")[:2] in ("g:", "b:") for b in row)]  # fmt: skip
    thanks = InlineKeyboardButton(say("vote_thanks", lang), callback_data=f"k:-:{lang}")
    return InlineKeyboardMarkup([*rows, [thanks]])


async def record_vote(query: CallbackQuery, feedback: FeedbackLog | None, question_id: str, vote: Vote,
                      user_id: int | None, lang: Lang, channel: str = "telegram") -> None:  # fmt: skip
    """Store the vote, answer the button press, and replace the vote row by a thank-you."""
    try:
        if feedback is None:
            raise StoreError("votes are not kept by this bot")
        # a thread: a busy SQLite file must not hold up the event loop
        await asyncio.to_thread(
            feedback.vote, question_id=question_id, vote=vote, channel=channel, voter=user_id
        )
    except StoreError as exc:
        log.warning("could not store a vote (%s)", exc)
        await acknowledge(query, say("vote_failed", lang))
        return
    await acknowledge(query, say("vote_thanks", lang))
    message = query.message
    if isinstance(message, Message):
        try:
            await message.edit_reply_markup(thanked_keyboard(message.reply_markup, lang))
        except BadRequest as exc:
            log.info("could not replace the vote buttons (%s)", exc)
