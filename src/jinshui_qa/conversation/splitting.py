"""Split a message into the questions it asks, without splitting the names that contain 和 or "and".

Clauses end at question marks, full stops and semicolons, at commas between two questions and at
enumeration markers (一是…二是…). Inside a clause, a conjunction (和 跟 与 及 以及 还有 同 、 "and")
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
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from jinshui_qa.facts.schema import FactBase
from jinshui_qa.text.normalize import has_cjk, to_simplified

_CLAUSE_END = re.compile(r"(?<=[?？!！。;；\n])")  # the mark stays with its clause: a "?" asks
_ENUM = re.compile(
    r"(?:^|[，,;；:：]\s*)(?:[一二三四五六七八九]是|其[一二三四五六]是?|[1-9][.、)）]|[(（][1-9一二三四五六][)）]|[①-⑨])"
)
_COMMA = re.compile(r"[,，]\s*|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
# Conjunctions, but not inside common words (涉及, 总和, 参与, 跟踪, 及时).
CONJ_ZH = re.compile(r"以及|还有|并且|(?<![总温缓饱共人谐调])和(?![谐平睦])|跟(?![踪进])|(?<![参给])与(?!其)"
                      r"|(?<![涉普波危顾触以论])及(?![时格早其])|、")  # fmt: skip
_CONJ_EN = re.compile(r"\s*,?\s+(?:and also|as well as|and|plus)\s+|\s*,\s*|\s+&\s+", re.IGNORECASE)
_QWORD_ZH = re.compile(
    r"多少|几|什么|啥|哪|谁|吗|么|呢|是否|是不是|能不能|有无|何时|介绍|讲讲|说说|谈谈|有没有|怎么|怎样|如何|咋|第几|为何|何|多大|多高|多久|排名|排位|情况|数量|规模"
)
_QWORD_EN = re.compile(
    r"\b(?:how|what|which|who|where|when|number of)\b|^(?:is|are|does|do|did|can|tell me|give me)\b|\?$"
)
_LEAD = re.compile(
    r"^(?:(?:and also|and then|and|also|plus|then|or)\s+(?=\w)|(?:另外|此外|还有|以及|再问一下|再问|还想问)(?=\S))",
    re.IGNORECASE,
)
_DISTRIBUTIVE = re.compile(r"各自|分别|各|都")
_HEAD_ZH = re.compile(
    r"^.*(?:多少|几)(?:个|家|项|人|名|亿元|万元|户)?|^.*?(?:介绍一下|介绍|讲讲|说说|谈谈|什么是|啥是|告诉我)"
)
_HEAD_EN = re.compile(
    r"^(?:(?:how\s+(?:many|much)|what(?:'s|\s+(?:is|are|was|were))?|which|tell me|give me)\s+)"
    r"(?:(?:is|are|the|number|numbers|of|about)\s+)*",
    re.IGNORECASE,
)
_TAIL_EN = re.compile(
    r"\s(?:does|do|did|are|is|were|was|has|have|had|in|of|for|at|within)\b.*$", re.IGNORECASE
)
_PLACES = ("郑州市金水区", "河南省", "jinshui district", "zhengzhou", "henan")
_GENERIC = frozenset({"企业", "公司", "单位", "enterprise", "enterprises", "company", "companies", "jinshui"})


def prepare(text: str) -> str:
    """NFKC, simplified characters, lower case; punctuation kept (it marks the clauses)."""
    return to_simplified(unicodedata.normalize("NFKC", text)).lower().strip()


@dataclass(frozen=True)
class Gazetteer:
    """Names the fact base knows (subjects, keywords, titles, vocabulary), folded like questions.

    Look-ups test every substring of the message up to the longest name against a set, so their cost
    does not grow with the number of facts.
    """

    terms: frozenset[str]
    subjects: frozenset[str]
    protected: frozenset[str]
    longest: int
    slips: frozenset[str] = frozenset()  # Chinese names of 4+ characters with one character as "?"

    @classmethod
    def of(cls, base: FactBase) -> Gazetteer:
        subjects: set[str] = set()
        words: set[str] = set()
        for fact in base.facts:
            for bi in (fact.subject, fact.title):
                if bi is not None:
                    words.update((bi.zh, bi.en))
            if fact.subject is not None:
                subjects.update(prepare(s) for s in (fact.subject.zh, fact.subject.en))
            words.update(fact.keywords)
        for canonical, aliases in base.vocabulary.synonyms.items():
            words.update((canonical, *aliases))
        folded = {prepare(w).strip("“”\"'") for w in words}
        known = frozenset(w for w in folded if _meaningful(w))
        protected = frozenset(w for w in folded if CONJ_ZH.search(w) or re.search(r"\sand\s|&|,", w))
        longest = max((len(w) for w in folded), default=0)
        slips = frozenset(
            w[:i] + "?" + w[i + 1 :] for w in known if has_cjk(w) and len(w) >= 4 for i in range(len(w))
        )
        return cls(known, frozenset(subjects & known), protected, longest, slips)

    def _hits(self, text: str, names: frozenset[str]) -> list[tuple[int, int]]:
        spans = []
        for i in range(len(text)):
            if i and text[i - 1].isascii() and text[i - 1].isalnum() and text[i].isascii():
                continue  # English names start at a word boundary
            for j in range(min(len(text), i + self.longest), i, -1):
                word = text[i:j]
                if word in names and not (word.isascii() and j < len(text) and text[j].isalnum()):
                    spans.append((i, j))
        return spans

    def found(self, text: str) -> list[str]:
        """Known names in ``text``, longest first, none inside another found one."""
        text = prepare(text)
        spans = sorted(self._hits(text, self.terms), key=lambda s: s[0] - s[1])
        kept: list[tuple[int, int]] = []
        for s, e in spans:
            if not any(a <= s and e <= b for a, b in kept):
                kept.append((s, e))
        return list(dict.fromkeys(text[s:e] for s, e in kept))

    def knows(self, text: str) -> bool:
        """Whether ``text`` names something known, allowing one wrong character in a long Chinese name
        (「研法机构」 for 研发机构: voice input and typing slips)."""
        if self.found(text):
            return True
        text = prepare(text)
        return any(
            text[i : i + size][:k] + "?" + text[i : i + size][k + 1 :] in self.slips
            for size in range(4, 9)
            for i in range(len(text) - size + 1)
            for k in range(size)
        )

    def subject_in(self, text: str) -> str:
        """The name a following part may inherit: a fact's subject when one is named, else the longest."""
        hits = self.found(text)
        for hit in hits:
            for size in range(len(hit), 1, -1):
                named = [
                    hit[i : i + size]
                    for i in range(len(hit) - size + 1)
                    if hit[i : i + size] in self.subjects
                ]
                if named:
                    return named[0]
        return hits[0] if hits else ""

    def guarded(self, text: str) -> list[tuple[int, int]]:
        """Spans of ``text`` (prepared) covered by protected names."""
        return self._hits(text, self.protected)


