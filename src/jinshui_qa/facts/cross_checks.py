"""The checks across files of a whole fact base: duplicate ids, topics and phrasings, related ids,
sources and periods, each problem as ``file:line: message`` (:func:`cross_checks`).

:func:`~jinshui_qa.facts.validation.build_factbase` runs them over every fact, unless the tables of
:mod:`jinshui_qa.facts.cross_tables` vouch for a base that differs from the last good one in a few
files; :func:`own_problems` (what they find in one fact alone) serves both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from jinshui_qa.errors import Problem
from jinshui_qa.facts.policy import time_problem
from jinshui_qa.facts.schema import Fact, Report, Topic
from jinshui_qa.text.periods import fact_period


def cross_checks(facts: list[Fact], topics: list[Topic], reports: dict[str, Report] | None,
                  problems: list[Problem], normalise: Callable[[str], str], all_facts: bool = True,
                  keys: Iterator[str] | None = None) -> None:  # fmt: skip
    """Checks across files. A check that needs a file which could not be read is skipped, not failed:
    with ``all_facts`` False (some fact could not be built) related ids are not looked up, and with
    ``reports`` None (sources.yaml is broken) source reports are not; the broken file is the problem.
    ``keys``: each question's ``normalise``-d key, in the order of the facts and their questions, when
    known (computed meanwhile, :mod:`jinshui_qa.facts.read_ahead`)."""
    seen: dict[str, Fact] = {}
    for fact in facts:
        if fact.id in seen:
            first = seen[fact.id]
            problems.append(
                Problem(
                    fact.file,
                    fact.line,
                    f"duplicate fact id {fact.id!r} (first at {first.file}:{first.line})",
                )
            )
        else:
            seen[fact.id] = fact
    topic_seen: dict[str, Topic] = {}
    for topic in topics:
        if topic.id and topic.id in topic_seen:
            problems.append(
                Problem(
                    topic.file, 1, f"duplicate topic id {topic.id!r} (also in {topic_seen[topic.id].file})"
                )
            )
        topic_seen.setdefault(topic.id, topic)
    phrasings: dict[str, Fact] = {}
    periods: dict[str, bool] = {}
    for fact in facts:
        for related in fact.related:
            if all_facts and related not in seen:
                problems.append(
                    Problem(fact.file, fact.line, f"fact {fact.id}: related id {related!r} does not exist")
                )
        problems.extend(Problem(fact.file, fact.line, m) for m in own_problems(fact, reports, periods))
        for question in fact.questions_zh + fact.questions_en:
            other = phrasings.setdefault(normalise(question) if keys is None else next(keys), fact)
            if other is not fact and other.id != fact.id:  # the first fact of that phrasing stays its owner
                problems.append(Problem(fact.file, fact.line,
                                        f"fact {fact.id}: question {question!r} is also a question of fact {other.id}"))  # fmt: skip


def own_problems(fact: Fact, reports: dict[str, Report] | None, periods: dict[str, bool]) -> list[str]:
    """What the checks across files find in one fact alone: its source (``reports`` None: sources.yaml
    could not be read, not checked) and its period (``periods``: each distinct one read once)."""
    found = []
    report = reports.get(fact.source.report) if reports is not None else None
    if fact.source.report and report is None and reports is not None:
        found.append(f"fact {fact.id}: unknown source report {fact.source.report!r}")
    elif report is not None and fact.source.section not in report.sections:
        found.append(f"fact {fact.id}: unknown source section {fact.source.section!r}")
    unread = periods.get(fact.time)  # facts share a few periods: each is read once
    if unread is None:
        unread = periods[fact.time] = (
            bool(fact.time) and time_problem(fact.time) is None and fact_period(fact.time) is None
        )
    if unread:  # a documented period that fact_period cannot read (an undocumented one: policy says)
        found.append(f"fact {fact.id}: time {fact.time!r} is not a period "
                     "(2022, 2022-Q1, 2022-03, 2022-03-25, or two of them joined by /)")  # fmt: skip
    return found
