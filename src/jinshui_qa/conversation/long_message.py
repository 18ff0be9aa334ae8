"""A long message answered from its asking clauses (「您好，我是做外贸的，…，想问一下重点项目有多少个？谢谢」).

Called by :meth:`jinshui_qa.conversation.assistant.Assistant.reply` when :func:`~.gate.asked` finds
asking clauses in a long message.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from jinshui_qa.conversation.gate import may_be_compound
from jinshui_qa.text import lazy_re

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Assistant, Reply, Session

_ANAPHOR = lazy_re.compile(r"(?:^|，)(?:它|这个|该|其|此)|\b(?:it|this|they|its|their)\b", re.IGNORECASE)


def reply(assistant: Assistant, text: str, asking: str, session: Session, now: float) -> Reply | None:
    """A long message answered from its asking clauses: several things asked there answered part
    by part, else the router's clause reader on the whole. ``None`` (the message is then read
    whole, part by part) when neither answers, or when the asking clauses do not stand alone
    (「…A和B…，哪个多？」: what they ask about is named in a clause before)."""
    scratch = replace(session)
    said: Reply | None = None
    if may_be_compound(asking) and not _ANAPHOR.search(asking):  # 「它是做什么的」 names its subject
        from jinshui_qa.conversation import compound  # in a clause before: the clause reader reads it

        said = compound.reply(assistant, asking, scratch, now)
        if (
            said is not None
            and (said.status == "answer" or hasattr(said, "parts"))
            and said.status != "fallback"
        ):
            session.adopt(scratch)
            return replace(said, question=text if len(text) <= 300 else text[:300] + "…")
    scratch = replace(session)
    said = assistant.reply_one(text, scratch, now)
    if said.status != "answer":
        return None
    from jinshui_qa.conversation import compound  # the message read whole, part by part

    whole = compound.reply(assistant, text, replace(session), now)
    known = {p.fact_id for p in getattr(whole, "parts", ()) if p.status == "answer"}
    from jinshui_qa.conversation.assistant import Session  # imports this module's caller

    alone = (
        assistant.reply_one(
            asking, Session(lang=session.lang, reply_lang=session.reply_lang), now, whole=True
        ).status
        == "answer"
    )
    if len(known) >= 2 and said.fact_id in known and (not alone or (whole and whole.status == "answer")):
        return None  # 「…A和B…，哪个多？」, or two things each answered: none is dropped
    session.adopt(scratch)
    return said