def _meaningful(word: str) -> bool:
    if not word or word in _GENERIC or any(word in place for place in _PLACES):
        return False
    return len(word) >= 2 if has_cjk(word) else len(word) >= 3


def _contains(text: str, term: str) -> bool:
    if has_cjk(term):
        return term in text
    return re.search(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])", text) is not None


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
                if not piece:
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


def _segments(clause: str, gazetteer: Gazetteer) -> list[str]:
    cjk = has_cjk(clause)
    guarded = gazetteer.guarded(clause)
    cuts = [m for m in (CONJ_ZH if cjk else _CONJ_EN).finditer(clause)
            if not any(s <= m.start() < e for s, e in guarded)]  # fmt: skip
    segments, start = [], 0
    for m in cuts:
        segments.append(clause[start : m.start()].strip())
        start = m.end()
    segments.append(clause[start:].strip())
    return [s for s in segments if s]


def coordinate(clause: str, gazetteer: Gazetteer) -> list[str]:
    """One clause's questions: whole questions joined, or subjects sharing a head or a predicate."""
    segments = _segments(clause, gazetteer)
    if len(segments) < 2:
        return [clause]
    asks = [is_question(s.rstrip("?？")) for s in segments]
    cjk = has_cjk(clause)
    if all(asks):
        return segments
    if asks[-1] and not any(asks[:-1]):  # 「A和B各有几家」: the last segment holds the predicate
        last = segments[-1]
        lead = next((t for t in gazetteer.found(last) if last.startswith(t)), "")
        predicate = _predicate(last[len(lead) :]) if cjk else _TAIL_EN.search(last)
        if predicate is None or (isinstance(predicate, str) and not predicate):
            return [clause]
        if isinstance(predicate, str):
            return [_DISTRIBUTIVE.sub("", s + predicate, count=1) for s in segments[:-1]] + [
                _DISTRIBUTIVE.sub("", last, count=1)
            ]
        tail = predicate.group(0)
        head = _HEAD_EN.match(segments[0])
        head_text = head.group(0) if head else ""
        body_last = last[: predicate.start()]
        return [f"{s}{tail}" for s in segments[:-1]] + [f"{head_text}{body_last}{tail}"]
    if asks[0] and not any(asks[1:]):  # 「有多少家重点实验室和研发机构」: the first segment holds the head
        first = segments[0]
        head = (_HEAD_ZH if cjk else _HEAD_EN).match(first)
        if head is None or head.end() >= len(first):
            return [clause]
        last = segments[-1]
        tail_match = None if cjk else _TAIL_EN.search(last)
        tail = tail_match.group(0) if tail_match else ""
        bodies = [*segments[1:-1], last[: tail_match.start()] if tail_match else last]
        joiner = "" if cjk else " "
        return [f"{first}{tail}"] + [f"{head.group(0).rstrip()}{joiner}{b}{tail}" for b in bodies]
    return [clause]


