"""Read a comparison out of a message: which operation, and the two things compared.

Operations (:data:`jinshui_qa.conversation.arithmetic.OPS`): ``difference`` (差多少, 多多少, how many
more), ``ratio`` (是几倍, how many times), ``larger`` (哪个多, which is bigger), ``sum`` (一共, 合计,
in total) and ``pp_difference`` (相差多少个百分点, percentage points). The two operands come from
「A比B…」, 「A是B的几倍」, 「A多还是B多」, a conjunction (「A和B哪个多」) or English "more A than B",
"between A and B", "A or B"; each becomes a question of its own for the single-question path, and an
operand naming nothing the fact base knows takes the subject of the other (「重点项目总投资比年度投资多多少」).
The measure asked (a share, an amount of money, a count) is read too, to pick the right figure of a fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jinshui_qa.conversation import arithmetic as ar
from jinshui_qa.conversation import literals
from jinshui_qa.conversation.gazetteer import own_total
from jinshui_qa.conversation.splitting import CONJ_ZH, Gazetteer, prepare
from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import has_cjk

_OPS_ZH = (
    ("pp_difference", r"(?:差|相差|高|低|多|少|差距)[^，,]{0,6}百分点|百分点"),
    (
        "ratio",
        r"(?:几|多少)倍|倍数|翻了几番|之比|比值|除以|的[一二两三四五六七八九十\d.]+倍(?:多|以上)?(?:吗|么|不|没有|呢)",
    ),
    (
        "share_of",
        r"(?:占|是|相当于)(?!比)(?P<whole>[^，,。？?]{2,20}?)的?(?:比例|比重|百分之几|百分之多少|几成|多少|百分比)",
    ),
    (
        "larger",
        r"哪(?:个|一个|项|样|边)[^，,。？?]{0,6}?(?:更|比较)?(?:多|大|高|少|小|低|靠前)|谁[^，,。？?]{0,4}?(?:多|大|高|少)"
        r"|(?:多|大)[，,]?\s*还是|(?<![占对相])比(?!重(?!点)|[例较率])[^，,。？?]{1,20}?(?:多|少|大|小|高|低)(?:吗|么|不|没有|还是|呢)|(?:超过|多于|少于|低于|不到|不足|没有到|没到|未到)(?=\s*[\d两一二三四五六七八九十百千万])[^，,。？?]{1,20}?(?:了)?(?:吗|么|没有|吧)|超过[^，,。？?]{1,20}?(?:了)?(?:吗|么|没有)"
        r"|相比(?:怎么样|如何|哪个|谁)|对比(?:一下)?|有[^，,。？?]{1,20}?(?:多|大|高)吗|是否超过|是不是超过|有没有超过|孰多|孰大|孰高|那(?:个|一个)(?:更)?(?:多|大)(?!少)|(?<![占对相])比(?!重(?!点)|[例较率])[^，,。？?]{1,20}?(?:多|少|大|小|高|低)(?:一些|些|得多)?[吗么呢?？]?$",
    ),
    (
        "difference",
        r"差[了有个]{0,2}(?:多少|几)|相差|差距|差额|差值|之差|的差是|(?:多|少|高|低|早|晚)[了出来有些]{0,3}(?:多少|几)|多出[^，,。？?]{1,20}?(?:多少|几)|超(?:过|出)了?[^，,。？?]{0,20}?(?:多少|几)"
        r"|(?:领先|落后)[^，,。？?]{0,20}?(?:多少|几)|(?:增加|减少|增长|多出|超出)了?(?:多少|几)|减去|减掉|减(?![少税免负])",
    ),
    (
        "sum",
        r"一共|合计|加起来|加一下|加一起|加在一起|加一块|加到一起|合在一起|总共|共计|总和|之和|相加|合起来|总计|统共|共有|共多少|加总|合共|加上|加(?=[^，,。？?]{1,20}?(?:等于|是多少|一共|有多少))",
    ),
)
_OPS_EN = (
    ("pp_difference", r"percentage[- ]points?"),
    ("share_of", r"what (?:percentage|proportion|share|fraction|percent) of (?P<whole>.+?) (?:is|are|do|does)\b"),
    ("ratio", r"\btwice as\b|\bdivided by\b|how many times|times (?:as (?:many|much|large|big)|more|bigger|larger)|ratio (?:of|between)|what multiple"),
    ("larger", r"\bwhich\b.{0,40}\b(?:larger|bigger|more|higher|greater|fewer|smaller|less|lower)\b|\bmore\b.{0,40}\bor\b"),
    ("difference", r"how (?:many|much) (?:more|fewer|less|bigger|larger|higher|greater|smaller|lower)|difference (?:between|of|in)|\bgap (?:between|of|in)|how (?:big|large|wide) is the (?:gap|difference)|how far apart|\bminus\b|\bmore than\b.{0,40}\bhow (?:many|much)\b|\bexceeds?\b|\boutnumbers?\b"),
    ("larger", r"\b(?:is|are|does|do)\b.{0,60}\b(?:greater|larger|bigger|more|higher|fewer|smaller|less)\b.{0,30}\bthan\b"
               r"|\bcompared?\b|\bcomparison\b|\boutnumbers?\b"),
    ("sum", r"\bplus\b|\bin total\b|\bin all\b|\bcombined\b|\baltogether\b|\btogether\b|\bsum of\b|\badd(?:ed)? up\b|\btotal of\b.{0,60}\band\b|^add\b.{1,80}\bto\b"),
)  # fmt: skip
_MEASURES = (
    ("share", r"占比|比重(?!点)|比例|占全|百分点|份额|\bshares?\b|percent|proportion"),
    ("money", r"投资|资金|金额|亿元|万元|多少钱|贷款额|\byuan\b|invest|fund|money|amount"),
    ("people", r"人才|人数|多少人|几个人|\bpeople\b|\btalents?\b"),
    ("count", r"(?:多少|几)(?:个|家|项|户)|数量|个数|数目|how many|\bnumber of\b"),
)
_CLASSIFIER = lazy_re.compile(r"(?:多少|几)(个|家|项|户|人|名)")
_FRAMES = lazy_re.compile(r"全市|全省|全国|全区|郑州|河南|市里|省里|城市|全部|总数")
_BI = lazy_re.compile(
    r"(?<![占对相])比(?!重(?!点)|例|较|率|赛|拼)|超过|超出|相比于?|相较于?|较(?![多少大小低好为快慢早晚])(?!高(?!新))"
)
_TIMES = lazy_re.compile(
    r"(?P<a>.+?)(?:约|大约)?(?:是|为|相当于|等于|有)(?P<b>.+?)的(?:几|多少|[一二两三四五六七八九十\d.]+)倍"
)
_WITH_WHOM = lazy_re.compile(r"哪|谁|什么|啥")  # after 和/跟/与: a partner asked for, not a second thing
_EITHER = lazy_re.compile(r"(?P<a>.+?)(?:多|大|高)[，,]?\s*还是(?P<b>.+?)(?:多|大|高)")
_CONJ = lazy_re.compile(r"以及|还是|或者|或|、|同(?=[\u4e00-\u9fff])|" + CONJ_ZH.pattern)
_EN_SPLIT = lazy_re.compile(
    r"\s+(?:than|and|or|as|minus|plus|divided by|outnumbers?|exceeds?|vs\.?|versus|to|with|compared (?:with|to))\s+"
    r"|\s*[,:;]\s*"
)
_EN_FILLER = lazy_re.compile(
    r"^(?:(?:how|what|what's|which|is|are|does|do|did|the|of|in|there|jinshui|district|'s|many|much|more|fewer|"
    r"less|times|as|difference|gap|between|ratio|sum|total of|combined|altogether|together|one|has|have|"
    r"larger|bigger|higher|greater|number|numbers|percentage|points?|shares?|compare|add|big|that|this|it|by|city)\b\s*)+|"
    r"(?:\s*\b(?:does|do|are|is|has|have|in|of|jinshui|district|combined|together|altogether|there|total|"
    r"larger|bigger|higher|greater|more|have|'s|how|many|much|add up to|add up|added up|is that|in all|"
    r"how big is the gap|how big is the difference|differ|differs)\b)+\s*$",
    re.IGNORECASE,
)
_EN_ATTRIBUTE = lazy_re.compile(  # an English operand naming only a measure («their annual planned investment»)
    r"(?:(?:the|their|its|total|annual|planned|overall|investment|funding|funds?|amount|count|share|new|ones?)\s*)+",
    re.IGNORECASE,
)
_ZH_TRIM = lazy_re.compile(
    r"^(?:请问|问一下|想问|你好|您好|金水区的?|金水的?|贵区的?|把)+"
    r"|(?:的|之间|两者|两个|二者|相比|比较|比起来|比一比|起来|比|等于|是多少|有多少|多少|是几|，|,|\s)+$"
)


_FILTER = lazy_re.compile(
    r"(?:超过|超出|多于|高于|大于)了?\s*[\d.两一二三四五六七八九十百千万]+\s*(?:万亿|亿|万|千)?\s*(?:亿元|万元|元|家|个|户|人|名|项)?(?:以上)?的"
)


@dataclass(frozen=True)
class ComparisonAsk:
    """A comparison read from a message: the operation, the two operand questions and the measure."""

    op: str
    operands: tuple[str, str]
    measure: str = ""
    unit: str = ""  # the counting word the question uses (家, 户, 个), if any
    percent: bool = False  # a ratio asked as a share (「高新技术企业占科技型企业的比例」)
    bare: tuple[str, str] = ("", "")  # the operands as said, a second try when their questions fail
    frames: tuple[str, str] = ("", "")  # the whole each operand takes a share of, when it names one (全省)
    measures: tuple[str, str] = ("", "")  # what each operand's share is of besides a count (营收), if said
    more: tuple[str, ...] = ()  # further things to add, as said (「A、B、C和D一共多少家」: C and D)


def operation(text: str, skip: str = "") -> tuple[str, re.Match[str]] | None:
    """The first operation the prepared ``text`` asks for (other than ``skip``), with where it was said."""
    for op, pattern in _OPS_ZH if has_cjk(text) else _OPS_EN:
        m = None if op == skip else re.search(pattern, text, re.IGNORECASE)
        if m:
            return op, m
    return None


def measure(text: str) -> str:
    return next((kind for kind, pattern in _MEASURES if re.search(pattern, text, re.IGNORECASE)), "")


def _operands_zh(text: str, at: re.Match[str]) -> tuple[str, str] | None:
    for pattern in (_TIMES, _EITHER):
        m = pattern.search(text)
        if m:
            return m.group("a"), m.group("b")
    head, tail = text[: at.start()], text[at.end() :]
    if re.fullmatch(
        r"减去|减掉|减|加上|加|除以", at.group(0)
    ):  # 「A减去B是多少」: the operation sits between the two
        return head, tail
    if at.group(0).startswith("比"):  # 「A比B多吗」: the second operand is inside the operation's words
        return head, re.sub(
            r"^比|[多少大小高低]+[了出来有些]{0,3}(?:多少|几[个家项人名户位]?)?(?:一些|些|得多)?(?:吗|么|不|没有|还是|呢)?[?？]?$",
            "",
            at.group(0),
        )
    if at.group(0) in (
        "是否超过",
        "是不是超过",
        "有没有超过",
    ):  # 「重点项目是不是超过300个」: B is what follows
        return head, tail
    if at.group(0).startswith(
        ("超过", "超出", "领先", "落后", "多于", "少于", "低于", "不到", "不足", "没有到", "没到", "未到")
    ):  # 「A超出B多少」
        return head, re.sub(
            r"^(?:超过|超出|领先|落后|多于|少于|低于|不到|不足|没有到|没到|未到)了?|(?:多少|几)$|吧$",
            "",
            at.group(0),
        )
    bi = _BI.search(head)
    if bi and _ZH_TRIM.sub("", head[bi.end() :]):
        return head[: bi.start()], head[bi.end() :]
    head = head[: bi.start()] if bi else head  # 「A跟B比，哪个多」
    cuts = [c for c in _CONJ.finditer(head) if not _WITH_WHOM.match(head, c.end())]  # 「跟哪家合作」 asks
    if not cuts:
        cuts = [c for c in _CONJ.finditer(tail) if not _WITH_WHOM.match(tail, c.end())]
        if len(cuts) != 1:
            return None
        return tail[: cuts[0].start()], tail[cuts[0].end() :]
    cut = cuts[0]
    return head[: cut.start()], head[cut.end() :]


def _operands_en(text: str, every: bool = False) -> Any:
    """The last two things named (``every``: all of them, as a list), or ``None`` for fewer than two."""
    pieces = [p for p in _EN_SPLIT.split(text.strip(" ?.!")) if p.strip()]
    named = [_EN_FILLER.sub("", p).strip() for p in pieces]
    named = [p for p in named if p]
    if len(named) < 2:
        return None
    return named if every else (named[-2], named[-1])


def detect(text: str, gazetteer: Gazetteer) -> ComparisonAsk | None:
    """The comparison ``text`` asks for, or ``None`` (no operation, or not two things the base knows)."""
    text = prepare(text)
    found = operation(text)
    if found is None:
        return None
    op, at = found
    if op == "sum" and own_total(text, at.start(), gazetteer):  # 「A有多少，还有B总共多少钱」: B's own
        return None
    if _FILTER.match(
        at.group(0)
    ):  # 「投资超过1000万的储备项目有多少」: a threshold that selects, not compared
        return None
    cjk = has_cjk(text)
    if op == "share_of" and (
        _FRAMES.search(at.group("whole"))
        or re.fullmatch(r"多大|多少|多高|几成|什么|啥|怎样", at.group("whole"))
    ):  # 「A和B占全市比重相差多少」, 「在全市占多大比重」: another operation, or none
        found = operation(text, skip="share_of")
        if found is None:
            return None
        op, at = found
    if op == "share_of":  # both sides must be things the facts know, never 全市 or 郑州
        a, b = _ZH_TRIM.sub("", text[: at.start()]), at.group("whole")
        if not cjk:  # "what percentage of A are B"
            a, b = _EN_FILLER.sub("", text[at.end() :].strip(" ?.")).strip(), _EN_FILLER.sub("", b).strip()
        if _FRAMES.search(b) or not gazetteer.subject_in(a):
            return None
        b = b if gazetteer.subject_in(b) else gazetteer.subject_in(a) + b  # 「年度计划投资占总投资的几成」
        return ComparisonAsk(
            "ratio", (_question(a, "", cjk), _question(b, "", cjk)), "", percent=True, bare=(a, b)
        )
    pair = _operands_zh(text, at) if cjk else _operands_en(text)
    if pair is None:
        return None
    if cjk:
        a, b = (_ZH_TRIM.sub("", p.strip()) for p in pair)
        near_a, near_b = re.split(r"[，,]", a)[-1], re.split(r"[，,]", b)[0]  # the clause each is said in:
        a = near_a if gazetteer.subject_in(near_a) else a  # 「我在看材料，里面有A和B的数字，哪个多」
        b = near_b if gazetteer.subject_in(near_b) else b
    else:
        a, b = _shared_head(*(p.strip() for p in pair))
    if not a or not b:
        return None
    more: tuple[str, ...] = ()
    if op == "sum" and cjk:  # a total over three or more things, each of them something known
        rest = [p for p in (_ZH_TRIM.sub("", x.strip()) for x in _CONJ.split(b)) if p]
        b, more = (rest[0], tuple(rest[1:])) if len(rest) > 1 and all(map(gazetteer.knows, rest)) else (b, ())
    elif op == "sum":
        named = _operands_en(text, every=True) or []
        if len(named) > 2 and all(map(gazetteer.knows, named)):
            a, b, more = named[0], named[1], tuple(named[2:])
    subject_a, subject_b = gazetteer.subject_in(a), gazetteer.subject_in(b)
    if not subject_a and not subject_b:
        return None
    joiner = "" if cjk else " "
    if (
        not subject_b and literals.bare_number(b, years=True) is None and (cjk or _EN_ATTRIBUTE.fullmatch(b))
    ):  # 「…总投资比年度投资多多少」: b's subject is a's; 「比2000多吗」: a number (or year), not an attribute
        b = f"{subject_a}{joiner}{b}"
    elif not subject_a and (cjk or _EN_ATTRIBUTE.fullmatch(a)):
        a = f"{subject_b}{joiner}{a}"
    kind = "share" if op == "pp_difference" else measure(text)
    counted = _CLASSIFIER.search(text)
    word = counted.group(1) if counted else ""
    operands = (_question(a, kind, cjk, word), _question(b, kind, cjk, word))
    frames = (ar.frame_named(a), ar.frame_named(b))
    if frames[0] != frames[1] and "" in frames:  # 「A和B占全市的比重」: said once
        frames = (frames[0] or frames[1],) * 2
    measures = (ar.share_measure_named(a), ar.share_measure_named(b)) if kind == "share" else ("", "")
    return ComparisonAsk(op, operands, kind, word, bare=(a, b), frames=frames, measures=measures, more=more)


_HEAD_OF = lazy_re.compile(
    r"^(?:.*\b(?:are|is|the)\s+)?(?:the |their |its )?(?P<head>[a-z][\w -]*?)\s+of\s+(?:the\s+)?(?P<of>.+)$"
)
_THAT_OF = lazy_re.compile(r"^(?:that|those|the ones?|the one) of\s+(?:the\s+)?", re.IGNORECASE)
_MEASURE_HEAD = lazy_re.compile(
    r"\b(?:shares?|investment|funding|funds|amount|number|count|total|percentage)\b"
)


def _shared_head(a: str, b: str) -> tuple[str, str]:
    """English operands with the measure said once: "the total investment of A than that of B" and "the
    city shares of A and B" ask the same measure of B as of A."""
    head = _HEAD_OF.match(a)
    if head is None or not _MEASURE_HEAD.search(head["head"]):
        return a, b
    if _THAT_OF.match(b):
        return f"{head['head']} of {head['of']}", f"{head['head']} of {_THAT_OF.sub('', b)}"
    if " of " not in b:
        return f"{head['head']} of {head['of']}", f"{head['head']} of {b}"
    return a, b


def question(operand: str, ask: ComparisonAsk) -> str:
    """A further operand of ``ask`` (one of ``more``) as a question of its own."""
    return _question(operand, ask.measure, has_cjk(operand), ask.unit)


def _question(operand: str, kind: str, cjk: bool, classifier: str = "") -> str:
    """The operand as a question of its own for the single-question path."""
    if cjk:
        if kind == "share":
            return operand if "占" in operand else f"{operand}占全市的比例是多少"
        return f"{operand}有多少{classifier}" if classifier else f"{operand}是多少"
    if kind == "share":
        return f"what share of the city is {operand}"
    return f"how much is {operand}" if kind == "money" else f"how many {operand}"
