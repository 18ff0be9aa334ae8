"""Long messages: find the clause or clauses that ask something.

「您好，我是做外贸的，打算来郑州发展，想问一下今年一共谋划了多少个重点项目？谢谢！」 asks one thing in
its fourth clause; the greeting, the introduction and the thanks only add words no fact explains.
``asking_readings`` returns what to read, best first: the asking clauses alone, then the same with the
clause before each (a question may name its subject one clause earlier: 「听说金水区有些园区能帮小微企业，
想问下具体是哪些园区」). Short messages are returned whole.
"""

from __future__ import annotations

import re

from jinshui_qa.text import lazy_re

SHORT = 24  # characters: a message this short is one question
_CLAUSE = lazy_re.compile(r"([^。！？!?；;\n，,、：:]+?)([。！？!?；;\n，,、：:]+|(?<=[a-z])\.\s+|$)")
# Strong cues: a question mark, or words that introduce or close a question (想问, 请问, 吗).
_STRONG = lazy_re.compile(
    r"想问|请问|问一下|问下|问问|想了解|了解一下|了解下|想知道|告诉我|请教|咨询|吗$|呢$|嘞$|"
    r"\b(?:could you|can you|tell me|i want to know|i'd like to know)\b"
)
_ASKS = lazy_re.compile(
    r"多少|几[个家名位项号月年]|第几|吗|啥|什么|哪|谁|怎|如何|是否|是不是|有没有|有无|能否|可否|为何|几何|"
    r"多不多|多大|多高|多久|多长|干嘛|咋|[好行对]不[好行对]|"
    r"\b(?:how|what|which|who|when|where|why|is|are|does|do|can|could)\b"
)
# A cue that opens the asking clause, read off it: 「想问一下新零售头部企业谈了多少」 asks about 新零售.
_CUE = lazy_re.compile(
    r"^(?:我|俺|咱)?(?:想|就想|还想|主要想)?(?:请问|问一下|问下|问问|了解一下|了解下|知道|咨询一下|咨询|请教一下|请教)[，,：:\s]*"
)
_POLITE = lazy_re.compile(
    r"^(?:您好|你好|老师好|谢谢|多谢|感谢|麻烦了|辛苦了|hi|hello|thanks|thank you)\W*$",
    needs=("好", "谢", "麻烦", "辛苦", "hi", "hello", "thank"),
)


# Courtesies said around a question, alone in their segment (谢谢, 你真棒, 辛苦了): they ask nothing.
# fmt: off
_COURTESY = lazy_re.compile(
    r"^(?:(?:您好|你好|老师好|谢谢|谢谢你|谢谢您|多谢|感谢|麻烦了|麻烦您了|辛苦了|拜托了|"
    r"(?:你|您)?(?:真|好|太)?(?:棒|厉害|聪明|给力)(?:了|啊|呀|哦|哈)?|点赞|赞|好的|嗯嗯?|哈哈+)[!！。~～]*)+$"
    r"|^(?:hi|hello|thanks|thank you|thx|great|awesome|good bot|you are great)[!.]*$",
    needs=("好", "谢", "麻烦", "辛苦", "拜托", "棒", "厉害", "聪明", "给力", "赞", "嗯", "哈", "hi", "hello", "thank", "thx",
           "great", "awesome", "good bot"),
)
# fmt: on
# Contact details a user volunteers (我的手机号是138…): a self-introduction that asks nothing, dropped.
_CONTACT = lazy_re.compile(
    r"(?:我的|俺的|本人)?(?:手机号码?|手机|电话号码?|电话|联系方式|微信号?|qq号?|邮箱)(?:是|为|[:：])?\s*"
    r"(?:\+?\d[\d -]{5,}\d|[\w.+-]+@[\w.-]+|[a-z][\w-]{4,})",
    re.IGNORECASE,
)
_CONTACT_KINDS = ("手机", "电话", "联系方式", "微信", "邮箱")


def _names_contact(text: str) -> bool:
    """Whether ``text`` names a kind of contact, as every match of ``_CONTACT`` does (qq in any case):
    else the pattern is not compiled (1 ms of ask's cold start)."""
    return any(kind in text for kind in _CONTACT_KINDS) or "q" in text.lower()


