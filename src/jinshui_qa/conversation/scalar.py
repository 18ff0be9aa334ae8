"""A figure of the report worked on with a number the user gives: 「高企乘以2」, 「科技型企业的一半」,
「科技型企业比2000家多多少」, 「那除以3呢」, "half of the tech enterprises", "key projects times 2".

The thing worked on is answered as a question of its own (naming nothing, it is the figure just given:
「那乘以2呢」, 「比2000家多多少」); its figure of the kind the number is said in (家, 亿元, %), else its
first count or amount, is worked on. The reply shows the figure with its period, the computation
(「723家 × 2 = 1446家」) and that the assistant computed it, not the report. A thing the router offers a
choice for is asked as that choice, and the work is done on the option picked
(:func:`jinshui_qa.conversation.pending_work.again`).

This module only reads the message (it is imported by every message's path); :mod:`.worked` answers.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, NamedTuple

from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import has_cjk, to_simplified
from jinshui_qa.text.numerals import SCALES, arabic_numerals

if TYPE_CHECKING:
    from decimal import Decimal

    from jinshui_qa.conversation.assistant import Assistant, Reply, Session

# what may mark such a message, tested before the patterns are compiled (「加」「减」 as a word of its own
# are left to the comparison reader when no number follows)
_MARKS = ("乘", "×", "*", "除", "÷", "/", "半", "分之", "倍", "番", "%", "％", "成", "加", "减", "減", "+", "-", "−", "比", "差",
          "half", "double", "twice", "third", "quarter", "times", "multiplied", "divided", "plus", "minus", "x",
          "方", "根", "²", "³", "^", "squared", "cubed", "square", "power", "＊", "／", "＋", "－", "ｘ", "÷")  # fmt: skip
_NUM = r"(\d+(?:\.\d+)?)\s*(万亿|亿|万|千)?\s*(亿元|万元|元|家|个|户|人|名|项|位|%)?"
_ZH = lazy_re.compile(
    r"(?:请问|帮我|麻烦|你|给我)?(?:算[一1]下|算算|算[一1]算|计算[一1]下)?(?:那么?|那)?(?:如果|要是|假如|假设)?(?P<thing>[^，,。？?！!]*?)\s*的?\s*(?:"
    rf"(?P<op>乘以|乘上|乘|×|\*|(?<![A-Za-z\u00c0-\u024f])[xX]|除以|÷|/|加上|加|\+|减去|减掉|减|−|-)\s*{_NUM.replace('(', '(?P<n>', 1)}"
    r"|(?P<half>一半|1半|半数)"
    r"|(?P<den>\d+)分之(?P<num>\d+)"
    r"|(?<=的)(?:百分之(?P<pct>\d+(?:\.\d+)?)|(?P<pct2>\d+(?:\.\d+)?)[%％]|(?P<cheng>[1-9])成)"
    r"|(?P<times>\d+(?:\.\d+)?)倍"
    r"|翻(?:了)?(?P<fan>[1-3])番|(?P<double>翻倍|翻1倍|翻了1倍)"
    rf"|比\s*{_NUM.replace('(', '(?P<dn>', 1)}\s*(?P<dir>多|少|高|低)[了出]?(?:多少|几)[个家项人名户位]?"
    rf"|(?:和|跟|与|离|距离)\s*{_NUM.replace('(', '(?P<gn>', 1)}\s*(?:还)?(?:差|相差|差了)(?:多少|几)[个家项人名户位]?"
    r")\s*(?:的话|以后|之后|后)?\s*(?:是多少|等于多少|等于几|是几|有多少|多少|得多少|得几|会有多少|会是多少|呢|啊|呀)?"
    r"\s*[?？。!！]?",
)
_EN = lazy_re.compile(
    r"(?:what(?:'s| is)\s+)?(?:(?P<half>half)|(?P<double>double|twice)|(?:a|one)\s+(?P<part>third|quarter|fifth|tenth))"
    r"\s+(?:of\s+)?(?:the\s+)?(?P<thing>[a-z][a-z' -]*?)\s*\??"
    r"|(?:and\s+|so\s+)?(?:what(?:'s| is| about)\s+)?(?:(?:the\s+)?(?P<thing2>[a-z][a-z' -]*?)\s+)?"
    r"(?P<op>times|multiplied by|divided by|plus|minus)"
    r"\s+(?P<n>\d+(?:\.\d+)?)\s*\??"
    r"|(?:what(?:'s| is)\s+)?(?:the\s+)?(?P<thing3>[a-z][a-z' -]*?)?\s*(?P<sym>[*×/÷+]|(?<=\s)x(?=\s)|^x(?=\d))\s*(?P<n3>\d+(?:\.\d+)?)\s*\??",
    re.IGNORECASE,
)
# a power or a root of a figure: 「高企的平方」, 「科技型企业的3次方」, 「总投资开根号」, "tech enterprises squared"
_POWER_ZH = lazy_re.compile(
    r"(?:请问|帮我|给我)?(?:算[一1]下|算算|计算[一1]下)?(?:那么?|那)?(?:(?:根号|开方)(?P<rooted>[^，,。？?！!]+?)|(?P<thing>[^，,。？?！!]+?)\s*的?\s*"
    r"(?:(?P<sq>平方|二次方|2次方|²|\^\s*2)|(?P<cube>立方|三次方|3次方|³|\^\s*3)|(?P<n>\d+)\s*次方|\^\s*(?P<e>\d+)"
    r"|(?P<root>平方根|立方根|开平方|开立方|开方|开根号|开根|算术平方根)))"
    r"\s*(?:[一1]下)?\s*(?:是多少|等于多少|等于几|是几|有多少|多少|呢|啊|呀)?\s*[?？。!！]?"
)
_POWER_EN = lazy_re.compile(
    r"(?:what(?:'s| is)\s+)?(?:the\s+)?(?:(?:square|cube)\s+root\s+of\s+(?:the\s+)?(?P<rooted>[a-z][a-z' -]*?)"
    r"|(?P<thing>[a-z][a-z' -]*?)\s*(?:(?P<sq>\ssquared|\^\s*2)|(?P<cube>\scubed|\^\s*3)|\sto the power of (?P<e>\d+)|\^\s*(?P<n>\d+))"
    r"|(?:the\s+)?square\s+of\s+(?:the\s+)?(?P<of>[a-z][a-z' -]*?))\s*\??",
    re.IGNORECASE,
)
_PERIODS = lazy_re.compile(r"(?:19|20)\d\d\s*年|\d{1,2}\s*(?:[~到至-]\s*\d{1,2}\s*)?(?:月份?|季度)|第?\d季度")
_CHECK_ZH = lazy_re.compile(  # 「是700家吗」 after an answer: the value checked against the figure just given
    r"(?:那么?|那)?(?:它|这个|那个)?(?:是不是|是|有|就是|一共|共|总共)?\s*(?P<n>\d+(?:\.\d+)?)\s*(?:万亿|亿|万|千)?\s*(?:多|余)?"
    r"\s*(?P<unit>亿元|万元|元|家|个|户|人|名|项|位|%)?\s*(?:吗|么|吧|嘛|对吗|对吧|是吗|对不对|没错吧)\s*[?？]?"
)
_EN_MORE = (r"(?:(?P<up>over|above|more than|greater than|higher than|bigger than|larger than|at least|beyond)"
            r"|(?P<down>under|below|less than|fewer than|lower than|smaller than))")  # fmt: skip
_EN_COMPARED = lazy_re.compile(
    r"(?:so\s+|and\s+)?(?:is it|is that|was it|it's|it is|that's|are there)\s+(?:really\s+|about\s+)*"
    r"(?P<cn>\d[\d.]*(?:\s*(?:billion|million))?(?:\s*yuan)?)\s*\??"
    r"|(?:is|are|was|were|has|have|does|do)\s+(?:there\s+)?(?P<thing>[a-z][a-z' -]*?)\s+"
    + _EN_MORE
    + r"\s+(?P<tn>\d[\d.]*(?:\s*(?:billion|million))?(?:\s*yuan)?)\s*(?:in jinshui)?\s*\??"
    r"|how (?:many|much) (?P<gdir>more|fewer|less)\s+(?:than\s+(?P<gn>\d[\d.]*)\s*(?P<gscale>billion|million)?"
    r"\s*(?:yuan\s+)?(?P<gthing>[a-z][a-z' -]*?)|(?P<gthing2>[a-z][a-z' -]*?)\s+(?:are there\s+|does jinshui have\s+)?"
    r"than\s+(?P<gn2>\d[\d.]*)\s*(?P<gscale2>billion|million)?(?:\s*yuan)?)(?:\s+(?:are there|in jinshui))*\s*\??",
    re.IGNORECASE,
)  # "how many more than 2000 tech enterprises are there?": the gap, as 「比2000家多多少」
_NEGATIVE = lazy_re.compile(  # a number said negative where a computation or a comparison takes its operand
    r"(?:乘以|乘上|乘|×|\*|除以|÷|/|加上|加|\+|减去|减掉|减|−|-|比|和|跟|与|离|距离|的|是|有|超过|超出|高于|低于"
    r"|少于|多于|大于|小于|不到|不足|达到|突破)\s*(?P<n>(?:[-−﹣]|负)\s*\d+(?:\.\d+)?)"
    r"|\b(?:by|times|plus|minus|than|over|under|above|below|is it|is that|are there|be)\s+(?P<en>(?:[-−]\s*|(?:minus|negative)\s+)\d+(?:\.\d+)?)",
    re.IGNORECASE,
)
WIDE = 500  # decimal digits kept when a user's number is worked on: a message is read up to 200 characters
_PARTS = {"third": 3, "quarter": 4, "fifth": 5, "tenth": 10}
_EN_OPS = {"times": "×", "multiplied by": "×", "divided by": "÷", "plus": "+", "minus": "−"}
_ZH_OPS = {"乘以": "×", "乘上": "×", "乘": "×", "×": "×", "*": "×", "x": "×", "X": "×", "除以": "÷", "÷": "÷", "/": "÷",
           "加上": "+", "加": "+", "+": "+", "减去": "−", "减掉": "−", "减": "−", "−": "−", "-": "−"}  # fmt: skip


class Work(NamedTuple):
    """What is asked: ``thing`` worked on (``""``: the figure just given) by ``op`` with ``number``.

    ``op``: × ÷ + − (a number of the figure's kind for + and −), ``more``/``less`` (「比N多多少」: the
    gap between the figure and the number), ``gap`` (「和N差多少」), ``=`` (the value checked: 「是700家吗」),
    ``>``/``<`` (whether the figure is above or below the number: thresholds), ``neg`` (a negative number
    given: nothing computed), ``pow`` (a power or root, ``shown`` the word: declined, with the reason). A named tuple: every
    message's first read imports this module, and a dataclass costs about 1 ms to create."""

    thing: str
    op: str
    number: Decimal
    scaled: bool = False  # the number was said with 万/亿 (a value), not in the figure's unit
    unit: str = ""  # the unit it was said in, if any
    shown: str = ""  # how the number is shown in the computation («1/2» for 一半)


