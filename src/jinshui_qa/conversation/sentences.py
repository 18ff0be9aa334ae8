"""A message of several questions, one of them a comparison or a threshold: each question on its own.

「科技型企业超过2000家了吗？高企超过1000家了吗？」 holds two yes/no questions. Read whole, the comparison
reader takes everything before the second 「超过」 as its subject and answers one of them (or none:
「科技型企业有多少家？高企超过1000家了吗？」 fell back). Here each sentence, when the first names a thing the
facts know, none is small talk and one of them compares, is answered as if asked in turn in one
conversation (so 「那总投资呢？」 and 「哪个多？」 refer to the sentences before), and the replies are
numbered in one message; a reply that repeats an earlier one word for word (two sentences that one
fact answers) is given once, and alone unnumbered.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from jinshui_qa.conversation.comparison import operation
from jinshui_qa.conversation.parts import CompoundReply, Part, shown
from jinshui_qa.conversation.smalltalk import smalltalk_kind
from jinshui_qa.conversation.splitting import Gazetteer, prepare
from jinshui_qa.text import lazy_re

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant, Reply, Session

_END = lazy_re.compile(r"[？?！!。；;]+")
_MAX = 6


def reply(assistant: Assistant, text: str, names: Gazetteer, session: Session, now: float) -> Reply | None:
    """Each question of ``text`` answered in turn (see the module docstring), or ``None``."""
    said = [s.strip() for s in _END.split(text) if s.strip()]
    if not 2 <= len(said) <= _MAX or not any(operation(prepare(s)) for s in said):
        return None
    if not names.found(prepare(said[0])) or any(smalltalk_kind(s) for s in said):
        return None  # 「你好？A超过…吗」: the readers of the whole take the greeting off
    scratch = replace(session)
    replies = [assistant.reply(s, scratch, now) for s in said]
    session.adopt(scratch)
    kept = [i for i, r in enumerate(replies) if all(r.text != o.text for o in replies[:i])]
    said, replies = [said[i] for i in kept], [replies[i] for i in kept]  # a reply said once, not twice
    if len(replies) == 1:  # one thing asked twice (「有多少家？占全市几成？」, one fact holds both)
        return replace(replies[0], question=shown(text))
    answered = [r for r in replies if r.status == "answer"]
    status = "answer" if len(answered) == len(replies) else "partial" if answered else "fallback"
    body = "\n\n".join(f"{n}. {r.text}" for n, r in enumerate(replies, 1))
    parts = tuple(Part(s, r.status, r.fact_id, reason=r.reason) for s, r in zip(said, replies, strict=True))
    lang = replies[-1].lang
    return CompoundReply(shown(text), status, body, lang, min(r.score for r in replies), parts=parts,
                         reason="" if status == "answer" else "part_unanswered")  # fmt: skip
