"""``jinshui-qa suggest``: for each group of unanswered questions, the phrasing to add to the nearest fact.

The nearest fact is the one the live router scores highest over the group's wordings. A group about
another place gets no suggestion (a phrasing naming that place would switch off the router's veto); one
about something the facts do not cover, or scored too low, "needs a new fact". Suggestions are checked
by building the fact base with them added and routing the group's questions again. A group of answers
people marked wrong (reason ``marked_wrong``) is treated like unanswered questions, except that the fact
they were given is never the one suggested. ``--apply`` appends
them to the facts' YAML files (:mod:`jinshui_qa.maintenance.phrasing_writer`: comments, layout and line
endings kept, a file changed meanwhile never overwritten), re-validates the directory, and restores
every file it changed when validation fails. A question typed in pinyin is never filed as English.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from jinshui_qa.bootstrap import assistant_for
from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.errors import FactsInvalid
from jinshui_qa.facts.schema import Lang
from jinshui_qa.facts.validation import build_factbase
from jinshui_qa.maintenance.clusters import Cluster
from jinshui_qa.maintenance.phrasing_writer import ChangedMeanwhile, add_phrasings, apply, edited_files
from jinshui_qa.text.normalize import clean, detect_lang, fold, has_cjk
from jinshui_qa.text.pinyin import segment

SUGGEST_AT = 35.0
MAX_PHRASING = 60
_PERSONAL = re.compile(r"\d{7,}|@|https?://|www\.", re.IGNORECASE)
__all__ = ["Suggestion", "add_phrasings", "apply", "edited_files", "nearest_fact", "phrasing_of", "suggest"]
_TONED = re.compile("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙǕǗǙǛÜ]")
_TRAILING = re.compile(r"[\s?？!！。.,，~～]+$")


@dataclass
class Suggestion:
    """What to do about one group of unanswered questions."""

    number: int
    cluster: Cluster
    kind: str  # "phrasing", "new_fact", "out_of_scope" or "skip"
    fact_id: str | None = None
    file: str | None = None
    lang: Lang = "zh"
    phrasing: str | None = None
    score: float = 0.0
    note: str = ""
    answered: int = 0  # of the group's wordings, how many the fact answers once the phrasing is added

    def describe(self) -> str:
        c = self.cluster
        head = f"{self.number:>3}. {c.count}× {c.question}"
        if self.kind == "phrasing":
            body = (f"add to {self.fact_id} ({self.file}, questions.{self.lang}): {self.phrasing}  "
                    f"[nearest score {self.score:g}; "
                    f"then answers {self.answered}/{len(c.questions)} wordings]")  # fmt: skip
        elif self.kind == "new_fact":
            body = f"needs a new fact ({self.note})"
        elif self.kind == "out_of_scope":
            body = f"out of scope ({self.note}): no phrasing suggested"
        else:
            body = f"skipped: {self.note}"
        also = f"\n       also: {' | '.join(c.examples)}" if c.examples else ""
        return f"{head}\n       → {body}{also}"


def phrasing_of(question: str) -> str:
    """The question as a phrasing: cleaned, without trailing punctuation in Chinese, with ``?`` in English."""
    text = _TRAILING.sub("", clean(question))
    return text if detect_lang(text) == "zh" or not text else text + "?"


def nearest_fact(assistant: Assistant, questions: Iterable[str],
                 exclude: Iterable[str] = ()) -> tuple[str | None, float]:  # fmt: skip
    """The fact with the best mean router score over ``questions`` (other than ``exclude``), and that mean."""
    totals: dict[str, float] = defaultdict(float)
    asked = [q for q in (clean(q) for q in questions) if q]
    for question in asked:
        _, _, tokens, py = assistant.router.analyse(question)
        for candidate in assistant.router.score(tokens, py, limit=10):
            totals[candidate.fact_id] += candidate.score
    for fact_id in exclude:
        totals.pop(fact_id, None)
    if not totals:
        return None, 0.0
    best = min(totals, key=lambda f: (-totals[f], f))
    return best, round(totals[best] / len(asked), 1)


def _mentioned(folded: str, words: Mapping[str, str], own: str) -> str:
    """The first vocabulary word ``folded`` mentions and the fact's own questions do not ("" if none)."""
    for key in sorted(words, key=len, reverse=True):
        if _contains(folded, key) and not _contains(own, key):
            return words[key]
    return ""