def read(text: str) -> Work | None:
    """What ``text`` asks to compute on one figure, or ``None`` (not such a message). A negative number
    as the operand (「高企乘以-1」, "times minus 2") is ``op`` ``neg``: never read as a subtraction."""
    if (negative := _negative(text)) is not None:
        return negative
    worked = _worked(text) if any(mark in text.lower() for mark in _MARKS) else None
    if worked is None and any(ch.isdigit() for ch in text) and len(text) <= 80:
        return _compared(text)
    return worked


def _negative(text: str) -> Work | None:
    """A negative number where an operand is said (see :func:`read`), or ``None``."""
    lower = text.lower()
    if not any(sign in lower for sign in ("-", "−", "﹣", "负", "minus", "negative")):
        return None
    said = _NEGATIVE.search(arabic_numerals(to_simplified(unicodedata.normalize("NFKC", text[:200]))))
    return Work("", "neg", _dec(0), shown=" ".join((said["n"] or said["en"]).split())) if said else None


def _worked(text: str) -> Work | None:
    powered = text[:200].replace("²", "^2").replace("³", "^3")  # NFKC would make 高企² 高企2
    said = arabic_numerals(to_simplified(unicodedata.normalize("NFKC", powered))).strip()
    if (power := _power(said)) is not None:  # 「高企的平方」: never computed (see worked.py)
        return power
    if has_cjk(said):
        return _read_zh(said)
    m = _EN.fullmatch(said.replace(",", ""))
    if m is None:
        return None
    if m["sym"]:  # "tech enterprises * 2", "high-tech enterprises x 3", «x2» (the figure just given)
        return _work(m["thing3"] or "", _ZH_OPS[m["sym"]], m["n3"], None, None)
    if m["op"]:
        return _work(m["thing2"] or "", _EN_OPS[m["op"].lower()], m["n"], None, None)
    if m["half"] or m["part"]:
        parts = 2 if m["half"] else _PARTS[m["part"].lower()]
        return Work(m["thing"], "÷", _dec(parts), shown=str(parts))
    return Work(m["thing"], "×", _dec(2), shown="2")


