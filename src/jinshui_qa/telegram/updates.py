"""Reading an update before the handlers answer it: is a group message addressed to the bot, and the
acknowledgement of a button press (which may fail harmlessly)."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Message, MessageEntity
from telegram.error import TelegramError

log = logging.getLogger(__name__)


def question_text(message: Message) -> str | None:
    """What a message asks: its text, else the caption of its photo, document, video..."""
    return message.text if message.text is not None else message.caption


def addressed_to_bot(message: Message, bot_id: int, username: str) -> bool:
    """In a group: a reply to one of the bot's messages, or a message (or caption) mentioning it."""
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return True
    kinds: list[str | None] = [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
    mentions = (
        message.parse_entities(kinds) if message.text is not None else message.parse_caption_entities(kinds)
    )
    return any(
        (entity.type == MessageEntity.MENTION and value.lower() == f"@{username.lower()}")
        or (entity.user is not None and entity.user.id == bot_id)
        for entity, value in mentions.items()
    )


async def acknowledge(query: CallbackQuery, text: str | None = None, *, alert: bool = False) -> None:
    """answerCallbackQuery (``text`` as a toast, or with ``alert`` a box to dismiss); Telegram refusing
    it (too old after a restart or a slow reply) is harmless: the answer itself goes out anyway."""
    try:
        await query.answer(text, show_alert=alert or None)
    except TelegramError as exc:
        log.info("could not acknowledge a button press (%s); answering anyway", exc)
