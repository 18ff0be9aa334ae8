"""A cheap test run on every message: could it ask several things or compare two figures?

It must be true for every message :mod:`jinshui_qa.conversation.compound` would answer (a mark of a
second question, or a word of an operation); a message it rejects goes straight to the
single-question path without loading the compound modules (about 40 ms of regular expressions).
A long message is judged by its asking clauses (:func:`asked`): a greeting, an introduction or
context said with commas and 和 is not a second question.

Also the other cheap readings every message gets before routing: :func:`without_markup`, :func:`unread`
(too long, or numbers or one letter alone: 「0」, 「q」 ask nothing), :func:`comparison_said` (「A > B 吗」 said in words).
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise

from jinshui_qa.text import lazy_re
from jinshui_qa.text.clauses import SHORT, asking, without_cue
from jinshui_qa.text.normalize import MAX_CHARS, fold, has_cjk, to_simplified
from jinshui_qa.text.numerals import arabic_numerals

# What the gate looks for: a pattern of seven kinds of mark, tested here kind by kind in plain Python
# but the English words (compiled only for a text holding a Latin letter): compiling the whole took
# about 2 ms at every first question. tests/conversation/test_gate_marks.py holds the pattern and checks
# that this test gives what its search gave.
_MARK_CHARS = frozenset("和跟与及同各、比倍哪除扣刨剩谁孰共合加减差总超")
_MARK_WORDS = ("还有", "分别", "平均", "人均", "户均", "估算", "推算", "那个", "百分点", "领先", "落后", "增长",
               "还是", "相当于", "估计", "大概", "大约", "约有", "倒推", "算一下", "算算", "不到", "不足", "没到", "没有到", "未到")  # fmt: skip
# (the words of an estimate, :data:`jinshui_qa.conversation.estimates.ASKS`, are marks: 全市大概有多少家)
_PUNCTUATION = frozenset(",，;；?？。")  # followed, after any white space, by something: [,，;；?？。]\s*\S
_SHARES = ("百分之", "几成")  # after 占/是 and 2-20 characters (the pattern's others hold 比, a mark)
# Letters an English word may be matched by under IGNORECASE: ASCII, and İ ı ſ K, which re folds to i s k.
_LATIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\u0130\u0131\u017f\u212a")
_ENGLISH = lazy_re.compile(
    r"(?i:\b(?:and|or|vs|versus|than|times|twice|total|combined|altogether|together|in all|difference|gap"
    r"|which|more|fewer|less|ratio|percentage|percent|proportion|fraction|share|minus|plus|sum|add|exceeds?"
    r"|outnumbers?|compared?|comparison|divided|apart from|besides|except|other than|excluding|not counting"
    r"|average|per|estimate)\b)"
)
_SPACED = lazy_re.compile(r"[\u4e00-\u9fff]\s+\S|\S\s+[\u4e00-\u9fff]")  # 高企 科技型企业: two phrases


def _more_than(text: str) -> bool:
    """``(?:多|少|高|低)[了出来有些]{0,3}(?:多少|几)`` (多出多少, 高了几): the greedy run of 了出来有些 is the
    only one to try, as neither 多少 nor 几 starts with one of them."""
    for at, ch in enumerate(text):
        if ch in "多少高低":
            end = at + 1
            while end < len(text) and end - at <= 3 and text[end] in "了出来有些":
                end += 1
            if text.startswith(("多少", "几"), end):
                return True
    return False


def _share_of(text: str) -> bool:
    """``(?:占|是).{2,20}?的?(?:百分之|几成)`` (占全区的百分之几, 是总数的几成)."""
    for at, ch in enumerate(text):
        if ch in "占是":
            for end in range(at + 2, min(at + 22, len(text) + 1)):  # .{2,20}? is text[at + 1 : end]
                if text[end - 1] == "\n":  # . is any character but a line break
                    break
                if end >= at + 3 and (
                    text.startswith(_SHARES, end)
                    or (text.startswith("的", end) and text.startswith(_SHARES, end + 1))
                ):
                    return True
    return False


def _marked(text: str) -> bool:
    """Whether the text holds a mark of a second question or of an operation."""
    if not _MARK_CHARS.isdisjoint(text) or any(word in text for word in _MARK_WORDS):
        return True
    first = min((at for at in map(text.find, _PUNCTUATION) if at >= 0), default=-1)
    if first >= 0 and text[first + 1 :].strip():
        return True
    if ("." in text or "是" in text) and any(
        a in "123456789一二三四五" and b in ".是" for a, b in pairwise(text)
    ):
        return True
    if ("多少" in text or "几" in text) and _more_than(text):
        return True
    if ("百分之" in text or "几成" in text) and _share_of(text):
        return True
    return not _LATIN.isdisjoint(text) and _ENGLISH.search(text) is not None


def may_be_compound(text: str) -> bool:
    """False only for messages that certainly ask one thing and compare nothing."""
    folded = to_simplified(unicodedata.normalize("NFKC", text[:2000])).lower()
    # ``\s`` is what str.isspace() tells (both are Py_UNICODE_ISSPACE): without a space, _SPACED cannot
    # match, and is not compiled (its two Chinese character classes take 2 ms)
    return _marked(folded) or (any(ch.isspace() for ch in folded) and bool(_SPACED.search(folded)))


_NUMBER_CHARS = frozenset(
    "0123456789.,:+-*/×÷=%^<> 万亿千百十〇零一二三四五六七八九两第个加减乘除以等于"
)  # 「第一」: an ordinal alone; 「2058减723」: arithmetic on numbers alone, nothing of Jinshui named
_YEAR = lazy_re.compile(r"\s*(?:19|20)\d\d\s*")


def numbers_only(text: str, *, followup: bool = False) -> bool:
    """Whether ``text`` holds numbers and nothing else to read (「0」, 「〇」, 「1+1」, 「一百」): no
    question to answer, so no fact is guessed at. In a conversation (``followup``) a bare year may ask
    the last answer's figure of that year (「2021」 after 新增市场主体), and is read."""
    folded = "".join(ch for ch in fold(text) if ch.isalnum() or ch in _NUMBER_CHARS)
    return (
        any(ch.isnumeric() for ch in folded)
        and _NUMBER_CHARS.issuperset(folded)
        and not (followup and _YEAR.fullmatch(folded))
    )