def _power(said: str) -> Work | None:
    """A power or a root of a figure (``op`` ``pow``; ``shown``: the word said), or ``None``."""
    m = (_POWER_ZH if has_cjk(said) else _POWER_EN).fullmatch(said)
    if m is None:
        return None
    thing = m["thing"] or m["rooted"] or m.groupdict().get("of") or ""
    if re.search(r"\d", _PERIODS.sub("", thing)):  # 「2的平方」: numbers alone
        return None
    power = (
        2
        if m["sq"] or m.groupdict().get("of")
        else 3
        if m["cube"]
        else int(m.groupdict().get("n") or m.groupdict().get("e") or 0)
    )
    if has_cjk(said):
        word = "开方" if m["rooted"] or m["root"] else {2: "平方", 3: "立方"}.get(power, f"{power}次方")
    else:
        word = "root" if m["rooted"] else {2: "squared", 3: "cubed"}.get(power, "power")
    return Work(thing.strip(), "pow", _dec(power), shown=word)


def _compared(text: str) -> Work | None:
    """A value checked (``=``: 「是700家吗」, "is it 800?", naming nothing) or an English threshold naming
    its thing (``>``/``<``: "Is the investment of key projects over 500 billion yuan?")."""
    said = unicodedata.normalize("NFKC", text[:200]).strip()
    if has_cjk(said):
        said = arabic_numerals(to_simplified(said))
        m = _CHECK_ZH.fullmatch(said)
        if m is None or (not m["unit"] and re.fullmatch(r"(?:19|20)\d\d", m["n"])):  # 「2021吗」: a year
            return None
        return Work("", "=", _dec(m["n"]), shown=said)
    m = _EN_COMPARED.fullmatch(said.replace(",", ""))
    if m is None:
        return None
    if m["cn"]:
        return Work("", "=", _dec(0), shown=m["cn"])
    if m["gdir"]:
        op = "more" if m["gdir"].lower() == "more" else "less"
        scale = (m["gscale"] or m["gscale2"] or "").lower() or None
        return _work(m["gthing"] or m["gthing2"], op, m["gn"] or m["gn2"], scale, None)
    return Work(m["thing"], ">" if m["up"] else "<", _dec(0), shown=m["tn"])


