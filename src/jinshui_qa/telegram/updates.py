"""Reading an update before the handlers answer it: is a group message addressed to the bot, and the
acknowledgement of a button press (which may fail harmlessly)."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Message, MessageEntity
from telegram.error import TelegramError

log = logging.getLogger(__name__)


def addressed_to_bot(message: Message, bot_id: int, username: str) -> bool:
    """In a group: a reply to one of the bot's messages, or a message mentioning it."""
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return True
    mentions = message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
    return any(
        (entity.type == MessageEntity.MENTION and value.lower() == f"@{username.lower()}")
        or (entity.user is not None and entity.user.id == bot_id)
        for entity, value in mentions.items()
    )


async def acknowledge(query: CallbackQuery, text: str | None = None) -> None:
    """answerCallbackQuery; Telegram refusing it (too old after a restart or a slow reply) is harmless."""
    try:
        await query.answer(text)
    except TelegramError as exc:
        log.info("could not acknowledge a button press (%s); answering anyway", exc)
