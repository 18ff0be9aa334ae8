"""Split a message into the questions it asks, without splitting the names that contain 和 or "and".

Clauses end at question marks, full stops and semicolons, at commas between two questions and at
enumeration markers (一是…二是…). Inside a clause, a conjunction (和 跟 与 及 以及 还有 、 "and")
joins either two whole questions or two subjects sharing one measure; shared words are distributed:
「重点实验室和研发机构各有几家」 -> 「重点实验室有几家」「研发机构有几家」; "How many incubation
carriers and R&D institutions does Jinshui have?" -> "How many incubation carriers does Jinshui have?",
"How many R&D institutions does Jinshui have?". A conjunction inside a name the fact base knows
(大众创业万众创新, 高校院所合作, research and development) is never a split point, and a split only
stands when every part names something the :class:`Gazetteer` knows (a part naming nothing, such as
「资金排全市第几」 after 「专项债申报了多少个项目」, takes the subject of the part before it).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from jinshui_qa.conversation.gazetteer import CONJ_ZH, Gazetteer, prepare
from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import has_cjk

__all__ = [
    "CONJ_ZH",
    "Gazetteer",
    "clauses",
    "coordinate",
    "is_context",
    "is_question",
    "prepare",
    "segments",
    "split",
    "split_parts",
]

_CLAUSE_END = lazy_re.compile(r"(?<=[?？!！。;；\n])")  # the mark stays with its clause: a "?" asks
_ENUM = lazy_re.compile(
    r"(?:^|[，,;；:：]\s*)(?:[一二三四五六七八九]是|其[一二三四五六]是?|[1-9][.、)）]|[(（][1-9一二三四五六][)）]|[①-⑨])"
)
_COMMA = lazy_re.compile(r"[,，]\s*|(?<=[\u4e00-\u9fff])\s+(?=\S)|(?<=[^\x00-\x7f\s])\s+(?=[\u4e00-\u9fff])")
_CONJ_EN = lazy_re.compile(r"\s*,?\s+(?:and also|as well as|and|plus)\s+|\s*,\s*|\s+&\s+", re.IGNORECASE)
_QWORD_ZH = lazy_re.compile(
    r"多少|几|(?:了|过)没有?(?=$|[?？])|什么|啥|哪|谁|吗|(?<![这那])么|呢|对不对|是否|是不是|能不能|有无|何时|介绍|讲讲|说说|谈谈|有没有|怎么|怎样|如何|咋|第几|为何|何|多大|多高|多久|排名|排位|情况|数量|规模"
)
_QWORD_EN = lazy_re.compile(
    r"\b(?:how|what|which|who|where|when|number of)\b|^(?:is|are|does|do|did|can|tell me|give me)\b|\?$"
)
_LEAD = lazy_re.compile(
    r"^(?:(?:and also|and then|and|also|plus|then|or)\s+(?=\w)|(?:另外|此外|还有|以及|再问一下|再问|还想问)(?=\S))",
    re.IGNORECASE,
)
_DISTRIBUTIVE = lazy_re.compile(r"各自|分别|各|都")
_MEASURE_END = lazy_re.compile(
    r"(?:个数|数量|数目|规模|金额|总额|总量|总数)$"
)  # a conjunct with its own measure
_EACH = lazy_re.compile(
    r"分别|各自|各(?:有|是|为|占|排|多少|几)|\b(?:respectively|each)\b"
)  # several asked, said outright
# A piece that only greets, thanks, wishes well or fills (dialect 「弄啥嘞」): never a question of its own.
_COURTESY = lazy_re.compile(
    r"(?:(?:非常|十分|万分|多|太)?(?:谢谢|感谢|多谢|谢了|谢啦)(?:您|你|们|老师|领导|大家|啦|了|啊|哈|呀)*(?:的(?:解答|回答|帮助|服务))?"
    r"|麻烦(?:您|你)?了|辛苦(?:您|你)?了|拜托了|打扰了|祝.{0,12}|(?:您|你|大家|老师|领导)?好[啊呀吗]?|早上好|晚上好|下午好"
    r"|弄啥嘞|弄啥咧|中不中|得劲不|咋回事儿?|(?:你|您)?(?:知道|晓得)(?:吗|不|么)|(?:请问|我想|我|那个)?(?:可以|能|想)?(?:问|请教)(?:个|一个|几个|下)?问题(?:吗|嘛|哈|不)?"
    r"|在吗|在不在|有人吗|有人在吗|(?:小助手|助手|机器人|客服|同志|师傅)(?:你|您)?好[啊呀]?"
    r"|(?:can|may) i ask (?:you )?(?:a|some|few|a few) questions?|(?:thanks?|thank you)(?: (?:so much|a lot|very much|in advance))?"
    r"|(?:many thanks|best regards|cheers|regards|have a (?:nice|good|great) day)|(?:hi|hello|hey)(?: there)?)[!！~～.。]*",
    re.IGNORECASE,
)
_HEAD_ZH = lazy_re.compile(
    r"^.*(?:多少|几)(?:个|家|项|人|名|亿元|万元|户)?|^.*?(?:介绍一下|介绍|讲讲|说说|谈谈|什么是|啥是|告诉我)"
)
_HEAD_EN = lazy_re.compile(
    r"^(?:(?:how\s+(?:many|much)|what(?:'s|\s+(?:is|are|was|were))?|which|tell me|give me)\s+)"
    r"(?:(?:is|are|the|number|numbers|of|about)\s+)*",
    re.IGNORECASE,
)
_TAIL_EN = lazy_re.compile(
    r"\s(?:does|do|did|are|is|were|was|has|have|had|in|of|for|at|within)\b.*$", re.IGNORECASE
)


def is_question(part: str) -> bool:
    part = part.strip()
    if part.endswith(("?", "？")) and len(part) > 2:
        return True
    return bool(_QWORD_ZH.search(part) if has_cjk(part) else _QWORD_EN.search(part))


def _comma(text: str) -> str:
    return "，" if has_cjk(text) else ", "


def clauses(text: str) -> list[str]:
    """The message's clauses. A comma-separated piece asking nothing joins the question after it
    (a preamble, even across sentences) or, after the sentence's last question, the one before it
    (「…有多少家，谢谢」); a question mark asks for its whole sentence, not for the piece before it."""
    out: list[str] = []
    pending = ""
    for sentence in _CLAUSE_END.split(prepare(text)):
        start = len(out)
        for enumerated in _ENUM.split(sentence):
            for piece in _COMMA.split(enumerated):
                piece = _LEAD.sub("", piece.strip().rstrip("。;；!！\n"))
                if not piece or _COURTESY.fullmatch(piece.rstrip("?？")):
                    continue
                pending = f"{pending}{_comma(piece)}{piece}" if pending else piece
                if is_question(piece.rstrip("?？")):
                    out.append(pending)
                    pending = ""
        if pending and len(out) > start:
            out[-1] = f"{out[-1]}{_comma(pending)}{pending}"
            pending = ""
        elif pending and sentence.rstrip().endswith(("?", "？")):
            out.append(pending)
            pending = ""
    if pending:  # words after the last question (「谢谢」) belong to it
        if out:
            out[-1] = f"{out[-1]}{_comma(pending)}{pending}"
        else:
            out.append(pending)
    return [c for c in out if c.strip()]


def segments(clause: str, gazetteer: Gazetteer) -> list[str]:
    """The clause cut at its conjunctions, never inside a protected name."""
    cjk = has_cjk(clause)
    guarded = gazetteer.guarded(clause)
    cuts = [m for m in (CONJ_ZH if cjk else _CONJ_EN).finditer(clause)
            if not any(s <= m.start() < e for s, e in guarded)]  # fmt: skip
    cut, start = [], 0
    for m in cuts:
        cut.append(clause[start : m.start()].strip())
        start = m.end()
    cut.append(clause[start:].strip())
    return [s for s in cut if s]


def coordinate(clause: str, gazetteer: Gazetteer) -> list[str]:
    """One clause's questions: whole questions joined, or subjects sharing a head or a predicate."""
    cut = segments(clause, gazetteer)
    if len(cut) < 2:
        return [clause]
    asks = [is_question(s.rstrip("?？")) for s in cut]
    cjk = has_cjk(clause)
    if all(asks):
        return cut
    if asks[-1] and not any(asks[:-1]):  # 「A和B各有几家」: the last segment holds the predicate
        last = cut[-1]
        lead = next((t for t in gazetteer.found(last) if last.startswith(t)), "")
        predicate = _predicate(last[len(lead) :]) if cjk else _TAIL_EN.search(last)
        if predicate is None or (isinstance(predicate, str) and not predicate):
            return [clause]
        if isinstance(predicate, str):
            return [
                s if _MEASURE_END.search(s) else _DISTRIBUTIVE.sub("", s + predicate, count=1)
                for s in cut[:-1]
            ] + [_DISTRIBUTIVE.sub("", last, count=1)]
        tail = predicate.group(0)
        head = _HEAD_EN.match(cut[0])
        head_text = head.group(0) if head else ""
        body_last = last[: predicate.start()]
        return [f"{s}{tail}" for s in cut[:-1]] + [f"{head_text}{body_last}{tail}"]
    if asks[0] and not any(asks[1:]):  # 「有多少家重点实验室和研发机构」: the first segment holds the head
        first = cut[0]
        head = (_HEAD_ZH if cjk else _HEAD_EN).match(first)
        if head is None or head.end() >= len(first):
            return [clause]
        last = cut[-1]
        tail_match = None if cjk else _TAIL_EN.search(last)
        tail = tail_match.group(0) if tail_match else ""
        bodies = [*cut[1:-1], last[: tail_match.start()] if tail_match else last]
        joiner = "" if cjk else " "
        return [f"{first}{tail}"] + [f"{head.group(0).rstrip()}{joiner}{b}{tail}" for b in bodies]
    return [clause]