def _read_zh(said: str) -> Work | None:
    first = re.fullmatch(r"(?:那么?|那)?(?:一半|1半|半数)的(.+?)(?:是多少|有多少|多少|是几|呢)?[?？]?", said)
    if first is not None and not re.search(r"\d", first[1]):  # 「一半的高企是多少」
        return Work(first[1], "÷", _dec(2), shown="2")
    m = _ZH.fullmatch(said)
    if m is None or re.search(r"\d", _PERIODS.sub("", m["thing"])):  # 「2058减723」: numbers alone, no figure
        return None  # of the report; 「2021年新增市场主体除以12」 names its thing with a period
    thing = m["thing"].strip()
    if m["op"]:
        at = m.re.groupindex["n"]  # the number's scale and unit are the two groups after it
        return _work(thing, _ZH_OPS[m["op"]], m["n"], m.group(at + 1), m.group(at + 2))
    if m["half"]:
        return Work(thing, "÷", _dec(2), shown="2")
    if m["den"]:  # 「占全市的五分之一」 states a share as 「占全市的20%」 does (below)
        den, num = _dec(m["den"]), _dec(m["num"])
        share = re.search(r"占|比重|比例|占比", thing)
        return Work(thing, "×", num / den, shown=f"{m['num']}/{m['den']}") if den and not share else None
    if m["pct"] or m["pct2"] or m["cheng"]:  # 「总投资的10%」, 「高企的两成」: a part of the figure
        if re.search(r"占|比重|比例|占比", thing):  # 「占全市的20%」 states a share, it asks no part of one
            return None
        said = m["pct"] or m["pct2"] or str(int(m["cheng"]) * 10)
        return Work(thing, "×", _dec(said) / 100, shown=f"{said}%")
    if m["double"]:
        return Work(thing, "×", _dec(2), shown="2")
    if m["fan"]:  # 翻一番 doubles, 翻两番 doubles twice
        times = 2 ** int(m["fan"])
        return Work(thing, "×", _dec(times), shown=str(times))
    if m["times"]:
        return Work(thing, "×", _dec(m["times"]), shown=m["times"])
    group = "dn" if m["dn"] else "gn"
    at = m.re.groupindex[group]
    op = "gap" if group == "gn" else ("more" if m["dir"] in "多高" else "less")
    return _work(thing, op, m[group], m.group(at + 1), m.group(at + 2))


