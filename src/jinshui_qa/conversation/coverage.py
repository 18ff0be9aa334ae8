"""What a fact says, for telling whether an answer covers every thing a message names.

A message read whole may be answered by one fact although it names two things joined by a
conjunction (「研发机构和孵化器」: the fact is about 研发机构; the report has nothing on 孵化器). The
second thing must not be dropped silently: :func:`uncovered` finds such conjuncts so the reply can say
in their place that they are not known. The test is on characters: a conjunct whose content
characters (question words and particles aside) include one the fact never uses is not covered by it.
"""

from __future__ import annotations

import re

from jinshui_qa.conversation.splitting import Gazetteer, clauses, is_context, is_question, segments
from jinshui_qa.facts.schema import Fact
from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import fold, has_cjk

FILLER = lazy_re.compile(
    r"[\s\d?？，,。.!！%]|其中|那么|那|这个|这些|请问|一下|金水区|金水|全区|区里|有|是|的|了|呢|吗|么|啊|呀|嘞|多少|多大|多高|几|家|个"
    r"|项|人|名|户|什么|啥|哪|怎么|如何|还|又|都|也|就|和|与|及|分别|各"
    r"|到底|究竟|大概|大约|目前|现在"  # emphasis and hedges (一共, 总共 are sums: not here)
)
ASKING = lazy_re.compile(
    r"^(?:其中|那么|那|这些|这)|(?:各自|分别|各|都)?(?:的)?(?:有|是)?(?:多少|几)(?:家|个|项|人|名|户)?[?？]?$"
)


def measure_words(fact: Fact) -> str:
    """Words a question uses for measures the fact's figures hold (a share, a rank, a count, money)."""
    words = "数量总数量多少"
    for f in fact.figures:
        words += "百分之成比例比重占比份额" if f.share else ""
        words += "排名排位名次第位置全市前列" if f.rank else ""
        words += "钱金额资金规模投资" if "元" in f.unit else ""
    return words


def said(fact: Fact) -> str:
    """Everything the fact says in Chinese, folded (numerals as digits), with its measure words."""
    text = " ".join([fact.answer.zh, fact.title.zh, fact.subject.zh if fact.subject else "", *fact.keywords,
                     *fact.questions_zh, *(f"{f.counts}{f.share or ''}{f.rank or ''}" for f in fact.figures)])  # fmt: skip
    return fold(text) + measure_words(fact)


def unsaid(fact: Fact, words: str) -> bool:
    """Whether ``words`` hold a Chinese content character ``fact`` never uses."""
    known = said(fact)
    return any("\u4e00" <= ch <= "\u9fff" and ch not in known for ch in FILLER.sub("", fold(words)))


_EN_FILLER = frozenset(
    re.findall(
        r"\w+",
        "what whats which who whom how many much is are was were be been the a an its their his her it they them"
        " this that these those there and or of in on at to for by with from does do did has have had s jinshui"
        " district area zhengzhou city please tell me about also then so about get got any all total number",
    )
)


def unsaid_en(fact: Fact, words: str) -> str:
    """An English content word of ``words`` that ``fact`` never uses (its stem, at least four letters, in
    none of the fact's English text: 「interest」 of a plan whose answer gives only its size), or ''."""
    known = " ".join([fact.answer.en, fact.title.en, fact.subject.en if fact.subject else "", *fact.keywords,
                      *fact.questions_en]).lower()  # fmt: skip
    for word in re.findall(r"[a-z]+", words.lower()):
        word = str(word)
        if len(word) > 2 and word not in _EN_FILLER and word[: max(4, len(word) - 2)] not in known:
            return word
    return ""


_TAIL = lazy_re.compile(
    r"(?:具体|分别|各自|指的?是?|是|有|为|包括|怎么|怎样|如何|什么|啥|哪|多少|几|吗|呢|么|情况|内容|介绍).*$"
)
_YES_NO = lazy_re.compile(
    r"^(?!.*(?:多少|几|什么|啥|哪|谁)).*(?:吗|么|是否|有没有|能否|会不会|是不是)[?？]?$"
)
_RELATION = lazy_re.compile(r"关系|区别|联系|不同|异同|一样|相同|合作|一起|相比|比较|对比|之间")


def uncovered(text: str, fact: Fact | None, names: Gazetteer) -> list[tuple[str, bool]]:
    """The conjuncts of ``text`` (Chinese), as the user named them, each with whether ``fact`` covers it
    by its words (the caller still asks whether another fact answers it better). Not covered: words
    it never uses, or the subject of another fact (「重点实验室」 beside an answer about 研发机构).
    Relations (「A和B有什么关系」) are not lists. With no ``fact`` (the message read whole is not
    answered), each thing named, without the words it shares, to be asked on its own."""
    out: list[tuple[str, bool]] = []
    for clause in clauses(text):
        if not has_cjk(clause) or is_context(clause, names) or _RELATION.search(clause):
            continue
        parts = segments(clause, names)
        if len(parts) < 2 or any(is_question(p) for p in parts[:-1]) or _YES_NO.search(parts[-1]):
            continue  # a question with a list in it (「能找哪里孵化和贷款担保」, 「A和B也给企业做服务吗」)
        shared = parts[0][: parts[0].rfind("的") + 1]  # 「去年新开的企业和商户」: 去年新开的 is said of both
        for n, part in enumerate(parts):
            part = part if n == 0 or part.startswith(shared) else shared + part
            word = ASKING.sub("", part.rstrip("?？")).strip() or part
            thing = _TAIL.sub("", word) or word  # what the conjunct names, without the shared predicate
            if fact is None:
                out.append((thing, False))
                continue
            content = FILLER.sub("", fold(thing))
            named, own = names.subject_in(thing), fold(fact.subject.zh) if fact.subject else ""
            another = named in names.subjects and named != own and own not in fold(thing)
            missed = unsaid(fact, thing) or bool(another)
            out.append((word, not (len(content) >= 2 and missed)))
    return out
