"""A figure the user states, plainly or as what someone else said, checked against the report.

「我朋友说高企有1000家，是真的吗」, 「同事说重点项目有300个」, "My friend said there are 1000 high-tech
enterprises, is that true?": who said it is not what is asked. A clause opened by someone saying
(朋友说, 同事跟我说, 网上有人说, 新闻上说, my friend said, someone told me) reads as hearsay (听说, I heard),
which :mod:`.premise` and :mod:`.verify` already check: :func:`heard_as`.

A message that only states a figure (「高企有1000家」, 「听说高企有1000家」), or states it and asks
whether it is so (是真的吗, 对吗, 靠谱吗, "is that true?"), asks to check it: :func:`as_check` says it as
the check :mod:`.verify` answers (「高企有1000家吗」 → 不对，报道说的是723家…; "Are there 1000 …?").
A figure stated plainly before a question (「重点项目有300个，总投资是多少」) is a premise like one said
with 那 or 听说: :func:`stating` tells :func:`jinshui_qa.conversation.premise.split` so, and a check clause
between them (「…，是真的吗？总投资多少」) is no question of its own (:func:`only_checks`).
"""

from __future__ import annotations

import re
import unicodedata

from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import to_simplified
from jinshui_qa.text.numerals import arabic_numerals

# someone saying, at the opening of a clause: 我朋友说, 我的同事跟我说, 网上有人说, 新闻上讲, 听朋友讲过
_SAID_ZH = lazy_re.compile(
    r"^\s*(?:我|我们|俺|咱)?(?:的|家|那个|有个|有位|一个|一位)?"
    r"(?P<who>[\u4e00-\u9fff]{1,6}?)(?:跟我|和我|对我|给我|告诉我)?(?:说|讲|称|提到|告诉我)(?:过|了)?(?![的法明])[，,：:]?\s*"
)
_NOT_WHO = lazy_re.compile(
    r"怎|什么|啥|哪|谁|多少|几|你|据|听|报道|区|企业|项目"
)  # 怎么说; 据说/听说 are read as they are
_SAID_EN = lazy_re.compile(
    r"^\s*(?:(?:my|our|a|an|some|one of my)\s+[a-z][a-z' -]{1,30}?|someone|somebody|people|they|he|she|"
    r"the news|the internet|a website|the paper)\s+(?:said|says|told me|tells me|claims?|claimed|mentioned|reckons)"
    r"(?:\s+that)?[,:]?\s+",
    re.IGNORECASE,
)
# a clause stating a figure: a thing, a verb of stating, a number with its unit (300个, 4000亿, 20%)
_CLAIM_ZH = lazy_re.compile(
    r"(?P<thing>[^\d，,。？?！!；;]*?[\u4e00-\u9fff][^\d，,。？?！!；;]*?)\s*"
    r"(?P<verb>有|是|达到了|达到|达|为|共有|共|一共有|一共|总共有|总共|超过了|超过|突破了|突破|大概有|大约有|差不多有|约有|约"
    r"|占了|占到|占|)\s*(?P<n>\d+(?:\.\d+)?\s*(?:万亿|亿|万|千)?\s*(?:多|余|来)?\s*(?:亿元|万元|元|家|个|户|人|名|项|位|%)(?!月|季|年|小时|天))"
    r"(?P<after>[\u4e00-\u9fff“”\"]{0,12}?)\s*(?P<tail>左右|上下|出头|以上|多|了|啦|呢)?\s*[。！!]*"
)
_ASKS_ZH = lazy_re.compile(r"多少|几|哪|什么|啥|谁|怎|吗|么|呢|吧|嘛|是不是|有没有|对不对|没错|[?？]")
# a clause that only asks whether what was said is so
_CHECK = lazy_re.compile(
    r"\s*(?:这|那|这个|那个|这话|这种说法|这个说法|此话|他说的|她说的|说的)?\s*(?:是真的吗|是真的么|是真的|真的吗|真的么|"
    r"对吗|对么|对不对|是吗|是不是真的|是不是|靠谱吗|靠不靠谱|准吗|准不准|准确吗|属实吗|没错吧|对吧|可信吗|真的假的|"
    r"是这样吗|有这回事吗|有没有这回事)\s*[?？!！。]*"
    r"|\s*(?:is\s+(?:that|it|this)\s+(?:really\s+)?(?:true|right|correct|so)|(?:is that|am i)\s+right|right|true|really)\s*[?!.]*",
    re.IGNORECASE,
)
_CLAUSE = lazy_re.compile(r"[^。！？!?；;，,：:\n]+[。！？!?；;，,：:\n]*")
_CLAIM_EN = lazy_re.compile(
    r"(?:that\s+)?(?:(?P<there>there\s+(?:are|were|is)|there're)\s+(?P<rest>\d.*)"
    r"|(?P<who>[a-z][a-z' -]*?)\s+(?P<has>has|have|had)\s+(?P<what>(?:about\s+|around\s+|over\s+)?\d.*)"
    r"|(?P<it>[a-z][a-z' -]*?)\s+(?P<be>is|are|was|were)\s+(?P<value>(?:about\s+|around\s+|over\s+)?\d.*))",
    re.IGNORECASE,
)