def _work(thing: str, op: str, number: str, scale: str | None, unit: str | None) -> Work:
    from decimal import localcontext

    with localcontext() as wide:  # a number of 200 digits stays exact (the default keeps 28)
        wide.prec = WIDE
        value = _dec(number) * SCALES.get(scale or "", _dec(1))
        if unit in ("亿元", "万元"):
            value, scale = value * SCALES[unit[0]], unit[0]
    scaled = bool(scale) or unit == "元"  # 「加100元」 is 100 yuan, never 100 of the figure's 亿元
    return Work(thing.strip(), op, value, scaled, unit or "", number + (scale or "") + (unit or ""))


def in_pinyin(assistant: Assistant, text: str) -> str | None:
    """A threshold, check or gap typed in pinyin, said in Chinese (:mod:`.pinyin_said`, loaded only for a
    message of Latin letters and digits), or ``None``."""
    if not text.isascii() or not any(ch.isdigit() for ch in text):
        return None
    from jinshui_qa.conversation import pinyin_said

    return pinyin_said.chinese(assistant, text)


_FORMULA = lazy_re.compile(  # a formula may be typed: a sign between words or numbers, a bracket, x as times
    r"[+*×/÷＋＊／()（）\[\]【】]|(?<![A-Za-z\u00c0-\u024f])[xXｘＸ](?![A-Za-z\u00c0-\u024f])|(?<=[\u4e00-\u9fff\d\s)）])[-−－](?=[\u4e00-\u9fff\d\s(（])"
    r"|除以|[加乘](?![快强大速入工油班盟坐客法起在到码息紧剧深车])|\b(?:plus|minus|times|multiplied by|divided by)\b",
    re.IGNORECASE,
)


def computed(assistant: Assistant, text: str, session: Session, now: float) -> Reply | None:
    """A formula (:mod:`.formula`, loaded only when a sign or an operator word is typed) or a figure worked
    on (:func:`read`, :func:`worked`) answered, else ``None``."""
    work = read(text)
    if (
        (work is None or work.op != "neg")
        and any(m in text.lower() for m in _MARKS)
        and _FORMULA.search(text[:200])
    ):
        from jinshui_qa.conversation import formula  # a negative operand is said so, never worked on

        if (done := formula.reply(assistant, text, session, now)) is not None:
            return done
    return worked(assistant, text, session, now) if work is not None else None


def worked(assistant: Assistant, text: str, session: Session, now: float) -> Reply | None:
    """The computation answered (:func:`jinshui_qa.conversation.worked.reply`, loaded at first use)."""
    from jinshui_qa.conversation import worked as computed

    return computed.reply(assistant, text, session, now)


def _dec(value: str | int) -> Decimal:
    """A decimal (the module ``decimal`` is imported on first use: not at every message's first read)."""
    from decimal import Decimal

    return Decimal(value)
