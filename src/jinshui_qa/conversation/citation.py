"""The ``source`` of a reply as scripts read it (``ask --json``, the web API): one shape for every reply.

``source`` is the citation of each fact whose figure the reply shows and cites: the report's title,
publisher, year and section (``base.source_label``: 「《…》（郑州日报，2022）·…」, in the reply's language),
without the 「来源：」/"Source:" heading or the bullets the reply's text puts before it; several citations
are one per line, in the order the reply cites them (``to_json`` adds ``sources``, the list). A reply that
cites nothing (a clarifying question, small talk, a fallback that shows no figure's source) has ``None``.
So a plain answer, a computation, a check, a threshold and a compound of several answers all give the
same shape; every citation in ``source`` is in the reply's text (at its end, but for a few fallbacks that
explain after it).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinshui_qa.conversation.assistant import Reply
    from jinshui_qa.facts.schema import FactBase

_HEADS = ("来源：", "Sources:", "Source:", "· ")


def cited(base: FactBase, reply: Reply) -> Reply:
    """``reply`` with its ``source`` in the one shape above."""
    ids = [reply.fact_id, *(p.fact_id for p in getattr(reply, "parts", ()))]
    facts = [f for f in map(base.get, dict.fromkeys(i for i in ids if i)) if f is not None]
    labels = [
        label
        for label in dict.fromkeys(base.source_label(f, reply.lang) for f in facts)
        if label in reply.text
    ]
    if not labels and reply.source:  # a citation set without its fact (a fallback naming a source)
        labels = [bare for line in reply.source.splitlines() if (bare := _bare(line))]
    source = "\n".join(labels) or None
    return reply if source == reply.source else replace(reply, source=source)


def _bare(line: str) -> str:
    line = line.strip()
    for head in _HEADS:
        if line.startswith(head):
            line = line[len(head) :].strip()
    return line
