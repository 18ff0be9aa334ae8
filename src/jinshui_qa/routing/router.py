"""The router: one message (and the conversation's context) in, a routing decision out.

Pipeline: clean the text; small talk; for a long message, the clause(s) that ask
(:mod:`jinshui_qa.text.clauses`); read the question's frame (:mod:`jinshui_qa.routing.frames`); score
the facts' wording (:class:`~jinshui_qa.routing.scoring.Scorer`); then decide. A fact answers only
when it explains the frame: the subject named, the attribute asked, every qualifier (period, scope,
place: :func:`~jinshui_qa.routing.slots.explain`), and every content word
(:mod:`jinshui_qa.routing.placement`). Otherwise the reply is a fallback that says what is missing,
with the nearest fact as ``vetoed``; ``clarify`` only between facts that both explain the frame.
Follow-ups are read in :mod:`jinshui_qa.routing.followups`.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Literal

from jinshui_qa.conversation.smalltalk import smalltalk_kind
from jinshui_qa.facts.schema import Lang
from jinshui_qa.routing.frames import Frame, FrameReader
from jinshui_qa.routing.index import Index
from jinshui_qa.routing.placement import Placement, spell
from jinshui_qa.routing.scoring import Candidate, Scorer
from jinshui_qa.routing.settings import RouterSettings
from jinshui_qa.routing.slots import explain, fact_slots
from jinshui_qa.text.clauses import asking_readings
from jinshui_qa.text.normalize import clean, detect_lang, fold, has_cjk
from jinshui_qa.text.noun_words import nouns_in

__all__ = ["Candidate", "Context", "RouteResult", "Router", "RouterSettings", "Status"]

Status = Literal["answer", "clarify", "fallback", "smalltalk"]
MEMO_LIMIT = 2048
_FRAME_REASONS = ("other_place", "period", "scope", "attribute", "level")
_NAMED_BY_WORD = frozenset({"finance", "population"})  # measures a fallback names by the word asked (营收)
_ROLE_ENDS = frozenset("长记官")  # the last character of a person's role: 区长, 书记, 法官
_ROLES = ("主任", "主席", "委员", "经理", "总裁", "董事", "理事", "专员")


@dataclass(frozen=True)
class Context:
    """What a follow-up may lean on: the last answered fact and the question that led to it."""

    fact_id: str
    tokens: frozenset[str]
    lang: Lang
    attributes: frozenset[str] = frozenset()  # asked last time: 「那X呢」 asks the same of a new subject


@dataclass(frozen=True)
class RouteResult:
    """The router's decision, as plain data."""

    status: Status
    lang: Lang
    score: float = 0.0
    fact_id: str | None = None
    options: tuple[Candidate, ...] = ()
    reason: str = (
        ""  # why a fallback: no_match, other_place:二七区, not_covered:人口, period:2021年, scope:new...
    )
    smalltalk: str = ""  # greeting, thanks, help, identity, bye
    followup: bool = False
    tokens: frozenset[str] = field(default=frozenset(), repr=False)
    vetoed: str | None = None  # the nearest fact: the one that would have answered but for ``reason``
    attributes: frozenset[str] = frozenset()  # the attributes the message asked (kept for follow-ups)