def unread(text: str, *, followup: bool = False) -> str:
    """Why ``text`` is not read as a question (a fallback reason), or '': ``too_long`` (over 20 times
    what a question may hold), ``numbers`` (:func:`numbers_only`)."""
    if len(text) > 20 * MAX_CHARS:
        return "too_long"
    return "numbers" if numbers_only(text, followup=followup) or _lone_letter(text) else ""


def _lone_letter(text: str) -> bool:
    """Whether ``text`` holds one letter that is no Chinese character and nothing else to read (「q」,
    「A」, an arrow key's 「[A」): it names nothing, and read as a word it matched Q1 or the X policies."""
    read = [ch for ch in text if ch.isalnum()]
    return len(read) == 1 and read[0].isalpha() and not has_cjk(read[0])


_MORE, _LESS = (">", "＞", "≥", ">=", "大于", "多于", "高于"), ("<", "＜", "≤", "<=", "小于", "少于", "低于")
_SAME = ("=", "＝", "vs", "versus")  # 「A vs B」: compared, neither said to be the larger
_COMPARED = lazy_re.compile(
    r"\s*(?P<a>[^<>＜＞≤≥=＝]+?)\s*(?P<op>>=|<=|[<>＜＞≤≥=＝]|大于|多于|高于|小于|少于|低于|(?<=\s)(?:vs\.?|versus)(?=\s))"
    r"\s*(?P<b>[^<>＜＞≤≥=＝]+?)"
    r"\s*(?P<tail>吗|么|嘛|不|没有|呢)?\s*[?？]?\s*",
    re.IGNORECASE,
)
_ASKS = lazy_re.compile(r"多少|几|哪|什么|谁|怎|有没有|how|what|which|who", re.IGNORECASE)


_HAS_MORE_THAN = lazy_re.compile(
    r"\s*(?:(?:are there|is there|does jinshui have|has jinshui got|does the district have|do they have)\s+)?"
    r"(?P<dir>more|fewer|less|over|under)(?:\s+than)?\s+(?P<n>\d[\d,.]*(?:\s*(?:billion|million))?)\s+"
    r"(?P<thing>[a-z][a-z' -]*?)(?:\s+in jinshui)?\s*\??\s*",
    re.IGNORECASE,
)


_HALF = lazy_re.compile(
    r"\s*(?P<a>[^，,。？?]+?)(?:是|有|为|等于|相当于)(?P<b>[^，,。？?]+?)的一半(?:吗|么|不|没有|呢)?\s*[?？]?\s*"
)


def comparison_said(text: str) -> str:
    """``text`` with a comparison typed as a sign or a bare 大于 between two things (「科技型企业 > 高新技术企业
    吗」) said in words (「科技型企业比高新技术企业多吗」), which the comparison reader knows; any other
    text (a threshold inside a question, 「投资大于1000万的项目有多少」) unchanged."""
    if "一半" in text and (half := _HALF.fullmatch(text)) is not None:  # 「A是B的一半吗」: a ratio asked
        return f"{half['a']}是{half['b']}的0.5倍吗"
    digits = any(ch.isdigit() for ch in text)  # else the pattern is not compiled (ask's cold start)
    if (
        digits and (m := _HAS_MORE_THAN.fullmatch(text)) is not None
    ):  # "Are there more than 200 key projects?"
        return f"Are {m['thing']} {'fewer' if m['dir'].lower() in ('fewer', 'less', 'under') else 'more'} than {m['n'].replace(',', '')}?"
    if not any(op in text.lower() for op in (*_MORE, *_LESS, *_SAME)):
        return text
    m = _COMPARED.fullmatch(text)
    if m is None or any(_ASKS.search(side) or not side.strip() for side in (m["a"], m["b"])):
        return text
    a, b, more = m["a"].strip(), m["b"].strip(), m["op"] in _MORE
    if not any(ch.isalpha() for ch in fold(a)):  # 「1<2」: nothing named to compare
        return text
    if m["op"].rstrip(".").lower() in _SAME:  # both figures and which is larger
        return f"Which is larger, {a} or {b}?" if a.isascii() and b.isascii() else f"{a}和{b}哪个多"
    if not any(
        ch.isalpha() for ch in fold(b).rstrip("了").rstrip("家个人名项亿万元")
    ):  # a figure: 「科技型企业 > 2000」
        if b.isascii() and a.isascii():
            return text
        return f"{a}超过{b}吗" if more else f"{a}比{b}少吗"  # 「比…少吗」: a comparison, read as below
    if a.isascii() and b.isascii():
        return f"Is {a} {'more' if more else 'less'} than {b}?"
    return f"{a}比{b}{'多' if more else '少'}吗"


