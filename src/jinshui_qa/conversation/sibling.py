"""A measure asked of a fact that lacks it, held by a related fact of the same subject: 「新签约项目几个亿」.

The router may rank the fact that counts a subject (新签约项目30个) above the one that holds its amount
(签约项目计划投资200亿元) when the question's words are nearer the count's, and then falls back with
「报道里没有签约项目的金额信息」, which is false: the report has it. When a fallback says the fact lacks the
measure asked (``attribute:money``, ``count``, ``people``, ``share``), the facts related to it that
have the same subject are tried with the question's own frame (the router's checks); the one that
explains it is answered; one whose plan is asked as done (「新签约项目的投资到位了吗」) is said to be a
plan (:mod:`.missing`). Several, or none, leave the fallback as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant, Reply, Session
    from jinshui_qa.facts.schema import FactBase, Lang
    from jinshui_qa.routing.router import Router, RouteResult

_MEASURES = ("attribute:money", "attribute:count", "attribute:people", "attribute:share")


def reply(assistant: Assistant, text: str, result: RouteResult, session: Session, now: float, question: str,
          lang: Lang) -> Reply | None:  # fmt: skip
    """The answer of the related fact that holds the measure ``result`` fell back on (see the module
    docstring), or ``None``."""
    found = measured(assistant.router, assistant.base, text, result)
    if found is None:
        return None
    fact_id, why = found
    said = assistant.answer_fact(fact_id, session, now, question, lang)
    from jinshui_qa.conversation import verify

    if why:  # only its progress is not given: 「报道只给出了签约项目的计划数…」
        from dataclasses import replace

        from jinshui_qa.conversation.replies import fallback_text

        text_out = fallback_text(assistant.base, why, lang, assistant.base.fact(fact_id))
        return replace(said, status="fallback", text=text_out, reason=why, fact_id=None, related=(), source=None,
                       period=None, score=0.0)  # fmt: skip
    return verify.reread(assistant.base, text, said)


def measured(router: Router, base: FactBase, text: str, result: RouteResult) -> tuple[str, str] | None:
    """The one related fact of the same subject that answers ``text`` where ``result`` fell back on
    the measure asked, with ``""`` or ``attribute:progress`` when only its progress is asked; ``None``."""
    if result.status != "fallback" or result.reason not in _MEASURES or not result.vetoed:
        return None
    lacking = base.get(result.vetoed)
    if lacking is None or lacking.subject is None:
        return None
    same = [f for f in map(base.get, lacking.related) if f is not None and f.subject == lacking.subject]
    if not same:
        return None
    frame = router.frames.read(router.analyse(text)[1])
    why = {f.id: router.check(frame, router.position[f.id]) for f in same if f.id in router.position}
    found = [(i, w) for i, w in why.items() if w in ("", "attribute:progress")]
    return found[0] if len(found) == 1 else None
