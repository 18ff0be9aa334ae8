"""A threshold, a stated value or a gap typed in toneless pinyin: "keji xing qiye chaoguo 2000 jia le ma".

The router reads pinyin by its sounds, but the readers of a figure against a number (:mod:`.thresholds`,
:mod:`.verify`, :mod:`.scalar`) read Chinese words (超过, 是…吗, 比…多多少). A message in pinyin whose
words are one of these shapes is said in Chinese: the thing it names is routed alone (its pinyin) and
named by its fact's subject, the operation and the unit are written as characters (chaoguo 超过, jia 家,
yi 亿), and the Chinese message is answered in its place. Tone numbers (chao1guo4) are dropped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from jinshui_qa.text import lazy_re

if TYPE_CHECKING:
    from collections.abc import Callable

    from jinshui_qa.conversation.assistant import Assistant
    from jinshui_qa.facts.schema import Fact

_WORDS = ("chao", "duoyu", "duo yu", "gaoyu", "gao yu", "dayu", "da yu", "shaoyu", "shao yu", "diyu", "di yu",
          "budao", "bu dao", "buzu", "bu zu", "xiaoyu", "xiao yu", "ma", "duoshao", "duo shao")  # fmt: skip
_NUMBER = r"(?P<n>\d+(?:\.\d+)?)\s*(?P<scale>wan|yi|qian)?\s*(?P<unit>yuan|jia|ge|ren|ming|xiang|hu|wei)?"
_SHAPES = lazy_re.compile(
    r"(?P<thing>[a-z][a-z ]*?)?\s*(?:you\s*)?(?P<ask>shi\s*bu\s*shi|you\s*mei\s*you|shi\s*fou)?\s*"
    r"(?P<op>chao\s*guo|duo\s*yu|gao\s*yu|da\s*yu|shao\s*yu|di\s*yu|xiao\s*yu|bu\s*dao|bu\s*zu)\s*"
    + _NUMBER
    + r"\s*(?:le)?\s*(?P<tail>ma|mei\s*you|mei|ba|ne)?\s*\??"
    r"|(?P<thing2>[a-z][a-z ]*?)?\s*(?P<is>shi\s*bu\s*shi|shi|you)\s*"
    + _NUMBER.replace("?P<", "?P<c_")
    + r"\s*(?P<check>ma|dui\s*ma|dui\s*bu\s*dui|ba)\s*\??"
    r"|(?P<thing3>[a-z][a-z ]*?)?\s*bi\s*"
    + _NUMBER.replace("?P<", "?P<g_")
    + r"\s*(?P<dir>duo|shao)\s*(?:le\s*)?(?:duo\s*shao|ji\s*(?:ge|jia)?)\s*\??",
    re.IGNORECASE,
)
_OPS = {"chaoguo": "超过", "duoyu": "超过", "gaoyu": "超过", "dayu": "超过", "shaoyu": "少于", "diyu": "低于",
        "xiaoyu": "少于", "budao": "不到", "buzu": "不到"}  # fmt: skip
_UNITS = {
    "yuan": "元",
    "jia": "家",
    "ge": "个",
    "ren": "人",
    "ming": "名",
    "xiang": "项",
    "hu": "户",
    "wei": "位",
}
_SCALES = {"wan": "万", "yi": "亿", "qian": "千"}
_ASKS = {"shibushi": "是不是", "youmeiyou": "有没有", "shifou": "是否"}


def chinese(assistant: Assistant, text: str) -> str | None:
    """``text`` said in Chinese when it is one of the shapes above in pinyin, else ``None``."""
    if not text.isascii() or not any(ch.isdigit() for ch in text):
        return None
    low = re.sub(r"(?<=[a-z])[1-5]\b|(?<=[a-z])[1-5](?=[a-z])", "", text.lower()).strip()
    if not any(word in low for word in _WORDS):
        return None
    m = _SHAPES.fullmatch(low)
    if m is None:
        return None
    if m["op"]:
        op = _OPS[re.sub(r"\s", "", m["op"])]
        ask = _ASKS.get(re.sub(r"\s", "", m["ask"] or ""), "")
        tail = "" if ask else "了吗"
        return _named(assistant, m["thing"], lambda s: f"{s}{ask}{op}{_number(m, '')}{tail}")
    if m["is"]:
        verb = {"shi": "是", "you": "有"}.get(re.sub(r"\s", "", m["is"]), "是不是")
        return _named(assistant, m["thing2"], lambda s: f"{s}{verb}{_number(m, 'c_')}吗")
    word = "多" if m["dir"] == "duo" else "少"
    return _named(assistant, m["thing3"], lambda s: f"{s}比{_number(m, 'g_')}{word}多少")


def _number(m: re.Match[str], prefix: str) -> str:
    return (
        m[prefix + "n"]
        + _SCALES.get(m[prefix + "scale"] or "", "")
        + _UNITS.get(m[prefix + "unit"] or "", "")
    )


def _named(assistant: Assistant, thing: str | None, say: Callable[[str], str]) -> str | None:
    """The Chinese message with the thing named by its fact's subject, or ``None`` when no fact (or
    several subjects) answers the thing's pinyin; naming nothing («chaoguo 700 jia ma» after an answer),
    the message names nothing in Chinese either: the figure just given is meant."""
    from jinshui_qa.conversation.assistant import Session

    if not (thing or "").strip():
        return say("")
    assert thing is not None

    answer = assistant.reply_one(thing.strip(), Session(lang="zh"), 0.0)
    ids = (
        [answer.fact_id]
        if answer.status == "answer" and answer.fact_id
        else [o.fact_id for o in answer.options]
    )
    facts = [f for f in map(assistant.base.get, ids) if f is not None]
    names = {(f.subject or f.title).zh for f in facts}
    if len(facts) == 1 and answer.fact_id:  # the thing is one fact: its title names the figure (总投资)
        names = {facts[0].title.zh if _shared(assistant, facts[0]) else names.pop()}
    if len(names) != 1:
        return None
    return say(names.pop())


def _shared(assistant: Assistant, fact: Fact) -> bool:
    """Whether another fact has the same subject (重点项目: its count and two amounts)."""
    subject = fact.subject
    return subject is not None and any(f.subject == subject and f is not fact for f in assistant.base.facts)
