"""A cheap test run on every message: could it ask several things or compare two figures?

It must be true for every message :mod:`jinshui_qa.conversation.compound` would answer (a mark of a
second question, or a word of an operation); a message it rejects goes straight to the
single-question path without loading the compound modules (about 40 ms of regular expressions).
A long message is judged by its asking clauses (:func:`asked`): a greeting, an introduction or
context said with commas and 和 is not a second question.
"""

from __future__ import annotations

import unicodedata

from jinshui_qa.text import lazy_re
from jinshui_qa.text.clauses import SHORT, asking, without_cue
from jinshui_qa.text.normalize import to_simplified

# IGNORECASE only around the English words, the only part it can change: over the Chinese character
# classes as well it took 8 ms to compile, and this pattern runs on every first question.
_MARKS = lazy_re.compile(
    r"和|跟|与|及|同|还有|分别|各|、|[,，;；?？。]\s*\S|[1-9一二三四五][、.是]"
    r"|平均|人均|户均|估算|推算|比|倍|哪|除|扣|刨|剩|那个|谁|孰|共|合|加|减|差|总|百分点|超|领先|落后|增加|减少|增长|还是|相当于|除以|对比"
    r"|(?:多|少|高|低)[了出来有些]{0,3}(?:多少|几)"
    r"|(?:占|是).{2,20}?的?(?:比例|比重|百分之|几成|百分比)"
    r"|(?i:\b(?:and|or|vs|versus|than|times|twice|total|combined|altogether|together|in all|difference|gap"
    r"|which|more|fewer|less|ratio|percentage|percent|proportion|fraction|share|minus|plus|sum|add|exceeds?"
    r"|outnumbers?|compared?|comparison|divided|apart from|besides|except|other than|excluding|not counting"
    r"|average|per|estimate)\b)"
)
_SPACED = lazy_re.compile(r"[\u4e00-\u9fff]\s+\S|\S\s+[\u4e00-\u9fff]")  # 高企 科技型企业: two phrases


def may_be_compound(text: str) -> bool:
    """False only for messages that certainly ask one thing and compare nothing."""
    folded = to_simplified(unicodedata.normalize("NFKC", text[:2000])).lower()
    # ``\s`` is what str.isspace() tells (both are Py_UNICODE_ISSPACE): without a space, _SPACED cannot
    # match, and is not compiled (its two Chinese character classes take 2 ms)
    return bool(_MARKS.search(folded) or (any(ch.isspace() for ch in folded) and _SPACED.search(folded)))


def asked(text: str) -> str:
    """What a message asks: a long message's asking clauses (:func:`~jinshui_qa.text.clauses.asking`)
    joined by 「，」, so 「您好，我是做外贸的，…，想问一下重点项目有多少个？谢谢」 asks 「重点项目有多少个」;
    the message whole when it is short or any other clause may ask (nothing is dropped)."""
    chosen = asking(text) if len(text) > SHORT else None
    return "，".join(without_cue(c) for c in chosen) if chosen else text