_WORDS = (
    "一共",
    "一起",
    "一下",
    "一些",
    "一直",
    "一定",
    "一批",
    "一样",
    "统一",
    "唯一",
    "一体",
    "一流",
    "一站",
    "万户",
)


def _norm(text: str) -> str:
    """Simplified, NFKC, numerals as digits; words written with 一 kept as words (一共 is no 1共)."""
    said = arabic_numerals(to_simplified(unicodedata.normalize("NFKC", text)))
    for word in _WORDS:
        if word in text:
            said = said.replace(arabic_numerals(word), word)
    return said


def heard_as(text: str) -> str:
    """``text`` with someone's saying at its opening said as 听说 / "I heard" (see the module docstring),
    when a figure follows; else ``text`` unchanged."""
    if text.isascii():
        m = _SAID_EN.match(text)
        return f"I heard {text[m.end() :]}" if m and re.search(r"\d", text[m.end() :]) else text
    m = _SAID_ZH.match(text)
    if m is None or _NOT_WHO.search(m["who"]) or not re.search(r"\d", _norm(text[m.end() :])):
        return text
    return f"听说{text[m.end() :]}"


def stating(clause: str) -> bool:
    """Whether ``clause`` (one clause, Chinese) states a figure of a thing of its own words (not a
    period or a place alone: 「前3个月」, 「金水区有3个」) and asks nothing."""
    said = _norm(clause).strip()
    m = _CLAIM_ZH.fullmatch(said)
    return m is not None and not _ASKS_ZH.search(said) and _named(m["thing"] + m["after"])


def only_checks(clause: str) -> bool:
    """Whether ``clause`` only asks whether what was said is so (是真的吗, 对吗, "is that true?")."""
    return _CHECK.fullmatch(_norm(clause).strip()) is not None


def as_check(text: str) -> str | None:
    """The check a message of stated figures asks (see the module docstring), or ``None``: one clause
    stating a figure (after 听说/I heard, if said so), then nothing or only a check clause; several
    figures stated (「高企723家，科技型企业3000家，对吗」, "is it true there are 700 … and 3000 …?") are
    each checked (:func:`_several`)."""
    if (several := _several(text)) is not None:
        return several
    clauses = [c.strip() for c in _CLAUSE.findall(text) if c.strip(" \t。！？!?；;，,：:\n")]
    if not 1 <= len(clauses) <= 2 or (len(clauses) == 2 and not only_checks(clauses[1])):
        return None
    claim = clauses[0].rstrip("。！？!?；;，,：:\n ")
    if claim.isascii():
        return _as_check_en(claim)
    from jinshui_qa.conversation.premise import HEARSAY

    heard = HEARSAY.match(to_simplified(claim))
    said = _norm(claim[heard.end() :] if heard else claim).strip()
    glued = next((i for i in range(max(1, len(said) - 12), len(said)) if only_checks(said[i:])), None)
    if glued is not None and len(clauses) == 1:  # 「高企有1000家是真的吗」: the check glued to the claim
        said, clauses = said[:glued].rstrip(), [*clauses, said[glued:]]
    m = _CLAIM_ZH.fullmatch(said)
    if (
        m is None
        or _ASKS_ZH.search(said)
        or (not heard and len(clauses) == 1 and not _named(m["thing"] + m["after"]))
    ):
        return None
    return f"{m['thing'].strip()}{m['verb']}{m['n']}{m['after']}{m['tail'] or ''}吗"


def _named(thing: str) -> bool:
    """A plain statement alone (no hearsay, no check) is checked only when it names a thing of its own
    words (「高企有1000家」), not when its words are all a period or a place (「金水区有3个」)."""
    rest = re.sub(r"金水区?|郑州市?|今年|去年|全年|目前|现在|一共|总共|\d+年|[的了]", "", thing)
    return len(rest.strip()) >= 2


