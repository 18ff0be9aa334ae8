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

from collections.abc import Container, Sequence
from dataclasses import field, replace
from functools import partial
from typing import Literal, cast

from jinshui_qa.conversation.smalltalk import smalltalk_kind
from jinshui_qa.facts.schema import Lang
from jinshui_qa.records import dataclass
from jinshui_qa.routing import dense, pool
from jinshui_qa.routing.checks import Explained
from jinshui_qa.routing.frames import Frame, FrameReader
from jinshui_qa.routing.index import Index
from jinshui_qa.routing.known import carried, pieces, text_of
from jinshui_qa.routing.placement import Placement, pairs
from jinshui_qa.routing.scoring import Candidate, Scorer
from jinshui_qa.routing.settings import RouterSettings
from jinshui_qa.routing.slots import FactSlots, fact_slots
from jinshui_qa.routing.spliced import filled, holds_both
from jinshui_qa.routing.state import RouterState
from jinshui_qa.routing.word_counts import WordCounts
from jinshui_qa.text.clauses import asking_readings
from jinshui_qa.text.normalize import clean, detect_lang, fold, has_cjk

__all__ = ["Candidate", "Context", "RouteResult", "Router", "RouterSettings", "Status"]

Status = Literal["answer", "clarify", "fallback", "smalltalk"]
_FRAME_REASONS = ("other_place", "period", "scope", "attribute", "level")


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
    reason: str = ""  # why a fallback: no_match, other_place:二七区, not_covered:人口, period:2021年...
    smalltalk: str = ""  # greeting, thanks, help, identity, bye, abuse
    followup: bool = False
    tokens: frozenset[str] = field(default=frozenset(), repr=False)
    vetoed: str | None = None  # the nearest fact: the one that would have answered but for ``reason``
    attributes: frozenset[str] = frozenset()  # the attributes the message asked (kept for follow-ups)