class Router:
    """Routes messages over one fact base; build a new Router for a new fact base or new settings."""

    def __init__(self, index: Index, settings: RouterSettings | None = None) -> None:
        self.settings = settings or RouterSettings()
        self.index = index
        self.base = index.base
        normalizer = index.normalizer
        self.frames = FrameReader(self.base, normalizer)
        measure_words = tuple(fold(w) for ws in self.base.vocabulary.attributes.values() for w in ws)
        self.scorer = Scorer(index, self.settings, measure_words)
        self.position = self.scorer.position
        self.slots = [fact_slots(fact, normalizer, self.frames) for fact in self.base.facts]
        self.placement = Placement(self.base, normalizer, self.frames, index.english_words)
        self._checked: OrderedDict[tuple[str, frozenset[str], int, bool], str] = OrderedDict()
        self._known = ""
        self._held: frozenset[str] | None = None
        from jinshui_qa.routing.followups import Followups  # one module each; they refer to each other

        self.followups = Followups(self)

    def _known_text(self) -> str:
        """Every fact's canonical text, joined (built on first use)."""
        if not self._known:
            self._known = "|".join(slots.text for slots in self.slots)
        return self._known

    def analyse(self, text: str) -> tuple[Lang, str, frozenset[str], frozenset[str]]:
        """Language, canonical text, character tokens and pinyin tokens of a message."""
        return self.scorer.analyse(text)

    def score(
        self, tokens: frozenset[str], py: frozenset[str], limit: int = 20, canonical: str = ""
    ) -> list[Candidate]:
        """Facts by how well their wording matches (no frame check), best first: for maintenance tools."""
        return self.scorer.score(tokens, py, canonical)[:limit]

    # -- entry point ---------------------------------------------------------------------------------
    def route(self, text: str, context: Context | None = None, *, whole: bool = False) -> RouteResult:
        """Decide how to reply to ``text``; ``context`` is the previous answer of this conversation.

        ``whole`` reads ``text`` as one question (no search for the clause that asks): for callers that
        have split a message into its questions themselves.
        """
        cleaned = clean(text)[: self.settings.max_chars]
        if not cleaned or not any(ch.isalnum() for ch in cleaned):
            return RouteResult("fallback", detect_lang(cleaned) if cleaned else "zh", reason="empty")
        kind = smalltalk_kind(cleaned) or smalltalk_kind(self.frames.colloquial(cleaned))
        if kind:
            return RouteResult("smalltalk", self.analyse(cleaned)[0], 100.0, smalltalk=kind)
        readings = asking_readings(cleaned) if self.settings.clauses and not whole else [cleaned]
        said = len(readings)
        if len(readings) > 1:  # a long message: its readings again without filler no fact uses
            known = self._known_text()
            readings += [
                lean
                for r in readings
                if (lean := self.placement.without_filler(fold(r), known)) != fold(r)
                and any(
                    self.placement.content(part) for part in lean.split()
                )  # not 「会 吗」 of 明天会下雨吗
            ]
        best: RouteResult | None = None
        for n, reading in enumerate(readings):
            result = self.route_reading(reading, context)
            if result.status == "answer":
                return result
            if best is None or (best.status == "fallback" and result.status == "clarify"):
                best = result
            if n + 1 >= said and (best.reason.startswith(_FRAME_REASONS) or self._measure(best.reason)):
                break  # the message as said asks what no fact holds: no leaner reading may answer it
        assert best is not None
        return best

    def route_reading(self, text: str, context: Context | None = None) -> RouteResult:
        """Route one reading of a message (a whole short message, or the clauses that ask)."""
        lang, canonical, tokens, py = self.analyse(text)
        frame = self.frames.read(canonical, pinyin=bool(py) and not tokens)
        result = self.decide(frame, tokens, py, lang)
        if context is not None and self.settings.followups and (tokens or py):
            result = self.followups.read(frame, fold(text), tokens, py, lang, context, result)
        if result.status == "answer" and result.fact_id:
            own = frame.attributes & {"count", "money", "share", "rank", "date", "who"}
            asked = own or self.slots[self.position[result.fact_id]].primary
            result = replace(
                result, tokens=self.followups.context_tokens(tokens, result.fact_id), attributes=asked
            )
        return result

    # -- decision ------------------------------------------------------------------------------------
    def check(self, frame: Frame, i: int) -> str:
        """Why fact ``i`` cannot explain ``frame`` (a fallback reason), or ''; memoised, bounded."""
        key = (frame.canonical, frame.attributes, i, frame.pinyin)  # a follow-up inherits attributes
        hit = self._checked.get(key)
        if hit is not None:
            return hit
        reason = ""
        if self.settings.frame_checks and "people" in frame.attributes and not frame.names:
            rest = frame.canonical
            for word in (*self.frames.home.found(rest), *self.frames.attributes["people"].found(rest)):
                rest = rest.replace(word, "")
            if not self.placement.content(rest):
                reason = "not_covered:人口"  # 有多少人 of nobody named: the district's population
        if not reason and self.settings.frame_checks:
            reason = explain(frame, self.slots[i])
            kind = reason.partition(":")[2] if reason.startswith("attribute:") else ""
            if kind in _NAMED_BY_WORD and kind not in self._held_attributes():  # 营收: name the word asked
                words = self.frames.attributes[kind].found(frame.canonical)
                reason = f"not_covered:{words[0]}" if words else reason
        if not reason and self.settings.frame_checks and "who" in frame.attributes:
            reason = self._role(frame, i)
        if not reason and self.settings.unplaced_words and not frame.pinyin:
            owned = tuple(name for name in frame.names if i in self.frames.owners[name])
            if frame.part and not reason:
                part = self.placement.content(frame.part)
                if part and not any(part in item for item in self.slots[i].held):
                    reason = f"scope:{part}"  # 重点项目里已经竣工的: a part the fact does not count
            words = (
                []
                if reason
                else self.placement.unplaced(
                    frame.canonical,
                    self.slots[i],
                    names=owned,
                    by_sound=self.settings.pinyin,
                    english=self.settings.unplaced_english or has_cjk(frame.canonical),
                )
            )
            reason = reason or (f"not_covered:{words[0]}" if words else "")
        self._checked[key] = reason
        if len(self._checked) > MEMO_LIMIT:
            self._checked.popitem(last=False)
        return reason

    def decide(self, frame: Frame, tokens: frozenset[str], py: frozenset[str], lang: Lang,
               followup: bool = False, prefer: str | None = None) -> RouteResult:  # fmt: skip
        """Answer, clarify or fall back for one frame; ``prefer`` is a follow-up's previous fact."""
        s = self.settings
        ranked = self._ranked(frame, tokens, py, followup, prefer)
        if not ranked or ranked[0].score < s.clarify_at:
            best = ranked[0].score if ranked else 0.0
            near = self.position[ranked[0].fact_id] if ranked else None
            reason = next((p for p in frame.other_places), "")
            reason = f"other_place:{reason}" if reason else self._reason_near(frame, near) or "no_match"
            return RouteResult("fallback", lang, best, reason=reason, tokens=tokens, followup=followup)
        explained = [
            c
            for c in ranked[:4]
            if c.score >= s.clarify_at and not self.check(frame, self.position[c.fact_id])
        ]
        top = ranked[0]
        if not explained or explained[0].score < top.score - 2 * s.margin - 8:
            reason = self.check(frame, self.position[top.fact_id])
            return RouteResult("fallback", lang, top.score, reason=reason, followup=followup, vetoed=top.fact_id,
                               tokens=tokens if reason.startswith("other_place") else frozenset())  # fmt: skip
        top = explained[0]
        if not followup and (
            self.scorer.contentless(frame.canonical) or not self.scorer.distinctive(tokens or py, top.fact_id)
        ):
            options = tuple(c for c in explained[:3] if c.score >= s.clarify_at)
            if len(options) >= 2:
                return RouteResult("clarify", lang, top.score, options=options, tokens=tokens, reason="vague")
            return RouteResult("fallback", lang, top.score, reason="vague", tokens=tokens)
        generic = [] if followup else self._generic(frame, explained)
        if len(generic) >= 2:  # 有多少人才: the head noun of 领军人才 and 高层次人才, naming neither
            return RouteResult(
                "clarify", lang, top.score, options=tuple(generic), tokens=tokens, reason="vague"
            )
        close = [c for c in explained[:3] if c.score >= max(s.clarify_at, top.score - s.margin)]
        if len(close) >= 2 and s.latest_period:
            close = self._latest(close)
        if top.score >= s.answer_at and len(close) == 1:
            return RouteResult("answer", lang, top.score, close[0].fact_id, tokens=tokens, followup=followup)
        if len(close) >= 2:
            return RouteResult(
                "clarify", lang, top.score, options=tuple(close), tokens=tokens, followup=followup
            )
        if top.score >= s.answer_at:
            return RouteResult("answer", lang, top.score, top.fact_id, tokens=tokens, followup=followup)
        runner_ups = [c for c in explained[1:3] if c.score >= s.clarify_at - s.margin]
        if runner_ups:
            return RouteResult(
                "clarify", lang, top.score, options=(top, *runner_ups), tokens=tokens, followup=followup
            )
        return RouteResult(
            "fallback", lang, top.score, reason="low_confidence", tokens=tokens, followup=followup
        )

    def _ranked(self, frame: Frame, tokens: frozenset[str], py: frozenset[str], followup: bool,
                prefer: str | None) -> list[Candidate]:  # fmt: skip
        s = self.settings
        ranked = self.scorer.score(tokens, py, canonical=frame.canonical)
        if s.subjects and frame.names:
            named = self.frames.facts_named(frame)
            ranked = [replace(c, score=round(min(100.0, c.score + s.subject_bonus), 1))
                      if self.position[c.fact_id] in named else c for c in ranked]  # fmt: skip
        asked = frame.attributes & {"date", "money", "rank", "share", "count", "progress"}
        if asked and ranked:
            weight = s.attribute_fit * (3 if followup else 1)
            lead = ranked[0].score - 15
            ranked = [
                replace(c, score=round(min(100.0, c.score + (weight if asked <= self.slots[self.position[c.fact_id]].attributes else -weight)), 1))
                if c.score >= lead else c
                for c in ranked
            ]  # fmt: skip
        if frame.days and ranked:  # 每月5号: the fact about that day alone before one naming it with others
            days = set(frame.days)
            ranked = [replace(c, score=round(min(100.0, c.score + s.attribute_fit), 1))
                      if self.slots[self.position[c.fact_id]].days == days else c for c in ranked]  # fmt: skip
        if prefer:
            ranked = [replace(c, score=min(100.0, c.score + s.followup_preference)) if c.fact_id == prefer else c
                      for c in ranked]  # fmt: skip
        return sorted(ranked, key=lambda c: (-c.score, c.fact_id))

    def _role(self, frame: Frame, i: int) -> str:
        """「区长是谁」: a person's role asked must be one the fact is about (its subject, keywords, title,
        what it counts), not one its answer only mentions (首席服务官's answer names 区长 but no 区长)."""
        held = self.slots[i].held
        text = frame.canonical.replace(" ", "")
        for noun in nouns_in(text):
            role = noun[-1] in _ROLE_ENDS or noun.endswith(_ROLES)
            if role and noun not in self.placement.general and not any(noun in h for h in held):
                return f"not_covered:{noun}"
        return ""

    def _measure(self, reason: str) -> bool:
        """Whether ``reason`` names a measure of the attribute lexicon (not_covered:营收), not filler."""
        word = reason.partition(":")[2] if reason.startswith("not_covered:") else ""
        return bool(word) and any(word in words.words for words in self.frames.attributes.values())

    def _held_attributes(self) -> frozenset[str]:
        if self._held is None:
            self._held = frozenset().union(*(slots.attributes for slots in self.slots))
        return self._held

    def _generic(self, frame: Frame, explained: list[Candidate]) -> list[Candidate]:
        """Facts whose subject ends in a noun the message names alone (人才 of 领军人才, 高层次人才), when
        the message names no subject of its own: a question too general to pick one of them."""
        text = frame.canonical.replace(" ", "")
        if frame.names or not text or not all(has_cjk(ch) or ch.isdigit() for ch in text):
            return []
        for noun in nouns_in(text):
            rest = text.replace(noun, " ")
            for word in (*self.frames.home.found(rest),
                         *(w for words in self.frames.attributes.values() for w in words.found(rest))):  # fmt: skip
                rest = rest.replace(word.replace(" ", ""), " ")
            if any(self.placement.content(part, least=1) for part in rest.split()):
                continue  # 储被项目: another word (a slip of 储备) names something more specific
            options = [c for c in explained[:4]
                       if (subject := self.slots[self.position[c.fact_id]].subject) != noun
                       and subject.endswith(noun) and subject not in text]  # fmt: skip
            heard = " " + " ".join(spell(text)) + " "
            if len(options) >= 2 and not any(f" {' '.join(spell(self.slots[self.position[c.fact_id]].subject))} " in heard
                                             for c in explained[:4]):  # fmt: skip
                return options[:3]  # (a subject said by sound, 领君人才 for 领军人才, is named)
        return []

    def _reason_near(self, frame: Frame, near: int | None) -> str:
        """For a message no fact matches well: a measure no fact holds (人口, revenue), else the frame's own
        reason against the nearest fact, if any."""
        held = self._held_attributes()
        for kind in sorted((frame.attributes & _NAMED_BY_WORD) - held):
            words = self.frames.attributes[kind].found(frame.canonical)
            if words:
                return f"not_covered:{words[0]}"
        if near is None:
            return ""
        reason = self.check(frame, near)
        if (
            not reason.startswith(("not_covered", "other_place"))
            and self.settings.unplaced_words
            and not frame.pinyin
        ):
            words = self.placement.unplaced(frame.canonical, self.slots[near], english=True)
            reason = f"not_covered:{words[0]}" if words else ""
        return reason if reason.startswith(("not_covered", "other_place")) else ""

    def _latest(self, close: list[Candidate]) -> list[Candidate]:
        """Facts about one subject that differ by period: keep those of the latest (a newer report wins)."""
        slots = [self.slots[self.position[c.fact_id]] for c in close]
        if len({s.subject for s in slots}) != 1 or any(s.period is None for s in slots):
            return close
        ends = [s.period.end for s in slots if s.period is not None]
        return [c for c, end in zip(close, ends, strict=True) if end == max(ends)]
