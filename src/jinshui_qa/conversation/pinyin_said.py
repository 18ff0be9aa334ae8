"""A threshold, a stated value or a gap typed in toneless pinyin: "keji xing qiye chaoguo 2000 jia le ma".

The router reads pinyin by its sounds, but the readers of a figure against a number (:mod:`.thresholds`,
:mod:`.verify`, :mod:`.scalar`) read Chinese words (超过, 是…吗, 比…多多少). A message in pinyin whose
words are one of these shapes is said in Chinese: the thing it names is routed alone (its pinyin) and
named by its fact's subject, the operation and the unit are written as characters (chaoguo 超过, jia 家,
yi 亿), and the Chinese message is answered in its place. Tone numbers (chao1guo4) are dropped.

A message of pinyin with English question words (:func:`in_pinyin`: "Jinshui gao qi how many") is read as
pinyin with those words said in pinyin, when it falls back as typed. One of pinyin with a word no pinyin
spells ("jinshui gdp duoshao", :func:`asked_in_chinese`) is replied to in Chinese, naming that word.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from jinshui_qa.text import lazy_re

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from jinshui_qa.conversation.assistant import Assistant, Reply, Session
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


# English question words said among pinyin ("Jinshui gao qi how many"), and their pinyin.
_ENGLISH_ASKS = (("how many", "duoshao"), ("how much", "duoshao"), ("what is", "shi shenme"),
                 ("what's", "shi shenme"), ("what are", "shi shenme"), ("who is", "shi shei"), ("what", "shenme"),
                 ("which", "na ge"), ("is there", "you"), ("are there", "you"), ("is it", "shi"))  # fmt: skip
_ENGLISH_ASK = lazy_re.compile(r"\b(?:how many|how much|what|who is|which|is there|are there|is it)\b", re.I)


def in_pinyin(text: str, english_words: Iterable[str]) -> str | None:
    """``text`` with its English question words said in pinyin when the rest is pinyin ("Jinshui gao qi how
    many" -> "jinshui gao qi duoshao"), so that it is read as a message typed in pinyin; else ``None``."""
    if not text.isascii() or _ENGLISH_ASK.search(text) is None:
        return None
    said = text.lower()
    for english, pinyin in _ENGLISH_ASKS:
        said = re.sub(rf"\b{re.escape(english)}\b", pinyin, said)
    from jinshui_qa.routing.pinyin_words import place_words
    from jinshui_qa.text.pinyin import looks_like_pinyin

    known = {*english_words, *place_words(), *(p for _, p in _ENGLISH_ASKS for p in p.split())}
    if not any(word not in known for word in re.findall(r"[a-z]+", said)):
        return None  # "how many zhengzhou": a place and question words only, no pinyin said
    return said if looks_like_pinyin(said, english_words) else None


def mixed(assistant: Assistant, text: str, said: Reply, session: Session, now: float) -> Reply | None:
    """A fallback ``said`` on pinyin with English question words answered as pinyin (:func:`in_pinyin`),
    in the language the message was read in; ``None`` when that does not answer it better."""
    pinyin = (
        None
        if said.reason.startswith("other_place")
        else in_pinyin(text, assistant.router.index.english_words)
    )
    if pinyin is None:
        return None
    from dataclasses import replace

    kept = session.reply_lang
    again = assistant.reply_one(pinyin, scratch := replace(session, reply_lang=kept or said.lang), now)
    if again.status not in ("answer", "clarify") and not again.reason.startswith(
        ("other_place", "not_covered")
    ):
        return None
    session.adopt(scratch)
    session.reply_lang = kept
    return replace(again, question=said.question)


_ASKS_ZH = (("zenmeyang", "怎么样"), ("duo shao", "多少"), ("duoshao", "多少"), ("shen me", "什么"), ("shenme", "什么"),
            ("zen me", "怎么"), ("zenme", "怎么"), ("na li", "哪里"), ("nali", "哪里"), ("nage", "哪个"),
            ("ji ge", "几个"), ("jige", "几个"), ("ji jia", "几家"), ("jijia", "几家"), ("shi sha", "是啥"),
            ("sha shi", "啥是"), ("you mei you", "有没有"), ("you meiyou", "有没有"), ("shi shei", "是谁"))  # fmt: skip
_ASK_ZH = lazy_re.compile(r"\b(?:" + "|".join(re.escape(p) for p, _ in _ASKS_ZH) + r")\b", re.IGNORECASE)


def asked_in_chinese(
    assistant: Assistant, text: str, said: Reply, session: Session, now: float
) -> Reply | None:
    """A fallback ``said`` on a message typed in pinyin with a word no pinyin spells ("jinshui gdp
    duoshao": gdp) said in Chinese: its pinyin question words written as characters (多少) and the message
    asked again, so that the reply is Chinese and names the word no fact holds (报道里没有关于“gdp”的信息);
    ``None`` when the message is not such pinyin, or asked so it is not said missing for that word."""
    if said.lang != "en" or not text.isascii() or _ASK_ZH.search(text) is None:
        return None
    from jinshui_qa.text.pinyin import looks_like_pinyin, segment

    words = re.findall(r"[a-z]+", text.lower())
    other = [w for w in words if segment(w) is None]
    english = assistant.router.index.english_words
    if not other or len(other) * 3 > len(words) or any(w in english for w in other):
        return None  # all pinyin (the router read it), or mostly another language
    rest = " ".join(w for w in words if segment(w) is not None)
    if not looks_like_pinyin(rest, english):
        return None
    chinese = text.lower()
    for pinyin, zh in _ASKS_ZH:
        chinese = re.sub(rf"\b{pinyin}\b", zh, chinese)
    from dataclasses import replace

    again = assistant.reply_one(chinese, scratch := replace(session), now)
    if again.status != "fallback" or again.lang != "zh" or again.reason.partition(":")[2] not in other:
        return None  # only the word no pinyin spells said missing: never an answer the pinyin did not find
    session.adopt(scratch)
    return replace(again, question=said.question)
