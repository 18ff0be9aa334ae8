"""The rules of ``facts/README.md`` that go beyond the YAML's shape, checked on the built facts.

:func:`policy_problems` is called by :func:`~jinshui_qa.facts.validation.build_factbase`, so ``jinshui-qa
check``, the loader and the live reload all enforce them; a problem is reported as ``file:line: message``
at the fact's first line (at the topic file's first line for a topic). Pure: the date ``verified`` is compared with is a parameter.

- at least :data:`MIN_QUESTIONS` phrasings per language (3 Chinese, 1 English): :func:`phrasing_problems`,
  which ``check`` runs on top (a fact with fewer is thin, not wrong, so the loader still serves it);
- ``time`` is a period as documented: ``2022``, ``2022-Q1``, ``2022-H1``, ``2022-03``, ``2022-03-25``,
  or a range of two of them joined by ``/`` (``2021/2022``), each a real date, the range in order;
- ``verified`` is not after today (nobody checked a fact tomorrow);
- ids fit everywhere they go: lower_snake_case ASCII (file names, URLs, SQLite) and at most
  :data:`MAX_ID_LENGTH` characters, so ``f:<id>:zh`` fits Telegram's 64-byte callback data;
- ``related`` lists other facts, each once; a figure's ``value`` is a finite number.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Container, Iterable

from jinshui_qa.errors import Problem
from jinshui_qa.facts.schema import Fact, Topic
from jinshui_qa.text import lazy_re

MIN_QUESTIONS = {"zh": 3, "en": 1}
TELEGRAM_CALLBACK_BYTES = 64
MAX_ID_LENGTH = TELEGRAM_CALLBACK_BYTES - len("f::zh")
"""59: the longest callback the bot builds from an id is ``f:<id>:zh`` (or ``q:``/``t:``)."""
_PERIOD = lazy_re.compile(r"^(\d{4})(?:-Q([1-4])|-H([12])|-(\d{2})(?:-(\d{2}))?)?$")


def period_bounds(text: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of a documented period (``2022``, ``2022-Q1``, ``2022-03-25`` ...), else None."""
    m = _PERIOD.match(text)
    if m is None:
        return None
    year = int(m.group(1))
    try:
        if m.group(2):
            quarter = int(m.group(2))
            return dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
        if m.group(3):
            half = int(m.group(3))
            return dt.date(year, 6 * half - 5, 1), _month_end(year, 6 * half)
        if m.group(5):
            day = dt.date(year, int(m.group(4)), int(m.group(5)))
            return day, day
        if m.group(4):
            return dt.date(year, int(m.group(4)), 1), _month_end(year, int(m.group(4)))
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:  # month 13, 30 February
        return None


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def time_problem(text: str) -> str | None:
    """Why ``text`` is not a documented period, or None when it is one."""
    parts = text.split("/")
    if len(parts) > 2:
        return "a range joins two periods with one '/'"
    bounds = [period_bounds(part.strip()) if part == part.strip() else None for part in parts]
    if any(b is None for b in bounds):
        return "must be a period such as 2022, 2022-Q1, 2022-H1, 2022-03, 2022-03-25 or 2021/2022"
    if len(bounds) == 2 and bounds[0] and bounds[1] and bounds[0][0] > bounds[1][0]:
        return "the range must run from the earlier period to the later one"
    return None


def id_problem(kind: str, value: str) -> str | None:
    """Why an id could not be used in callback data, a file name or a URL; None when it can."""
    if len(value) > MAX_ID_LENGTH:
        return (f"{kind} id {value!r} is {len(value)} characters; at most {MAX_ID_LENGTH} fit in Telegram's "
                f"{TELEGRAM_CALLBACK_BYTES}-byte button data")  # fmt: skip
    if value.endswith("_") or "__" in value:
        return f"{kind} id {value!r}: words are joined by single underscores"
    return None


def phrasing_problems(facts: Iterable[Fact]) -> list[Problem]:
    """Facts with fewer than :data:`MIN_QUESTIONS` different phrasings in a language.

    ``jinshui-qa check`` reports these (exit 1); the loader does not refuse such a fact, since fewer
    phrasings make it harder to find but not wrong, and a live edit adding a fact one phrasing at a time
    should not be held back.
    """
    problems = []
    for fact in facts:
        for lang, questions in (("zh", fact.questions_zh), ("en", fact.questions_en)):
            distinct = len(dict.fromkeys(q.strip() for q in questions))
            if distinct < MIN_QUESTIONS[lang]:
                problems.append(Problem(fact.file, fact.line, f"fact {fact.id}: needs at least "
                                        f"{MIN_QUESTIONS[lang]} different {lang} question(s), has {distinct}"))  # fmt: skip
    return problems


def _fact_problems(
    fact: Fact, known: Container[str], today: dt.date, times: dict[str, str | None]
) -> Iterable[str]:
    where = f"fact {fact.id}"
    if fact.time not in times:  # facts share a few periods: each is checked once
        times[fact.time] = time_problem(fact.time) if fact.time else None
    why = times[fact.time]
    if why:
        yield f"{where}: 'time' {fact.time!r} {why}"
    if fact.verified > today:
        yield f"{where}: 'verified' {fact.verified.isoformat()} is in the future (today is {today.isoformat()})"
    why = id_problem("fact", fact.id)
    if why:
        yield why
    if fact.id in fact.related:
        yield f"{where}: 'related' lists the fact itself"
    repeated = sorted({r for r in fact.related if fact.related.count(r) > 1 and r in known})
    if repeated:
        yield f"{where}: 'related' lists {', '.join(repeated)} more than once"
    for index, figure in enumerate(fact.figures, 1):
        if not math.isfinite(figure.value):
            yield f"{where}.figures[{index}]: 'value' must be a finite number, got {figure.value}"


def policy_problems(
    facts: Iterable[Fact],
    topics: Iterable[Topic] = (),
    today: dt.date | None = None,
    known: Container[str] | None = None,
) -> list[Problem]:
    """Every rule above broken by ``facts`` and ``topics``; ``today`` defaults to the local date.
    ``known``: the ids of the whole base when ``facts`` are some of its facts (default: their ids)."""
    today = today or dt.date.today()
    facts = list(facts)
    known = {f.id for f in facts} if known is None else known
    times: dict[str, str | None] = {}
    problems = [
        Problem(f.file, f.line, message) for f in facts for message in _fact_problems(f, known, today, times)
    ]
    for topic in topics:
        why = id_problem("topic", topic.id) if topic.id else None
        if why:
            problems.append(Problem(topic.file, 1, why))
    return problems