def loosely_compared(text: str) -> bool:
    """Whether ``text`` compares with 「=」 or "vs", which may set two things side by side without asking
    which is larger (「金水区 vs 二七区」): its reading as a comparison is kept only when it answers."""
    m = _COMPARED.fullmatch(text)
    return m is not None and m["op"].rstrip(".").lower() in _SAME


CLAUSE_ENDS = "。！？!?；;，,：:\n"  # what ends a clause (:mod:`jinshui_qa.conversation.premise`)


def may_be_premised(text: str) -> bool:
    """Whether :func:`jinshui_qa.conversation.premise.reply` may read ``text``: a figure is typed (a value
    asked about, or a premise stating one) or a clause ends before the last. Most questions are neither:
    they do not load the premise's modules (the value readers, :mod:`decimal`), at every ``ask``. A value
    in Chinese numerals, a negative number and someone's saying (说, 讲) may be read there too."""
    inner = text.strip(CLAUSE_ENDS + " ")
    if any(ch.isdigit() for ch in text) or any(ch in CLAUSE_ENDS for ch in inner):
        return True
    from itertools import pairwise  # a built-in module: no import cost

    if text[:1] in "零〇一二两兩三四五六七八九十百千万萬":  # 「七百二十三是什么」
        return True
    if any(w in text for w in ("负", "負", "说", "說", "讲", "講")):  # 「负五是什么」, 「朋友说高企有一千家」
        return True
    return any(
        a in "一二两兩三四五六七八九十百千" and b in "家个個人名项項户戶亿億万萬" for a, b in pairwise(text)
    )


def asked(text: str) -> str:
    """What a message asks: a long message's asking clauses (:func:`~jinshui_qa.text.clauses.asking`)
    joined by 「，」, so 「您好，我是做外贸的，…，想问一下重点项目有多少个？谢谢」 asks 「重点项目有多少个」;
    the message whole when it is short or any other clause may ask (nothing is dropped)."""
    chosen = asking(text) if len(text) > SHORT else None
    return "，".join(without_cue(c) for c in chosen) if chosen else text


_MARKUP = lazy_re.compile(
    r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)|<!--.*?(?:-->|$)|</?[a-z][\w:-]*(?:\s[^<>]*)?/?>",
    re.IGNORECASE | re.DOTALL,
    needs=("<",),
)


def without_markup(text: str) -> str:
    """``text`` without HTML or XML markup (tags, comments, and what a script or style element holds),
    so 「<script>…</script>金水区高企几家」 asks what it asks; unchanged when only markup was sent."""
    kept = _MARKUP.sub(" ", text).strip()
    return kept if kept and kept != text.strip() else text


_THRESHOLD = lazy_re.compile(  # a bare threshold, naming nothing: 「那是不是超过300个了」
    r"(?:那么?|那)?(?:它|这个)?(?:是不是|是否|有没有|已经|已)?(?:超过|多于|高于|大于|少于|低于|小于|不到|不足)了?"
    r"(?P<n>\d+(?:\.\d+)?\s*(?:万亿|亿|万|千)?\s*(?:亿元|万元|元|家|户|个|项|人|名)?)(?:了)?(?:吗|么|没有|没|呢|吧)?[?？]?"
    r"|(?:and |so )?(?:is it |are they |is that |was it |were they )?(?:more than|over|above|greater than|higher than|"
    r"fewer than|less than|under|below|lower than)\s+(?P<en>\d[\d,.]*(?:\s*(?:billion|million))?(?:\s*yuan)?)\s*\??",
    re.IGNORECASE,
)


def bare_threshold(text: str) -> re.Match[str] | None:
    """Whether ``text`` is a threshold naming nothing but its number (「超过200个了吗」, "more than 200?"):
    a follow-up about the figure just given (:func:`jinshui_qa.conversation.recall.threshold`)."""
    return _THRESHOLD.fullmatch(
        arabic_numerals(to_simplified(unicodedata.normalize("NFKC", text[:200]))).strip()
    )
