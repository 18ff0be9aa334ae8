"""Answers people marked wrong (👎 on any channel), for ``jinshui-qa report``; votes from ``storage.feedback``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from jinshui_qa.storage.feedback import Tally
from jinshui_qa.storage.question_log import LoggedQuestion


@dataclass
class WrongAnswer:
    """An answer people voted down: the question as asked, the fact given, the votes and comments."""

    question: str
    fact_id: str | None
    down: int
    up: int
    comments: list[str] = field(default_factory=list)


def marked_wrong(rows: list[LoggedQuestion], votes: Mapping[str, Tally]) -> list[WrongAnswer]:
    """Answers with at least one down-vote, grouped by question and fact, most down-votes first."""
    groups: dict[tuple[str, str | None], WrongAnswer] = {}
    for row in rows:
        tally = votes.get(row.question_id or "")
        if tally is None or not tally.down:
            continue
        key = (row.question.strip(), row.fact_id)
        entry = groups.setdefault(key, WrongAnswer(key[0], row.fact_id, 0, 0))
        entry.down, entry.up = entry.down + tally.down, entry.up + tally.up
        entry.comments += tally.comments
    return sorted(groups.values(), key=lambda w: (-w.down, w.up, w.question))