_PREDICATE = lazy_re.compile(
    r"各自|分别|各|都|一共|共|有|是|在|多少|几|占|排|的|数量|总|年度|新|申报|投资|资金|规模"
)


def _predicate(rest: str) -> str | None:
    """The shared predicate of 「B各有几家」 (the part after B): from a distributive word (分别, 各) when
    there is one (「个数和资金分别排第几」), else from the first predicate word on."""
    each = _DISTRIBUTIVE.search(rest)
    if each is not None:  # 「二七区的重点实验室分别…」: a head shared after 的 is part of the predicate
        of = rest.find("的", 0, each.start())
        return rest[of if of >= 0 else each.start() :]
    m = _PREDICATE.search(rest)
    return rest[m.start() :] if m else None


_STRONG_ZH = lazy_re.compile(
    r"多少|几|什么|啥|哪|谁|吗|(?<![这那])么|呢|是否|是不是|有没有|能不能|怎么|怎样|如何|咋|为何|多大|多高|多久|第几|[?？]"
)
_STRONG_EN = lazy_re.compile(
    r"\?|^(?:how|what|which|who|where|when|is|are|does|do|did|can|could|tell me)\b", re.IGNORECASE
)
_SELF = lazy_re.compile(
    r"(?:我|我们|俺|俺们|咱|本人|公司|单位)(?:是|在|做|开|从事|负责|来自)|上班|工作|"
    r"\b(?:i am|i'm|we are|we're|i work|we work|i run|we run|my (?:company|firm)|our (?:company|firm))\b",
    re.IGNORECASE,
)
_REQUEST = lazy_re.compile(
    r"(?<!让我)(?<!叫我)(?<!要我)(?:介绍|讲讲|说说|谈谈|聊聊|告诉|想问|请问|想知道|问一下|问问|了解|知道|咨询|查一下|想看|看看)|"
    r"\b(?:tell me|give me|show me|explain|describe|know|wonder|like to|want to|please|could you|would you|let me)\b",
    re.IGNORECASE,
)


