"""What the Telegram adapter itself says (everything else comes from the core), and its keyboards.

Callback data, at most 64 bytes, always ends with the language the buttons were drawn in:

    f:<fact_id>:<lang>   a candidate of a clarifying question (the answer replaces the question)
    q:<fact_id>:<lang>   a related or browsed question (the answer is sent as a new message)
    t:<topic_id>:<lang>  a topic's questions; ``t:*:<lang>`` is the list of topics
    x:<n>:<lang>         the n-th example question of /start
    g:<question_id>:<lang>, b:<question_id>:<lang>   👍/👎 on an answer; k:-:<lang> the thank-you after it

A fact or topic id too long for that (``callback_data`` is cut at 64 bytes and Telegram refuses the
keyboard) is sent as a short token instead, ``#`` and 16 hex digits of a hash of the id
(:func:`short_id`), resolved against the facts in use by :class:`ShortIds`; a token no fact matches
any more (a fact removed since, forged data) reads as an expired button.
"""

from __future__ import annotations

import hashlib

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup

from jinshui_qa.conversation.assistant import Option, Reply
from jinshui_qa.facts.schema import LANGS, FactBase, Lang

MAX_MESSAGE = 4096
MAX_CALLBACK_BYTES = 64
MAX_LABEL = 60
MAX_RELATED = 3
ALL_TOPICS = "*"

TEXTS: dict[str, dict[Lang, str]] = {
    "non_text": {
        "zh": "我只能读懂文字消息，请直接用文字提问，例如：{example}",
        "en": "I can only read text. Please type your question, for example: {example}",
    },
    "flood": {
        "zh": "您发得太快了，我稍等几秒再继续回答。",
        "en": "That's a lot of messages at once; I'll pause for a few seconds before answering again.",
    },
    "error": {
        "zh": "抱歉，处理您的消息时出了点问题，请稍后再试。",
        "en": "Sorry, something went wrong while handling your message. Please try again shortly.",
    },
    "expired": {
        "zh": "这个按钮已失效，请重新提问或发送 /topics。",
        "en": "This button has expired; please ask again or send /topics.",
    },
    "lang_set": {"zh": "好的，之后用中文回答。", "en": "OK, I'll answer in English from now on."},
    "lang_usage": {
        "zh": "当前语言：中文。用法：/lang zh 或 /lang en",
        "en": "Current language: English. Usage: /lang zh or /lang en",
    },
    "unknown_command": {
        "zh": "我不认识这个命令。发送 /help 查看我能做什么。",
        "en": "I don't know that command. Send /help to see what I can do.",
    },
    "topics": {"zh": "请选择一个主题：", "en": "Pick a topic:"},
    "vote_thanks": {"zh": "🙏 谢谢您的反馈", "en": "🙏 Thanks for your feedback"},
    "vote_failed": {
        "zh": "反馈没有保存成功，请稍后再试。",
        "en": "Your feedback was not saved; please try again later.",
    },
    "topic": {"zh": "【{title}】请选择一个问题：", "en": "{title}: pick a question:"},
    "back": {"zh": "« 全部主题", "en": "« All topics"},
    "not_allowed": {
        "zh": "抱歉，这个命令仅限管理员使用。",
        "en": "Sorry, that command is for the bot's admins only: not allowed.",
    },
    "reloaded": {
        "zh": "已重新加载：{count}条事实。",
        "en": "reloaded: {count} facts",
    },
    "not_reloaded": {
        "zh": "资料未重新加载，仍按原来的资料回答：\n{problems}",
        "en": "not reloaded; the old facts keep answering:\n{problems}",
    },
    "no_live": {"zh": "这个机器人没有开启资料热更新。", "en": "Live fact reloading is off in this bot."},
    "edit_invalid": {
        "zh": "⚠️ 资料修改未通过检查，仍按原来的资料回答：\n{problems}",
        "en": "⚠️ An edit to the facts is invalid; the old facts keep answering:\n{problems}",
    },
    "edit_reloaded": {
        "zh": "✅ 资料已更新：{count}条事实（新增{added}，删除{removed}）。",
        "en": "✅ facts reloaded: {count} facts (+{added} -{removed})",
    },
}

COMMANDS: dict[Lang, list[BotCommand]] = {
    "zh": [
        BotCommand("start", "开始：简介和示例问题"),
        BotCommand("topics", "按主题浏览问题"),
        BotCommand("about", "资料来源和更新时间"),
        BotCommand("lang", "切换语言：/lang zh 或 /lang en"),
        BotCommand("help", "使用帮助"),
    ],
    "en": [
        BotCommand("start", "Start: what I know, with example questions"),
        BotCommand("topics", "Browse questions by topic"),
        BotCommand("about", "Where the facts come from and how current they are"),
        BotCommand("lang", "Switch language: /lang zh or /lang en"),
        BotCommand("help", "How to use me"),
    ],
}