class Router:
    """Routes messages over one fact base; build a new Router for a new fact base or new settings."""

    scorer: Scorer
    placement: Placement

    def __init__(self, index: Index, settings: RouterSettings | None = None, state: RouterState | None = None,
                 workers: int = 1) -> None:  # fmt: skip
        """``state``: per-fact state derived before (:mod:`jinshui_qa.routing.state`), used as is.
        ``workers``: how many processes may derive every fact's slots when none is known
        (:func:`jinshui_qa.routing.pool.pooled`; 1: this one)."""
        self.settings = settings or RouterSettings()
        self.index = index
        self.base = index.base
        normalizer = index.normalizer
        state = state or RouterState()
        previous = state.previous
        if previous is not None and (
            previous.settings != self.settings or previous.index.normalizer is not normalizer
        ):
            previous = None
        named = previous is not None or state.names is not None  # else the names' owners made in parts()
        self.frames: FrameReader = (
            previous.frames if previous is not None else FrameReader(self.base, normalizer, state.names, later=True)
        )  # fmt: skip
        measure_words = tuple(fold(w) for ws in self.base.vocabulary.attributes.values() for w in ws)

        def parts() -> None:  # what reads every fact: made while the pool derives the slots, if it does
            if not named:  # the slots read the frame reader's lexicons alone
                self.frames.name_owners(self.base)
            self.scorer = Scorer(index, self.settings, measure_words, state.signatures,
                                 previous.scorer if previous is not None else None, state.scoring)  # fmt: skip
            self.placement = Placement(self.base, normalizer, self.frames, index.english_words, state.english)
            self.words = state.words or WordCounts.derived(self.base.facts, self.placement.english_counts)

        known, facts = state.slots or [None] * len(self.base.facts), self.base.facts
        if pool.usable(workers, len(facts)) and not state.complete and not any(known):  # a full build
            derive = partial(fact_slots, normalizer=normalizer, reader=self.frames)
            self.slots: Sequence[FactSlots] = pool.pooled(facts, derive, normalizer, workers, parts)
        else:  # every fact's slots as a snapshot holds them (made on access), or those not known derived
            parts()
            self.slots = cast("Sequence[FactSlots]", known) if state.complete else filled(
                known, facts, lambda fact: fact_slots(fact, normalizer, self.frames))  # fmt: skip
        self.position = self.scorer.position
        self.scorer.counts = state.keywords or self.scorer.counts  # a reload's (routing/renames.py)
        self._known, self._search = "", cast("Container[str] | None", None)  # joined; searched (known.py)
        self._pairs = carried(state.pairs, state.splice, self.slots, self._searched)  # of the known text
        from jinshui_qa.routing.checks import Checks  # one module each; they refer to each other
        from jinshui_qa.routing.followups import Followups

        self.checks, self.followups = Checks(self), Followups(self)
        dense.prepare(len(self.base.facts))  # a large base: numpy and the patterns now, not on questions

    def _known_text(self) -> str:
        """Every fact's canonical text, joined (built on first use)."""
        self._known = self._known or text_of(self.slots)
        return self._known

    def _searched(self) -> Container[str]:
        """What ``word in`` the known text is asked of (:func:`~jinshui_qa.routing.known.pieces`)."""
        self._search = self._search if self._search is not None else pieces(self.slots, self._known_text)
        return self._search

    def mentions(self, word: str) -> bool:
        """Whether the facts' own text names ``word`` (two characters or more, read canonically)."""
        canonical = self.analyse(word)[1].replace(" ", "")
        if len(canonical) < 2 or not has_cjk(canonical):
            return False
        return not self.placement.lacks(self._searched(), canonical, self._pairs)  # memoised

    def known_pairs(self, made: frozenset[str] | None = None) -> frozenset[str]:
        """The pairs of characters of every fact's text (:func:`~jinshui_qa.routing.placement.pairs`): from the
        snapshot, or ``made`` by another process (a full build's snapshot writer), else made on first use."""
        if not isinstance(self._pairs, frozenset):  # a reload's carried pairs: made now, in its writer
            self._pairs = made if made is not None else pairs(self._known_text())
        return self._pairs

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
            known = self._searched()
            readings += [lean for r in readings  # not 「会 吗」 of 明天会下雨吗:
                         if (lean := self.placement.without_filler(fold(r), known, self._pairs)) != fold(r)
                         and any(self.placement.content(part) for part in lean.split())]  # fmt: skip
        best: RouteResult | None = None
        for n, reading in enumerate(readings):
            result = self.route_reading(reading, context)
            if result.status == "answer":
                return result
            if best is None or (best.status == "fallback" and result.status == "clarify"):
                best = result
            if n + 1 >= said and (best.reason.startswith(_FRAME_REASONS) or self.checks.measure(best.reason)):
                break  # the message as said asks what no fact holds: no leaner reading may answer it
        assert best is not None
        return best

    def route_reading(self, text: str, context: Context | None = None) -> RouteResult:
        """Route one reading of a message (a whole short message, or the clauses that ask)."""
        lang, canonical, tokens, py = self.analyse(text)
        frame = self.frames.read(canonical, pinyin=bool(py) and not tokens)
        # 重点项目有多少 of a subject with a count and an amount: the count, never the sum
        if frame.countable and holds_both(self.slots, self.frames.facts_named(frame)):
            frame = replace(frame, attributes=frozenset({"count"}))
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
        """Why fact ``i`` cannot explain ``frame`` (a fallback reason), or '' (see :mod:`.checks`)."""
        return self.checks.check(frame, i)

    def decide(self, frame: Frame, tokens: frozenset[str], py: frozenset[str], lang: Lang,
               followup: bool = False, prefer: str | None = None) -> RouteResult:  # fmt: skip
        """Answer, clarify or fall back for one frame; ``prefer`` is a follow-up's previous fact."""
        s = self.settings
        ranked = self._ranked(frame, tokens, py, followup, prefer)
        if not ranked or ranked[0].score < s.clarify_at:
            best = ranked[0].score if ranked else 0.0
            near = self.position[ranked[0].fact_id] if ranked else None
            reason = next((p for p in frame.other_places), "")
            reason = f"other_place:{reason}" if reason else self.checks.reason_near(frame, near) or "no_match"
            return RouteResult("fallback", lang, best, reason=reason, tokens=tokens, followup=followup)
        explained = Explained(
            ranked[:4], s.clarify_at, lambda c: not self.check(frame, self.position[c.fact_id])
        )
        top, lead = ranked[0], explained.first(1)  # the rest are checked as far as they are read
        if not lead or lead[0].score < top.score - 2 * s.margin - 8:
            if frame.names:  # the reason of the fact about the subject named (重点项目数全市排第几)
                top = next(
                    (c for c in ranked[:4] if self.frames.names_fact(frame, self.position[c.fact_id])), top
                )
            reason = self.check(frame, self.position[top.fact_id])
            return RouteResult("fallback", lang, top.score, reason=reason, followup=followup, vetoed=top.fact_id,
                               tokens=tokens if reason.startswith("other_place") else frozenset())  # fmt: skip
        top = lead[0]
        if not followup and (
            self.scorer.contentless(frame.canonical) or not self.scorer.distinctive(tokens or py, top.fact_id)
        ):
            options = tuple(explained.first(3))  # (each at or above clarify_at)
            held = [self.position[c.fact_id] for c in options or (top,)]
            unheld = self.checks.unheld(frame, held)  # 街道: a thing none of them holds, said so
            if len(options) >= 2 and not unheld:
                return RouteResult("clarify", lang, top.score, options=options, tokens=tokens, reason="vague")
            return RouteResult("fallback", lang, top.score, reason=unheld or "vague", tokens=tokens)
        generic = [] if followup else self.checks.generic(frame, explained)
        if len(generic) >= 2:  # 有多少人才: the head noun of 领军人才 and 高层次人才, naming neither
            return RouteResult(
                "clarify", lang, top.score, options=tuple(generic), tokens=tokens, reason="vague"
            )
        close = explained.first(3, least=max(s.clarify_at, top.score - s.margin))
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
        runner_ups = explained.first(3, least=s.clarify_at - s.margin)[1:]
        if runner_ups:
            return RouteResult("clarify", lang, top.score, options=(top, *runner_ups), tokens=tokens,
                               followup=followup)  # fmt: skip
        return RouteResult("fallback", lang, top.score, reason="low_confidence", tokens=tokens,
                           followup=followup)  # fmt: skip

    def _ranked(self, frame: Frame, tokens: frozenset[str], py: frozenset[str], followup: bool,
                prefer: str | None) -> list[Candidate]:  # fmt: skip
        s = self.settings
        ranked = self.scorer.score(tokens, py, canonical=frame.canonical)
        if s.subjects and frame.names:
            named = self.frames.names_fact
            ranked = [replace(c, score=round(min(100.0, c.score + s.subject_bonus), 1))
                      if named(frame, self.position[c.fact_id]) else c for c in ranked]  # fmt: skip
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

    def _latest(self, close: list[Candidate]) -> list[Candidate]:
        """Facts about one subject that differ by period: keep those of the latest (a newer report wins)."""
        slots = [self.slots[self.position[c.fact_id]] for c in close]
        if len({s.subject for s in slots}) != 1 or any(s.period is None for s in slots):
            return close
        ends = [s.period.end for s in slots if s.period is not None]
        return [c for c, end in zip(close, ends, strict=True) if end == max(ends)]
