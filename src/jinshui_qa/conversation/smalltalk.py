"""Recognise whole-message small talk: greetings, thanks, help, who-are-you, goodbye; and a command
typed as a message (「/topics」 in the web page's question box), which is answered as what it asks, in the
conversation's language, not read as English words.

Only a message that is small talk and nothing else counts: 「你好」 is a greeting, 「你好，高企有多少」 is
a question. The replies themselves live in :mod:`jinshui_qa.conversation.replies`.
"""

from __future__ import annotations

import re

from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import fold

_PATTERNS: dict[str, str] = {
    "greeting": r"(你好|您好|嗨|哈喽|哈啰|早上好|上午好|下午好|晚上好|早安|在吗|在不在|有人吗|hi|hello|hey|hiya|"
    r"good (morning|afternoon|evening)|greetings|yo|nihao|ni hao|"
    # Henan dialect: 「弄啥嘞」 (what's up), 「中」「中不中」 (OK? / OK), 「得劲不」 (all good?)
    r"(?:你|恁)?(?:弄|干)啥(?:嘞|咧|哩|呢)?|中(?:不中|中中?)?|得劲(?:不|儿)?)",
    "thanks": r"(谢谢|谢了|多谢|感谢|谢谢你|谢谢您|非常感谢|太感谢了|辛苦了|(?:你|您)?(?:真|好|太)?(?:棒|厉害|给力)|点赞|thanks|thank you|thx|ty|many thanks|"
    r"thanks a lot|cheers|xiexie|xie xie)",
    "help": r"(帮助|help|怎么用你|怎么用|如何使用|使用说明|你能做什么|你会什么|你可以做什么|你能回答什么|能问什么|可以问什么|"
    r"我能问什么|我可以问什么|你能干什么|你会干什么|what can you do|what can i ask|how does this work|how do i use this|menu|菜单)",
    "identity": r"(你是谁|你们是谁|你是什么|你叫什么|你叫什么名字|你是机器人吗|你是人吗|介绍一下你自己|介绍下你自己|"
    r"who are you|what are you|are you a bot|are you human|what is your name|whats your name)",
    "bye": r"(再见|拜拜|拜|回见|下次见|bye|goodbye|bye bye|see you|see ya|zaijian)",
    # an insult and nothing else (「傻逼」「你是傻子吗」「滚」「fuck you」): a polite reply, never a fallback
    # naming the insult as a topic the report lacks, nor an answer found by its characters (滚 of 滚动)
    "abuse": r"((?:你们|您们|你|您)?(?:是不是|是|这个?|个|真|真是|就是|好|太)?(?:个|一个)?"
    r"(?:傻逼|傻b|傻比|傻屄|煞笔|沙比|sb|傻子|傻瓜|白痴|笨蛋|笨|蠢货|蠢蛋|蠢|垃圾|废物|智障|脑残|弱智|神经病|"
    r"滚|滚开|滚蛋|去死|闭嘴|妈的|他妈的|操|草泥马|你妹)(?:吗|么|啊|吧)?|"
    r"fuck you|fuck off|fuck|f u|screw you|go to hell|shut up|you suck|(?:you(?:'re| are) )?(?:so |really )?"
    r"(?:a )?(?:stupid|idiot|dumb|useless|moron|rubbish|trash)(?: bot| robot)?)",
}
# Literals of which each word of a kind holds one: a message holding none is not that kind, and its
# pattern is not compiled for it (see lazy_re; checked by tests/text/test_lazy_re.py).
# fmt: off
_NEEDS: dict[str, tuple[str, ...]] = {
    "greeting": ("好", "嗨", "哈", "早安", "在", "有人", "hi", "hello", "hey", "good", "greetings", "yo", "ni", "啥", "中",
                 "得劲"),
    "thanks": ("谢", "辛苦", "棒", "厉害", "给力", "赞", "thank", "thx", "ty", "cheers", "xie"),
    "help": ("帮助", "help", "怎么用", "使用", "什么", "what can", "how do", "menu", "菜单"),
    "identity": ("你是", "你们是", "你叫", "你自己", "are you", "your name"),
    "bye": ("见", "拜", "bye", "see y", "zaijian"),
    "abuse": ("傻", "煞", "沙比", "sb", "白痴", "笨", "蠢", "垃圾", "废物", "智障", "脑残", "弱智", "神经", "滚",
              "死", "闭嘴", "妈", "操", "草", "你妹", "fuck", "f u", "screw", "hell", "shut", "suck", "stupid", "idiot",
              "dumb", "useless", "moron", "rubbish", "trash"),
}
# fmt: on
_FILLER = r"(啊|呀|哦|喔|噢|哈|啦|了|吧|嘛|呢|的|bot|robot|机器人|小助手|助手|there|so much|very much|again)?"
_COMPILED = {
    kind: lazy_re.compile(rf"^({pattern})( ?{_FILLER})*( ?({pattern}))?( ?{_FILLER})*$", needs=_NEEDS[kind])
    for kind, pattern in _PATTERNS.items()
}


def smalltalk_kind(text: str) -> str:
    """The kind of small talk ``text`` is (greeting, thanks, help, identity, bye, abuse), or ''."""
    folded = fold(text)
    if not folded or len(folded) > 40:
        return ""
    for kind, pattern in _COMPILED.items():
        if pattern.match(folded):
            return kind
    return ""


_COMMAND = lazy_re.compile(r"\s*/([a-z]+)(?:@\w+)?(?:\s.*)?", re.IGNORECASE | re.DOTALL, needs=("/",))
_COMMANDS = {"help": "help", "start": "greeting", "about": "identity", "topics": "topics"}


def command_kind(text: str) -> str:
    """The small talk a command asks (/help, /start, /about, /topics), ``command`` for any other command
    (/lang where no adapter reads it first), or '' when ``text`` is no command."""
    m = _COMMAND.fullmatch(text)
    return _COMMANDS.get(m[1].lower(), "command") if m else ""