ADMIN_COMMANDS: dict[Lang, list[BotCommand]] = {
    "zh": [BotCommand("reload", "管理员：重新加载资料"), BotCommand("stats", "管理员：近7天统计")],
    "en": [BotCommand("reload", "Admins: reload the facts"), BotCommand("stats", "Admins: last 7 days")],
}


def say(key: str, lang: Lang, **values: str) -> str:
    """One of the adapter's own texts in ``lang``."""
    return TEXTS[key][lang].format(**values)


def chunks(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """``text`` as messages of at most ``limit`` characters, in order, cut at paragraph or line ends
    (a line longer than ``limit`` is cut where it must). Nothing is dropped but the whitespace cut at."""
    out: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = max(rest.rfind("\n\n", 0, limit + 1), -1)
        cut = cut if cut > 0 else rest.rfind("\n", 0, limit + 1)
        cut = cut if cut > 0 else limit
        out.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n")
    return [*out, rest] if rest or not out else out


def fit(text: str) -> str:
    """Telegram refuses messages over 4096 characters; keep the start and mark the cut."""
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def as_lang(code: str | None) -> Lang | None:
    return next((lang for lang in LANGS if lang == code), None)


def parse_callback(data: str | None) -> tuple[str, str, Lang | None]:
    """``(kind, argument, lang)`` from callback data; unknown shapes give an empty kind."""
    kind, _, rest = (data or "").partition(":")
    argument, _, lang = rest.rpartition(":")
    if len(kind) != 1 or not argument:
        return "", "", None
    return kind, argument, as_lang(lang)


def short_id(ident: str) -> str:
    """The short token of a fact or topic id: ``#`` and 16 hex digits (64 bits of BLAKE2b)."""
    return "#" + hashlib.blake2b(ident.encode("utf-8"), digest_size=8).hexdigest()


def callback(kind: str, ident: str, lang: Lang) -> str:
    """Callback data ``kind:<ident>:<lang>``; ``kind:#<token>:<lang>`` when that is over 64 bytes."""
    data = f"{kind}:{ident}:{lang}"
    return data if len(data.encode()) <= MAX_CALLBACK_BYTES else f"{kind}:{short_id(ident)}:{lang}"


class ShortIds:
    """Resolves a button's argument (an id, or a ``#`` token) against one fact base's ids.

    The token table is built for the base in use when a token is first read, and rebuilt only when
    the facts change (one base is kept: memory stays bounded by the base itself).
    """

    def __init__(self) -> None:
        self._base: FactBase | None = None
        self._ids: dict[str, str] = {}

    def resolve(self, base: FactBase, argument: str) -> str | None:
        """The id ``argument`` names: itself unless it is a token; None for a token no id matches."""
        if not argument.startswith("#"):
            return argument
        if base is not self._base:
            ids = [*(fact.id for fact in base.facts), *(topic.id for topic in base.topics)]
            self._ids, self._base = {short_id(ident): ident for ident in ids}, base
        return self._ids.get(argument)


def keyboard(buttons: list[tuple[str, str]], per_row: int = 1) -> InlineKeyboardMarkup | None:
    """An inline keyboard of ``(label, callback data)``; buttons whose data would not fit are left out."""
    fitting = [
        InlineKeyboardButton(
            label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…", callback_data=data
        )
        for label, data in buttons
        if len(data.encode()) <= MAX_CALLBACK_BYTES
    ]
    if not fitting:
        return None
    return InlineKeyboardMarkup([fitting[i : i + per_row] for i in range(0, len(fitting), per_row)])


def reply_keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """Candidates of a clarifying question, or an answer's related questions, as buttons."""
    if reply.status == "clarify":
        return keyboard([(o.title, callback("f", o.fact_id, reply.lang)) for o in reply.options])
    return keyboard([(o.title, callback("q", o.fact_id, reply.lang)) for o in reply.related[:MAX_RELATED]])


def topics_keyboard(topics: list[Option], lang: Lang) -> InlineKeyboardMarkup | None:
    return keyboard([(t.title, callback("t", t.fact_id, lang)) for t in topics], per_row=2)


def questions_keyboard(questions: list[Option], lang: Lang) -> InlineKeyboardMarkup | None:
    rows = [(q.title, callback("q", q.fact_id, lang)) for q in questions]
    return keyboard([*rows, (say("back", lang), f"t:{ALL_TOPICS}:{lang}")])


def examples_keyboard(examples: list[str], lang: Lang) -> InlineKeyboardMarkup | None:
    return keyboard([(example, f"x:{n}:{lang}") for n, example in enumerate(examples)])