def is_context(clause: str, gazetteer: Gazetteer) -> bool:
    """A clause that tells about the asker or the occasion and asks nothing, neither directly nor as a
    request (「我在一家做人工智能的公司上班，老板让我了解一下金水区的情况」): it names nothing known,
    or describes the asker; context for the question, never a part of its own."""
    strong = _STRONG_ZH.search(clause) if has_cjk(clause) else _STRONG_EN.search(clause.strip())
    if strong or _REQUEST.search(clause):
        return False
    last = [x for x in re.split(r"(?<=[。!！]|\.(?=\s))\s*", clause) if x][-1:]
    if last and last[0] != clause and is_question(last[0]) and not _SELF.search(last[0]):
        return (
            False  # 「I'm considering investing. How many key projects are planned」: the question after it
        )
    return not gazetteer.knows(clause) or bool(_SELF.search(clause))


def _without_preamble(clause: str, gazetteer: Gazetteer) -> str:
    """The clause from its first piece that asks or names something known (「您好，我是…，想问…」)."""
    sentences = [x for x in re.split(r"(?<=[。!！]|\.(?=\s))\s*", clause) if x]
    if len(sentences) > 1 and any(_SELF.search(x) for x in sentences[:-1]):  # 「I'm writing about A and B.」
        clause = " ".join(x for x in sentences[:-1] if not _SELF.search(x)) + " " + sentences[-1]
    pieces = re.split(r"(?<=[，,])\s*", clause.strip())
    for n, piece in enumerate(pieces):
        if is_question(piece) or gazetteer.knows(piece):
            return "".join(pieces[n:])
    return clause


