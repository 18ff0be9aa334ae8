"""A press of one of the bot's inline buttons (callback data as in :mod:`jinshui_qa.telegram.texts`).

The press is acknowledged (``answerCallbackQuery``; a refusal, e.g. "query is too old" after a restart,
is harmless) and the answer it asked for is sent, or edited into the message that carried the button.
A button on an *inline* message (sent through inline mode: the update has an ``inline_message_id`` and
no ``message``, so there is no chat to send to) gets its answer edited into that inline message, which
is where the user pressed and looks; when Telegram refuses the edit the answer is shown as an alert.
A token or id that names nothing in the facts in use (a fact removed since, forged data) gets "this
button has expired" and the topics, and is not logged as a question.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import Update

from jinshui_qa.telegram.texts import (
    ALL_TOPICS,
    parse_callback,
    questions_keyboard,
    say,
    topics_keyboard,
)
from jinshui_qa.telegram.updates import acknowledge
from jinshui_qa.telegram.votes import VOTE_KINDS, record_vote

if TYPE_CHECKING:
    from jinshui_qa.telegram.handlers import BotHandlers, Context


async def press(handlers: BotHandlers, update: Update, context: Context) -> None:
    """Answer one button press (see the module docstring)."""
    query = update.callback_query
    if query is None or not await handlers._admit(update, context):
        return
    kind, argument, lang = parse_callback(query.data)
    lang = lang or handlers._lang(update)
    assistant = handlers.source()
    inline = query.message is None  # an inline message: acknowledged once its answer is in (or as an alert)
    ident = handlers.short_ids.resolve(assistant.base, argument) if argument else None
    if kind in ("f", "q") and (ident is None or assistant.base.get(ident) is None):
        await acknowledge(query, say("expired", lang))  # forged, or a fact removed since
        markup = topics_keyboard(assistant.topics(lang), lang)
        await handlers._send(update, context, say("expired", lang), markup)  # not logged as a question
    elif kind in ("f", "q") and ident is not None:
        if not inline:
            await acknowledge(query)
        edit = query.message if kind == "f" else None
        await handlers._respond(update, context, "fact", ident, lang, edit)
    elif kind == "x" and argument.isdigit() and int(argument) < len(assistant.examples(lang)):
        if not inline:
            await acknowledge(query)
        await handlers._respond(update, context, "text", assistant.examples(lang)[int(argument)])
    elif kind in VOTE_KINDS:
        user = update.effective_user
        await record_vote(
            query, handlers.feedback, argument, VOTE_KINDS[kind], user.id if user else None, lang
        )
    elif kind == "k":
        await acknowledge(query, say("vote_thanks", lang))
    elif kind == "t" and argument == ALL_TOPICS:
        await acknowledge(query)
        await handlers._edit(query, say("topics", lang), topics_keyboard(assistant.topics(lang), lang))
    elif kind == "t" and ident is not None and (questions := assistant.topic_questions(ident, lang)):
        await acknowledge(query)
        title = next((t.title for t in assistant.topics(lang) if t.fact_id == ident), ident)
        await handlers._edit(query, say("topic", lang, title=title), questions_keyboard(questions, lang))
    else:
        await acknowledge(query, say("expired", lang))
