"""The fuzzy intent router: one message (and the conversation's context) in, a routing decision out.

Scores come from :class:`~jinshui_qa.routing.scoring.Scorer`. The decision: ``answer`` above ``answer_at``
with a clear lead; ``clarify`` when two or three facts are close or the message is vague; ``fallback``
otherwise, and always when the question names another place, something not covered, a measure the
fact does not hold, or a year no candidate fact describes (:mod:`jinshui_qa.routing.vetoes`). Small talk is
recognised first. Follow-ups (「那高新技术企业呢」「总投资呢」「占全市多少」) are read against the
previous answer: same subject with a new measure, or the same measure of a new subject.
"""

from __future__ import annotations

import re
from dataclasses import replace

from jinshui_qa.conversation.smalltalk import smalltalk_kind
from jinshui_qa.facts.schema import Fact, Lang
from jinshui_qa.routing.index import char_tokens
from jinshui_qa.routing.scoring import Candidate, Context, RouteResult, Scorer, Status, Thresholds
from jinshui_qa.routing.vetoes import holds
from jinshui_qa.text.normalize import clean, detect_lang, fold, has_cjk

__all__ = ["Candidate", "Context", "RouteResult", "Router", "Status", "Thresholds"]

FOLLOWUP_PREFERENCE = 5.0
MEASURE_FIT = 5.0
FOLLOWUP_OWN_COVER = 0.5
_FOLLOWUP_WORDS = frozenset({"那", "呢", "那么", "还有", "what", "about", "and", "how"})
_FOLLOWUP_HEAD = re.compile(r"^(?:那么|那|还有|另外|(?:and what about|what about|how about|and|so)\b) ?")
_FOLLOWUP_TAIL = re.compile(r"(呢|吗|呀|\?)$")