def _as_check_en(claim: str) -> str | None:
    from jinshui_qa.conversation.premise import HEARSAY

    heard = HEARSAY.match(claim)
    if heard is None:  # an English statement alone is left to the router
        return None
    said = claim[heard.end() :].strip().rstrip(".!")
    if bare := re.fullmatch(
        r"(?:that\s+)?(?:it(?:'s| is| was)\s+|there (?:are|were)\s+)?(\d[\d,.]*(?:\s*(?:billion|million))?(?:\s*yuan)?)",
        said,
        re.I,
    ):
        return (
            f"is it {bare[1]}?"  # "my friend said 1000, is that true?" after an answer: the figure just given
        )
    m = _CLAIM_EN.fullmatch(said)
    if m is None:
        return None
    if m["there"]:
        return f"{_there_verb(m['there'])} there {m['rest']}?"
    if m["has"]:
        do = {"has": "Does", "have": "Do", "had": "Did"}[m["has"].lower()]
        return f"{do} {m['who']} have {m['what']}?"
    return f"{m['be'].capitalize()} {m['it']} {m['value']}?"


MAX_CLAIMS = 4
_JOINED_ZH = lazy_re.compile(r"(?<=[家个户人名项位%元])\s*(?:，|,|、|和|跟|以及|及|还有|另外)\s*", needs=("，", ",", "、", "和", "跟", "及", "还有", "另外"))  # fmt: skip
_TRUE_EN = lazy_re.compile(
    r"^\s*is\s+it\s+(?:really\s+)?(?:true|right|correct|so)\s+(?:that\s+)?", re.IGNORECASE
)
_TRUE_TAIL_EN = lazy_re.compile(
    r"[,;]?\s*(?:is\s+(?:that|it|this)\s+(?:really\s+)?(?:true|right|correct|so)|right|true)\s*$",
    re.IGNORECASE,
)
_AND_NUMBER_EN = lazy_re.compile(
    r"\s*(?:,\s*and|,|;|\band)\s+(?=(?:about\s+|around\s+|over\s+|nearly\s+)?\d)", re.IGNORECASE
)


def _several(text: str) -> str | None:
    """Two to :data:`MAX_CLAIMS` figures stated, then nothing or a check clause (or said as hearsay, or
    after "is it true that"), each said as its own check: 「A有723家吗？B有3000家吗？」, "Are there 700 …?
    Are there 3000 …?" (:mod:`.compound` answers each with its verdict); ``None`` for anything else."""
    if text.isascii():
        return _several_en(text)
    clauses = [c.strip(" \t。！？!?；;，,：:\n") for c in _JOINED_ZH.split(_norm(text))]
    clauses = [c for c in clauses if c]
    if len(clauses) >= 2 and only_checks(clauses[-1]):
        clauses.pop()
    elif clauses and (glued := next((i for i in range(max(1, len(clauses[-1]) - 12), len(clauses[-1]))
                                     if only_checks(clauses[-1][i:])), None)) is not None:  # fmt: skip
        clauses[-1] = clauses[-1][:glued].rstrip()  # 「…，科技型企业3000家对吗」: the check glued on
    if not 2 <= len(clauses) <= MAX_CLAIMS:
        return None
    from jinshui_qa.conversation.premise import HEARSAY

    heard = HEARSAY.match(clauses[0])
    clauses[0] = clauses[0][heard.end() :].strip() if heard else clauses[0]
    checks: list[str] = []
    for clause in clauses:
        m = _CLAIM_ZH.fullmatch(clause)
        if m is None or _ASKS_ZH.search(clause) or not _named(m["thing"] + m["after"]):
            return None
        checks.append(f"{m['thing'].strip()}{m['verb']}{m['n']}{m['after']}{m['tail'] or ''}吗？")
    return "".join(checks)


def _several_en(text: str) -> str | None:
    from jinshui_qa.conversation.premise import HEARSAY

    body = text.strip().rstrip("?.! ")
    said = _TRUE_EN.match(body) or HEARSAY.match(body)
    tail = None if said else _TRUE_TAIL_EN.search(body)
    if said is None and tail is None:
        return None  # several figures stated plainly in English are left to the router
    body = body[said.end() :] if said else body[: tail.start() if tail else len(body)]
    parts = [p.strip() for p in _AND_NUMBER_EN.split(body.strip())]
    m = _CLAIM_EN.fullmatch(parts[0])
    if not 2 <= len(parts) <= MAX_CLAIMS or m is None or m["it"]:
        return None
    if m["there"]:
        verb = _there_verb(m["there"])
        return " ".join(f"{verb} there {p}?" for p in (m["rest"], *parts[1:]))
    do = {"has": "Does", "have": "Do", "had": "Did"}[m["has"].lower()]
    return " ".join(f"{do} {m['who']} have {p}?" for p in (m["what"], *parts[1:]))


def _there_verb(there: str) -> str:
    """The question's verb for a claim's "there is / are / were": Is, Are or Were."""
    low = there.lower()
    return "Were" if "were" in low else ("Is" if low.endswith(" is") else "Are")
