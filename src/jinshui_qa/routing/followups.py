"""Follow-ups as frame inheritance: an elliptical message replaces only the slots it names.

After an answer about 科技型企业: 「去年呢」 keeps the subject and changes the period (and so falls back,
saying the report has no such figure); 「占全市多少」 keeps the subject and asks a new attribute;
「总量呢」 keeps the subject and changes the scope; 「那高新技术企业呢」 names a new subject and keeps
the attribute asked before. A fact of the same subject that explains the new slots may answer
(「总投资呢」 after the count of key projects answers their total investment).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from jinshui_qa.facts.schema import Fact, Lang
from jinshui_qa.routing.frames import Frame
from jinshui_qa.routing.index import char_tokens
from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import has_cjk
from jinshui_qa.text.noun_words import nouns_in

if TYPE_CHECKING:
    from jinshui_qa.routing.router import Context, Router, RouteResult

_FOLLOWUP_WORDS = frozenset({"那", "呢", "那么", "还有", "what", "about", "and", "how"})
_HEAD = lazy_re.compile(r"^(?:那么|那|还有|另外|(?:and what about|what about|how about|and|so)\b) ?")
_PRONOUN = lazy_re.compile(r"^(?:他们|她们|它们|他|她|它|(?:he|she|they)\b)")
_TAIL = lazy_re.compile(r"(呢|吗|呀|\?)$")
_LATIN = lazy_re.compile(r"[a-z]+")


class Followups:
    """Reads messages against the previous answer; holds no state of its own beyond the router."""

    def __init__(self, router: Router) -> None:
        self.router = router

    def read(self, frame: Frame, folded: str, tokens: frozenset[str], py: frozenset[str], lang: Lang,
             context: Context, alone: RouteResult) -> RouteResult:  # fmt: skip
        """The reading of ``frame`` in ``context``, or ``alone`` when it reads as a question of its own."""
        router = self.router
        i = router.position.get(context.fact_id)
        if i is None or not self._is_followup(folded, frame, alone):
            return alone
        if alone.reason.startswith("other_place"):  # 全市一共多少: the same subject, of another place
            return alone if frame.names else replace(alone, vetoed=context.fact_id, followup=True)
        if frame.names == () and _PRONOUN.match(folded):
            pronoun = self._pronoun(folded, context, lang, alone)
            if pronoun is not None:
                return pronoun
        if not frame.names and frame.qualified:
            if alone.status == "clarify" and self._names_other(frame, i, alone):
                return alone  # 「金水区有多少人才」 names things of its own, none of them the last subject
            return self._inherit(frame, i, tokens, lang, context, alone)
        stripped = _TAIL.sub("", _HEAD.sub("", folded)).strip()
        own = frozenset(char_tokens(router.index.normalizer.canonical(stripped)))
        result = alone
        measured = any(w.found(name) for w in router.frames.attributes.values() for name in frame.names)
        asked = frame.attributes or (frozenset() if measured else context.attributes)
        inherited = replace(frame, attributes=asked)  # 那X呢: the same asked of X (那年度计划投资呢: X's own)
        for merged in self._variants(own, context):
            candidate = router.decide(
                inherited, merged, frozenset(), lang, followup=True, prefer=context.fact_id
            )
            if (candidate.score > result.score + 1 and candidate.status != "fallback"
                    and self._explains(own, candidate)):  # fmt: skip
                result = candidate
        if result is alone and alone.status == "answer" and alone.fact_id and inherited != frame:
            reason = router.check(inherited, router.position[alone.fact_id])
            if (
                reason
            ):  # 「区长呢」 after 「书记是谁」 asks who 区长 is: a fact that cannot say who may not answer
                sibling = self._sibling(inherited, alone.fact_id, tokens)
                if sibling == context.fact_id:  # that amount was just said: X's own figure is what is new
                    return alone
                if sibling is not None:  # 「新签约项目呢」 after an amount: the amount of signed projects
                    return replace(alone, fact_id=sibling, followup=True)
                return replace(alone, status="fallback", fact_id=None, reason=reason, followup=True,
                               vetoed=alone.fact_id)  # fmt: skip
        return result

    def _sibling(self, frame: Frame, fact_id: str, tokens: frozenset[str]) -> str | None:
        """The best-scored fact of the same subject as ``fact_id`` that explains ``frame`` (the message
        with the attribute asked before), or None: 「新签约项目呢」 after 「计划投资多少」 asks the amount of
        the signed projects, which a fact of theirs other than their count holds."""
        router = self.router
        subject = router.slots[router.position[fact_id]].subject
        fitting = {router.base.facts[j].id for j in self._family(router.position[fact_id])
                   if router.slots[j].subject == subject and not router.check(frame, j)}  # fmt: skip
        ranked = [
            c.fact_id
            for c in router.scorer.score(tokens, frozenset(), frame.canonical)
            if c.fact_id in fitting
        ]
        return ranked[0] if ranked else None

    def _pronoun(self, folded: str, context: Context, lang: Lang, alone: RouteResult) -> RouteResult | None:
        """「他说了什么」: a pronoun standing for the previous answer's subject, read with the subject named."""
        fact = self.router.base.get(context.fact_id)
        if fact is None or fact.subject is None:
            return None
        named = fact.subject.zh if has_cjk(folded) else fact.subject.en
        result = self.router.route_reading(_PRONOUN.sub(named + " ", folded, count=1))
        if result.status == "answer" or (result.status == "fallback" and alone.status != "answer"):
            return replace(result, followup=True)
        return None

    def _inherit(self, frame: Frame, i: int, tokens: frozenset[str], lang: Lang, context: Context,
                 alone: RouteResult) -> RouteResult:  # fmt: skip
        """Same subject, new slots: the best-scored of the previous fact, the facts of its subject and
        its related facts that explain the new frame; a fallback saying what is missing otherwise."""
        from jinshui_qa.routing.router import RouteResult

        router = self.router
        fact = router.base.facts[i]
        subject = router.slots[i].subject
        fitting = {router.base.facts[j].id for j in self._family(i) if not router.check(frame, j)}
        if fitting:
            merged = tokens | self._subject_tokens(fact)
            scored = [
                c for c in router.scorer.score(merged, frozenset(), frame.canonical) if c.fact_id in fitting
            ]
            ranked = [c.fact_id for c in scored]
            measure = frame.attributes & {"count", "money"}
            again = (
                bool(measure)
                and measure <= router.slots[i].primary
                and any(c.fact_id == context.fact_id and c.score >= scored[0].score for c in scored)
            )  # 「多少亿」 after an amount: that amount asked again, unless its words fit another fact better
            kept = context.fact_id in fitting and (not measure or again) and bool(frame.attributes)
            if kept or (context.fact_id in fitting and (
                not ranked or router.slots[router.position[ranked[0]]].subject != subject
            )):  # fmt: skip
                chosen = context.fact_id  # 排第几 of the figure just given: the same fact, a new slot
            else:
                chosen = ranked[0] if ranked else context.fact_id
            return RouteResult("answer", lang, 100.0, chosen, followup=True, tokens=context.tokens)
        if (
            alone.status == "answer" and alone.fact_id and not frame.period and frame.new is None
        ):  # 新增的: of it
            return alone
        return RouteResult("fallback", lang, alone.score, reason=router.check(frame, i), followup=True,
                           vetoed=context.fact_id)  # fmt: skip

    def _family(self, i: int) -> set[int]:
        """The positions of fact ``i``, the facts of its subject and the facts related to any of them (the
        new key projects, related to their count, follow their total investment too)."""
        router = self.router
        subject = router.slots[i].subject
        family = {i} | {j for j, s in enumerate(router.slots) if s.subject == subject}
        facts, position = router.base.facts, router.position
        return family | {position[r] for j in family for r in facts[j].related if r in position}

    def _names_other(self, frame: Frame, i: int, alone: RouteResult) -> bool:
        """Whether a message that clarifies on its own names a common noun (人才) that the last fact,
        not among its options, never holds: then it asks about those things, not about the last one."""
        router = self.router
        if frame.level or frame.outside:
            return False  # 「占全市多少」: 全市 is the frame of a share, not a thing of its own
        if {router.base.facts[j].id for j in self._family(i)} & {o.fact_id for o in alone.options}:
            return False  # 「投资多少」: one option is the last subject's own
        held = " ".join(router.slots[i].held) + router.slots[i].text
        return any(noun not in held for noun in nouns_in(frame.canonical))

    def _is_followup(self, folded: str, frame: Frame, alone: RouteResult) -> bool:
        """Elliptical messages: marked (那…呢, what about) or short and naming no subject of their own."""
        marked = bool(_HEAD.search(folded) or _TAIL.search(folded))
        short = len(folded.replace(" ", "")) <= 10 if has_cjk(folded) else len(folded.split()) <= 8
        return marked or (short and not frame.names and not self._spells_name(folded))

    def _spells_name(self, folded: str) -> bool:
        """Whether a message typed in Latin letters spells a name of the facts in pinyin, in a word or a
        run of up to four words (zhuanxiangzhai, gaoxin jishu qiye): a name of its own, as in Chinese."""
        if has_cjk(folded):
            return False
        words, spelled = _LATIN.findall(folded), self.router.scorer.spelled()
        runs = (
            "".join(words[a:b]) for a in range(len(words)) for b in range(a + 1, min(a + 4, len(words)) + 1)
        )
        return any(run in spelled and self.router.frames.read(spelled[run]).names for run in runs)

    def _explains(self, own: frozenset[str], result: RouteResult) -> bool:
        """A follow-up reading only counts if the chosen fact explains the message's own words."""
        router = self.router
        ids = [result.fact_id] if result.fact_id else [o.fact_id for o in result.options]
        weights = router.index.weights
        total = weights.sum(own)
        return total > 0 and all(
            weights.sum(own & router.index.bags[router.position[f]]) / total
            >= router.settings.followup_own_cover
            for f in ids
        )

    def context_tokens(self, tokens: frozenset[str], fact_id: str) -> frozenset[str]:
        """What a later follow-up may reuse: the message's words and the answered fact's subject."""
        return frozenset(t for t in tokens if t not in _FOLLOWUP_WORDS) | self._subject_tokens(
            self.router.base.fact(fact_id)
        )

    def _subject_tokens(self, fact: Fact) -> frozenset[str]:
        normalizer = self.router.index.normalizer
        named = fact.subject or fact.title
        return frozenset(char_tokens(normalizer.canonical(named.zh + " " + named.en)))

    def _variants(self, own: frozenset[str], context: Context) -> list[frozenset[str]]:
        """Two readings of an elliptical message: same subject, new aspect; or same aspect, new subject."""
        fact = self.router.base.get(context.fact_id)
        if fact is None or not own:
            return []
        subject = self._subject_tokens(fact)
        normalizer = self.router.index.normalizer
        keywords = frozenset(t for k in fact.keywords for t in char_tokens(normalizer.canonical(k)))
        return [own | subject, (context.tokens - subject - keywords) | own]