class Router(Scorer):
    """Routes messages over one fact base; build a new Router for a new fact base."""

    # -- decision ------------------------------------------------------------------------------------
    def route(self, text: str, context: Context | None = None) -> RouteResult:
        """Decide how to reply to ``text``; ``context`` is the previous answer of this conversation."""
        cleaned = clean(text)
        if not cleaned or not re.search(r"\w", cleaned):
            return RouteResult("fallback", detect_lang(cleaned) if cleaned else "zh", reason="empty")
        kind = smalltalk_kind(cleaned)
        lang, canonical, tokens, py = self.analyse(cleaned)
        if kind:
            return RouteResult("smalltalk", lang, 100.0, smalltalk=kind)
        folded = fold(cleaned)
        result = self._decide(folded, tokens, py, lang, canonical=canonical)
        if context is not None and tokens and self._is_followup(folded, canonical, result):
            stripped = _FOLLOWUP_TAIL.sub("", _FOLLOWUP_HEAD.sub("", folded)).strip()
            own = frozenset(char_tokens(self.index.normalizer.canonical(stripped)))
            same = self._same_subject(folded, canonical, context, lang)
            if same is not None:
                return same
            for merged in self._followup_variants(own, context):
                candidate = self._decide(
                    folded, merged, frozenset(), lang, followup=True, prefer=context.fact_id
                )
                if (candidate.score > result.score + 1 and candidate.status != "fallback"
                        and self._explains(own, candidate)):  # fmt: skip
                    result = candidate
        if result.status == "answer" and result.fact_id:
            result = replace(result, tokens=self._context_tokens(tokens, result.fact_id))
        return result

    def _explains(self, own: frozenset[str], result: RouteResult) -> bool:
        """A follow-up reading only counts if the chosen fact explains the message's own words."""
        ids = [result.fact_id] if result.fact_id else [o.fact_id for o in result.options]
        total = self.index.weights.sum(own)
        return total > 0 and all(
            self.index.weights.sum(own & self.index.bags[self.position[i]]) / total >= FOLLOWUP_OWN_COVER
            for i in ids
        )

    def _context_tokens(self, tokens: frozenset[str], fact_id: str) -> frozenset[str]:
        """What a later follow-up may reuse: the message's words and the answered fact's subject."""
        return frozenset(t for t in tokens if t not in _FOLLOWUP_WORDS) | self._subject_tokens(
            self.base.fact(fact_id)
        )

    def _subject_tokens(self, fact: Fact) -> frozenset[str]:
        normalizer = self.index.normalizer
        if fact.subject:
            return frozenset(char_tokens(normalizer.canonical(fact.subject.zh + " " + fact.subject.en)))
        return frozenset(char_tokens(normalizer.canonical(fact.title.zh + " " + fact.title.en)))

    def _is_followup(self, folded: str, canonical: str, alone: RouteResult) -> bool:
        """Elliptical messages: marked (那…呢, what about) or short and naming no subject of their own."""
        if alone.reason.startswith(("other_place", "not_covered")):
            return False
        marked = bool(_FOLLOWUP_HEAD.search(folded) or _FOLLOWUP_TAIL.search(folded))
        short = len(folded.replace(" ", "")) <= 10 if has_cjk(folded) else len(folded.split()) <= 8
        return marked or (short and not self._names_subject(canonical))

    def _same_subject(self, folded: str, canonical: str, context: Context, lang: Lang) -> RouteResult | None:
        """「占全市多少」「这个排第几」: a new measure of the same subject, which the previous fact holds."""
        fact = self.base.get(context.fact_id)
        if fact is None or self._names_subject(canonical) or self._veto(folded, fact):
            return None
        asked = self.vetoes.asked(folded)
        if asked and asked <= {"share", "rank"} and all(holds(fact, kind) for kind in asked):
            return RouteResult("answer", lang, 100.0, fact.id, followup=True, tokens=context.tokens)
        return None

    def _followup_variants(self, own: frozenset[str], context: Context) -> list[frozenset[str]]:
        """Two readings of an elliptical message: same subject, new aspect; or same aspect, new subject."""
        fact = self.base.get(context.fact_id)
        if fact is None or not own:
            return []
        subject = self._subject_tokens(fact)
        normalizer = self.index.normalizer
        keywords = frozenset(t for k in fact.keywords for t in char_tokens(normalizer.canonical(k)))
        return [own | subject, (context.tokens - subject - keywords) | own]

    def _decide(self, folded: str, tokens: frozenset[str], py: frozenset[str], lang: Lang,
                followup: bool = False, prefer: str | None = None, canonical: str = "") -> RouteResult:  # fmt: skip
        t = self.thresholds
        ranked = self.score(tokens, py, canonical=canonical)
        ranked = self._fit_measures(folded, ranked, MEASURE_FIT * (3 if followup else 1))
        if prefer:
            ranked = sorted((replace(c, score=min(100.0, c.score + FOLLOWUP_PREFERENCE)) if c.fact_id == prefer else c
                             for c in ranked),
                            key=lambda c: (-c.score, c.fact_id))  # fmt: skip
        if not ranked or ranked[0].score < t.clarify_at:
            best = ranked[0].score if ranked else 0.0
            reason = self._veto(folded, None) or "no_match"
            return RouteResult("fallback", lang, best, reason=reason, tokens=tokens, followup=followup)
        top = ranked[0]
        veto = self._veto(folded, self.base.fact(top.fact_id))
        if veto:
            place_free = tokens - frozenset(char_tokens(fold(veto.partition(":")[2])))
            return RouteResult("fallback", lang, top.score, reason=veto, followup=followup,
                               tokens=place_free if veto.startswith("other_place") else frozenset(),
                               vetoed=top.fact_id)  # fmt: skip
        if not followup and (self._contentless(folded) or not self._distinctive(tokens or py, top.fact_id)):
            options = tuple(c for c in ranked[:3] if c.score >= t.clarify_at)
            if len(options) >= 2:
                return RouteResult("clarify", lang, top.score, options=options, tokens=tokens, reason="vague")
            return RouteResult("fallback", lang, top.score, reason="vague", tokens=tokens)
        close = [c for c in ranked[:3] if c.score >= max(t.clarify_at, top.score - t.margin)]
        close = [c for c in close if not self._veto(folded, self.base.fact(c.fact_id))]
        if top.score >= t.answer_at and len(close) == 1:
            return RouteResult("answer", lang, top.score, top.fact_id, tokens=tokens, followup=followup)
        if len(close) >= 2:
            return RouteResult(
                "clarify", lang, top.score, options=tuple(close), tokens=tokens, followup=followup
            )
        if top.score >= t.answer_at:
            return RouteResult("answer", lang, top.score, top.fact_id, tokens=tokens, followup=followup)
        runner_ups = [c for c in ranked[1:3] if c.score >= t.clarify_at - t.margin]
        if runner_ups:
            options = (top, *runner_ups)
            return RouteResult("clarify", lang, top.score, options=options, tokens=tokens, followup=followup)
        return RouteResult(
            "fallback", lang, top.score, reason="low_confidence", tokens=tokens, followup=followup
        )