_PREDICATE = re.compile(
    r"各自|分别|各|都|一共|共|有|是|在|多少|几|占|排|的|数量|总|年度|新|申报|投资|资金|规模"
)


def _predicate(rest: str) -> str | None:
    """The shared predicate of 「B各有几家」 (the part after B): from the first predicate word on."""
    m = _PREDICATE.search(rest)
    return rest[m.start() :] if m else None


def _without_preamble(clause: str, gazetteer: Gazetteer) -> str:
    """The clause from its first piece that asks or names something known (「您好，我是…，想问…」)."""
    pieces = re.split(r"(?<=[，,])\s*", clause)
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
    text: str, gazetteer: Gazetteer, loose: bool = False, answerable: Callable[[str], bool] | None = None
) -> list[tuple[str, bool]]:
    """Like :func:`split`, each part with whether it took its subject from the part before it.

    ``loose``: a conjunct naming nothing known may still take the subject before it (「重点项目数量及
    总投资额」); for when the message read whole is not answered. ``answerable`` is a second opinion on
    a part naming no known name and having no subject to take (the single-question path answers it).
    """
    parts: list[str] = []
    for clause in clauses(text):
        clause = _without_preamble(clause, gazetteer)
        pieces = coordinate(clause, gazetteer)
        whole_questions = len(pieces) > 1 and pieces == _segments(
            clause, gazetteer
        )  # 「A有几家，和B…有几家」
        if len(pieces) > 1 and not (
            gazetteer.knows(pieces[0]) if loose or whole_questions else all(map(gazetteer.knows, pieces))
        ):
            pieces = [clause]
        parts.extend(pieces)
    if len(parts) < 2:
        return [(text, False)]
    subject = ""
    resolved = []
    for part in parts:
        named = gazetteer.subject_in(part)
        if not named and gazetteer.knows(part):  # a slip of a known name (「研法机构」) is its own subject
            resolved.append((part, False))
            continue
        if not named and subject:
            part = f"{subject} {part}" if not has_cjk(subject) else f"{subject}{part}"
        elif not named and not (answerable and answerable(part)):
            return [(text, False)]
        subject = named or subject
        resolved.append((part, not named))
    return resolved