def without_courtesies(text: str) -> str:
    """``text`` without volunteered contact details and the courtesies standing alone before or after the
    question (「金水区科技型企业有多少家 谢谢 你真棒」 -> 「金水区科技型企业有多少家」); unchanged if nothing
    else is left."""
    bare = (_CONTACT.sub(" ", text) if _names_contact(text) else text).strip()
    segments = [p for p in re.split(r"[\s，,。！!~～]+", bare) if p]
    said = len(segments)
    while segments and _COURTESY.match(segments[-1].lower()):
        segments.pop()
    while segments and _COURTESY.match(segments[0].lower()):
        segments.pop(0)
    if not segments or (len(segments) == said and bare == text.strip()):
        return text
    kept = " ".join(segments)
    start, end = bare.find(segments[0]), bare.rfind(segments[-1]) + len(segments[-1])
    return bare[start:end] if start >= 0 and end >= start else kept


def clauses(text: str) -> list[tuple[str, str]]:
    """The clauses of ``text`` with the punctuation that ends each, without empty ones."""
    return [(m[1].strip(), m[2].strip()) for m in _CLAUSE.finditer(text) if m[1].strip()]


def asking_readings(text: str) -> list[str]:
    """What to read of a message, best first (see the module docstring); at least one reading."""
    text = without_courtesies(text)
    if len(text) <= SHORT:
        return [text]
    split = [(c, end) for c, end in clauses(text) if not _POLITE.match(c.lower())]
    parts = [c for c, _ in split]
    strong = [i for i, (c, end) in enumerate(split) if "?" in end or "？" in end or _STRONG.search(c.lower())]
    asking = strong or [i for i, c in enumerate(parts) if _ASKS.search(c.lower())]
    if not asking or len(parts) <= 1:
        return [text]
    parts = [_CUE.sub("", c) or c for c in parts]
    readings = ["，".join(parts[i] for i in asking)]
    with_before = sorted({j for i in asking for j in (i - 1, i) if j >= 0})
    if len(with_before) > len(asking):
        readings.append("，".join(parts[j] for j in with_before))
    return list(dict.fromkeys(readings))


_SENTENCE = lazy_re.compile(
    r"([^。！？!?；;\n，,：:]+?)([。！？!?；;\n，,：:]+|(?<=[a-z])\.\s+|$)"
)  # 、 joins a list


def asking(text: str) -> list[str] | None:
    """The clauses of ``text`` that ask (a question mark, or a cue such as 想问), when every other clause
    is context that asks nothing (no question word, no list cut at 「、」); ``None`` otherwise."""
    split = [(m[1].strip(), m[2].strip()) for m in _SENTENCE.finditer(text) if m[1].strip()]
    split = [(c, end) for c, end in split if not _POLITE.match(c.lower())]
    strong = [i for i, (c, end) in enumerate(split) if "?" in end or "？" in end or _STRONG.search(c.lower())]
    rest = [c.lower() for i, (c, _) in enumerate(split) if i not in strong]
    if not strong or not rest or any(_may_ask(c) for c in rest):
        return None
    return [split[i][0] for i in strong]


_SAID_OF_ME = lazy_re.compile(r"^(?:我|俺|咱|本人|\bi\b|\bwe\b|\bmy\b|\bour\b)")
# 十几个人: a count said roughly, not asked
_SOME = lazy_re.compile(r"(?<=[十百千万])几|几(?=[十百千万])", needs=("几",))
_COMPARES = lazy_re.compile(
    r"比|除了|除去|扣除|扣掉|平均|人均|户均|估算|推算|一共|合计|加起来"
    r"|\b(?:vs|versus|than|which|or|apart from|besides|except|other than|excluding|average|per|estimate"
    r"|in total|altogether|combined)\b"
)  # one side of a comparison, what a remainder leaves out, or the operation asked (「平均」, "on average")


def _may_ask(clause: str) -> bool:
    """Whether a clause without a question mark or cue may still ask, or name one side of a comparison;
    one that speaks of the sender (「我和几个合伙人在做项目」) is context."""
    if _COMPARES.search(clause):
        return True
    return not _SAID_OF_ME.match(clause) and bool(_ASKS.search(_SOME.sub("", clause)))


def without_cue(clause: str) -> str:
    """The clause without the words that open a question (「想问一下新零售头部企业谈了多少」 → 「新零售…」)."""
    return _CUE.sub("", clause) or clause
