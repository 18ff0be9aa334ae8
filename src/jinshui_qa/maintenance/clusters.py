"""Unanswered questions grouped by what they ask: :func:`cluster_questions` joins questions that share
neighbouring syllables of their content words, so a homophone typo (高薪/高新) joins a group and a
changed subject (二手房/二手车) does not. Used by ``jinshui-qa report`` and ``suggest``.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from jinshui_qa.storage.question_log import LoggedQuestion
from jinshui_qa.text.normalize import fold

MAX_GROUPS = 5000
SIMILAR_AT = 50.0
"""Percent of shared neighbouring sound pairs at which two questions are the same question."""
_DISTRICT = re.compile(r"金水区|金水|jinshui district|jinshui")
_TOKEN = re.compile(r"[\u3400-\u9fff]|[a-z0-9]+(?:\.[0-9]+)?")
_ENGLISH_FUNCTION_WORDS = """the a an of in on at to for is are was were be does do did how many much
    what which who when where there have has had it this that and or me you i we"""
_FUNCTION_WORDS = frozenset("的了吗呢吧啊呀么是有在和多少几个什啥哪些怎样如何请问共都还1") | frozenset(
    _ENGLISH_FUNCTION_WORDS.split()
)


@dataclass
class Cluster:
    """Similar questions counted together under their most frequent wording."""

    question: str
    count: int
    examples: list[str] = field(default_factory=list)
    reason: str = ""
    facts: list[str] = field(default_factory=list)
    score: float = 0.0
    lang: str = ""
    last_seen: float = 0.0
    questions: list[str] = field(default_factory=list)


def comparable(question: str) -> str:
    """What a question asks about: folded, without the district's name and question words (多少, how many)."""
    folded = _DISTRICT.sub(" ", fold(question))
    key = ""
    for token in _TOKEN.findall(folded):
        if token not in _FUNCTION_WORDS:
            key += token if len(token) == 1 and key[-1:] > "\u3400" else " " + token
    return key.strip() or " ".join(folded.split())


def sounds(key: str) -> tuple[str, ...]:
    """A comparable key as units of meaning: each Chinese character as its toneless syllable (so a
    homophone typo, 科技形/科技型, reads the same), each Latin word as itself."""
    from jinshui_qa.text.pinyin import syllables

    units: list[str] = []
    for token in _TOKEN.findall(key):
        units.extend(syllables(token) or [token] if token >= "\u3400" else [token])
    return tuple(units)


def bigrams(units: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    """Neighbouring pairs of units (the single unit of a one-unit key): changing one character of a short
    question (二手房 -> 二手车) breaks two of them, which is how a change of subject shows."""
    if len(units) < 2:
        return frozenset({units}) if units else frozenset()
    return frozenset(itertools.pairwise(units))


def cluster_questions(rows: list[LoggedQuestion], threshold: float = SIMILAR_AT) -> list[Cluster]:
    """Group rows that ask the same thing; biggest groups first.

    Two questions join when at least ``threshold`` percent of their neighbouring sound pairs are shared
    (Jaccard over :func:`bigrams` of :func:`sounds` of :func:`comparable`): word order, question words
    and homophone typos do not separate questions, a different subject (二手房价格 / 二手车价格) does.
    """
    groups: dict[str, list[LoggedQuestion]] = {}
    for row in rows:
        groups.setdefault(comparable(row.question), []).append(row)
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), -kv[1][-1].ts, kv[0]))[:MAX_GROUPS]
    pairs: list[frozenset[tuple[str, ...]]] = []
    postings: dict[tuple[str, ...], list[int]] = {}
    members: list[list[LoggedQuestion]] = []
    for key, group in ordered:
        own = bigrams(sounds(key))
        best, best_score = -1, threshold
        for i in sorted({i for pair in own for i in postings.get(pair, ())}):
            score = 100 * len(own & pairs[i]) / len(own | pairs[i])
            if score > best_score or (score == best_score and best < 0):
                best, best_score = i, score
        if best < 0:
            for pair in own:
                postings.setdefault(pair, []).append(len(pairs))
            pairs.append(own)
            members.append(list(group))
        else:
            members[best].extend(group)
    return sorted((_cluster(m) for m in members), key=lambda c: (-c.count, -c.last_seen, c.question))


def _cluster(rows: list[LoggedQuestion]) -> Cluster:
    wordings = Counter(r.question.strip() for r in rows)
    ranked = [w for w, _ in sorted(wordings.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))]
    facts = Counter(f for r in rows for f in ((r.fact_id,) if r.fact_id else r.options))
    reasons = Counter(r.reason for r in rows if r.reason)
    reason = reasons.most_common(1)[0][0] if reasons else ""
    lang = Counter(r.lang for r in rows).most_common(1)[0][0]
    score = round(statistics.fmean(r.score for r in rows), 1)
    top_facts = [f for f, _ in facts.most_common(3)]
    return Cluster(
        ranked[0], len(rows), ranked[1:4], reason, top_facts, score, lang, max(r.ts for r in rows), ranked
    )