def split(text: str, gazetteer: Gazetteer) -> list[str]:
    """The questions ``text`` asks, in order; one item when it asks one (or cannot be split safely).

    Every part names something the gazetteer knows, or inherits the subject of the part before it.
    """
    return [part for part, _ in split_parts(text, gazetteer)]


def split_parts(
    text: str,
    gazetteer: Gazetteer,
    loose: bool = False,
    answerable: Callable[[str], str | None] | None = None,
) -> list[tuple[str, bool]]:
    """Like :func:`split`, each part with whether it took its subject from the part before it.

    ``loose``: a conjunct naming nothing known may still take the subject before it (「重点项目数量及
    总投资额」), and a question naming nothing known and not answered stays a part of its own; for when
    the message read whole is not answered. ``answerable`` is a second opinion on
    a part naming no known name and having no subject to take: the subject of the fact the
    single-question path answers it with (``""`` when it has none), or ``None`` when it is not answered;
    a later part naming nothing takes that subject (「签约了多少项目，投资多少」).
    """
    parts: list[str] = []
    found = clauses(text)
    asking = [c for c in found if not is_context(c, gazetteer)]
    for clause in asking if asking else found:
        clause = _without_preamble(clause, gazetteer)
        pieces = coordinate(clause, gazetteer)
        whole_questions = len(pieces) > 1 and pieces == segments(clause, gazetteer)  # 「A有几家，和B…有几家」
        if len(pieces) > 1 and not (
            gazetteer.knows(pieces[0])
            if loose or whole_questions or _EACH.search(clause)
            else all(map(gazetteer.knows, pieces))
        ):
            pieces = [clause]
        parts.extend(pieces)
    if len(parts) < 2:  # one question: the asking clause when the rest was context, else the message
        kept = parts and re.sub(r"[\W_]+", "", parts[0]) != re.sub(r"[\W_]+", "", prepare(text))
        return [(parts[0] if kept else text, False)]  # the asking clause when words around it were left out
    subject = ""
    resolved = []
    for part in parts:
        named = gazetteer.subject_in(part)
        if not named and gazetteer.knows(part):  # a slip of a known name (「研法机构」) is its own subject
            resolved.append((part, False))
            subject = gazetteer.slip_in(part) or subject
            continue
        if not named and subject:
            part = f"{subject} {part}" if not has_cjk(subject) else f"{subject}{part}"
        elif not named:
            answered = answerable(part) if answerable else None
            if (
                answered is None
                and loose
                and len(parts) > 1
                and all(is_question(p) and re.search(r"\w", p) for p in parts)
            ):
                resolved.append((part, False))  # 「GDP增速多少」 beside known questions: its own part,
                continue  # to be said unknown in its place, never dropped with the others
            if answered is None:
                return [(text, False)]
            subject = answered or subject
            resolved.append((part, False))
            continue
        subject = named or subject
        resolved.append((part, not named))
    return resolved
