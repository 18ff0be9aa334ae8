"""A request for the reply's language, read as what it is: 「用英文回答」, 「说中文」, "answer in English",
"in Chinese please", and in pinyin (yong yingwen huida).

Such words are no content to look up (「用英文」 is no fact's subject). They set the language the
conversation's replies are written in (:attr:`Session.reply_lang`), until another request changes it;
the rest of the message, if any (「高企有多少家？用英文回答」), is answered in it. A request alone is
confirmed plainly, in the language asked for.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from jinshui_qa.text import lazy_re

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant, Reply, Session
    from jinshui_qa.facts.schema import Lang

_ZH_NAMES = r"(?P<zh_en>英文|英语)|(?P<zh_zh>中文|汉语|普通话|华语)"
_EN_NAMES = r"(?P<en_en>english)|(?P<en_zh>chinese|mandarin)"
_EDGE = r"[\s,，。.!！?？;；:：、~～]"
_REQUEST = lazy_re.compile(  # a clause of its own: at the message's start or end, or between punctuation
    r"(?:^|(?<=" + _EDGE + r"))(?:"
    r"(?:以后|今后|接下来|之后|后面)?(?:都|就)?(?:请|麻烦)?(?:你)?(?:都|就)?(?:能不能|可以|可不可以)?(?:用|以|说|讲|改用|换成|换用)(?:"
    + _ZH_NAMES
    + r")"
    r"(?:来)?(?:回答|回复|答复|作答|答|说|讲|写|交流)?(?:吧|好吗|可以吗|行吗|谢谢)?"
    r"|(?:" + _ZH_NAMES.replace("?P<zh_", "?P<zz_") + r")(?:回答|回复|答复|作答)(?:吧|好吗|可以吗|行吗|谢谢)?"
    r"|(?:(?:please|pls|can you|could you|would you)\s+)*(?:answer|reply|respond|speak|talk|write|say it)"
    r"(?:\s+(?:to me|me))?\s+in\s+(?:" + _EN_NAMES + r")(?:\s*,?\s*please)?"
    r"|\bin\s+(?:" + _EN_NAMES.replace("?P<en_", "?P<ei_") + r")\s*,?\s*please\b"
    r"|^\s*(?:" + _EN_NAMES.replace("?P<en_", "?P<eo_") + r")\s*,?\s*please\b"
    r"|(?:qing\s*)?(?:yong|shuo|jiang)\s*(?:(?P<py_en>yingwen|yingyu)|(?P<py_zh>zhongwen|hanyu|putonghua))"
    r"(?:\s*(?:huida|huifu|shuo|jiang))?(?:\s*ba)?"  # the same typed in pinyin: yong yingwen huida
    r")(?=$|" + _EDGE + r")",
    re.IGNORECASE,
)
_LEFT = lazy_re.compile(r"^[\s,，。.!！?？;；:：、~～]+|[\s,，。.!！;；:：、~～]+$")


def chosen(session: Session) -> Lang:
    """The language asked for, chosen (a command, a setting), or last answered in."""
    return session.reply_lang or session.lang or (session.context.lang if session.context else "zh")


def named(text: str) -> bool:
    """Whether ``text`` names a language at all (a quick test before :func:`request`)."""
    return any(w in text for w in ("英", "中文", "汉语", "普通话", "华语")) or bool(
        re.search(r"english|chinese|mandarin|yingwen|yingyu|zhongwen|hanyu|putonghua", text, re.IGNORECASE)
    )


def reply(assistant: Assistant, text: str, session: Session, now: float) -> Reply | None:
    """The reply to ``text`` when it asks for a reply language (which ``session`` then keeps): the
    confirmation, or the rest of the message answered in it; ``None`` when it asks none."""
    asked = request(text)
    if asked is None:
        return None
    from dataclasses import replace

    from jinshui_qa.conversation.assistant import Reply

    session.reply_lang, rest = asked
    if not rest:
        said = Reply(text, "smalltalk", confirmed(asked[0]), asked[0], 100.0, reason="language")
        return assistant._remember(session, now, said)
    return replace(assistant.reply(rest, session, now), question=text)


def request(text: str) -> tuple[Lang, str] | None:
    """The language ``text`` asks the replies to be in, and the rest of ``text`` without the request
    (stripped; '' when the request is all it says); ``None`` when it asks none."""
    m = _REQUEST.search(text)
    if m is None:
        return None
    named = next(name for name, value in m.groupdict().items() if value)
    lang: Lang = "en" if named.endswith("_en") else "zh"
    rest = _LEFT.sub("", text[: m.start()] + " " + text[m.end() :]).strip()
    return lang, re.sub(r"\s{2,}", " ", rest)


def confirmed(lang: Lang) -> str:
    """The plain confirmation of a request alone."""
    if lang == "en":
        return "OK, I'll answer in English from now on. Ask me anything about Jinshui District."
    return "好的，接下来我用中文回答。请问您想了解金水区的什么？"