def _contains(haystack: str, word: str) -> bool:
    if has_cjk(word):
        return word in haystack.replace(" ", "")
    return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", haystack) is not None


def _pinyin(phrasing: str) -> bool:
    """Latin letters with tone marks (jīnshuǐ), or words that all spell toneless pinyin syllables."""
    if _TONED.search(phrasing):
        return True
    words = re.findall(r"[a-z]+", phrasing.lower())
    return bool(words) and any(len(w) > 3 for w in words) and all(segment(w) is not None for w in words)


def suggest(assistant: Assistant, clusters: list[Cluster], *, min_score: float = SUGGEST_AT,
            facts_files: Mapping[str, str] | None = None) -> list[Suggestion]:  # fmt: skip
    """One suggestion per cluster; with ``facts_files`` the phrasings are checked by routing again."""
    base = assistant.base
    vocabulary = base.vocabulary
    places = {fold(p): p for p in vocabulary.other_places if fold(p)}
    uncovered = {fold(w): w for words in vocabulary.not_covered.values() for w in words if fold(w)}
    known = {fold(q): f.id for f in base.facts for q in (*f.questions_zh, *f.questions_en)}
    out: list[Suggestion] = []
    planned: set[str] = set()
    for number, cluster in enumerate(clusters, 1):
        kind, _, detail = cluster.reason.partition(":")
        wrong = cluster.facts if kind == "marked_wrong" else ()
        fact_id, score = nearest_fact(assistant, cluster.questions[:10], exclude=wrong)
        s = Suggestion(number, cluster, "new_fact", fact_id, score=score)
        phrasing = phrasing_of(cluster.question)
        fact = base.get(fact_id) if fact_id else None
        own = fold(" ".join((*fact.questions_zh, *fact.questions_en))) if fact else ""
        place = detail if kind == "other_place" else _mentioned(fold(cluster.question), places, own)
        measure = detail if kind == "not_covered" else _mentioned(fold(cluster.question), uncovered, own)
        if place:
            s.kind, s.note = "out_of_scope", f"other place: {place}"
        elif measure or kind == "year":
            s.note = f"not covered: {measure}" if measure else f"year: {detail}"
        elif fact is None or score < min_score:
            s.note = (
                f"nearest fact {fact_id} scores only {score:g}"
                if fact_id
                else "no fact shares a word with it"
            )
        elif not phrasing or len(phrasing) > MAX_PHRASING or _PERSONAL.search(phrasing):
            s.kind, s.note = "skip", "too long, empty, or looks like personal data; add a phrasing by hand"
        elif detect_lang(phrasing) == "en" and _pinyin(phrasing):
            s.kind, s.note = "skip", "typed in pinyin; add it in Chinese characters by hand"
        elif fold(phrasing) in known or fold(phrasing) in planned:
            s.kind, s.note = (
                "skip",
                f"already a phrasing of {known.get(fold(phrasing), 'another suggestion')}",
            )
        else:
            s.kind, s.file, s.lang, s.phrasing = "phrasing", fact.file, detect_lang(phrasing), phrasing
            planned.add(fold(phrasing))
        out.append(s)
    if facts_files is not None:
        _check(out, facts_files)
    return out


def _check(suggestions: list[Suggestion], files: Mapping[str, str]) -> None:
    """Route each group again with every phrasing added; one that still gets no answer is dropped."""
    chosen = [s for s in suggestions if s.kind == "phrasing"]
    if not chosen:
        return
    try:
        trial = assistant_for(build_factbase({**files, **edited_files(files, chosen)}))
    except ChangedMeanwhile as exc:
        for s in chosen:
            s.kind, s.note = "skip", str(exc)
        return
    except FactsInvalid as exc:
        for s in chosen:
            s.kind, s.note = "skip", f"the facts would not validate with it: {exc}"
        return
    for s in chosen:
        s.answered = sum(trial.reply(q).fact_id == s.fact_id for q in s.cluster.questions)
        if not s.answered:
            s.kind, s.note = "skip", f"even with it, the router would not answer with {s.fact_id}"
