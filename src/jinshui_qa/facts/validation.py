"""Build a :class:`FactBase` from the text of the YAML files, or report every problem with its line.

``build_factbase({"talent.yaml": "...", ...})`` either returns a complete fact base or raises
:class:`FactsInvalid` listing each problem as ``file:line: message``; there is no half-built result.
Pure: it takes file names and text, never paths.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from itertools import chain
from typing import Any, cast

from jinshui_qa.errors import FactsInvalid, Problem
from jinshui_qa.facts.cross_checks import cross_checks as _cross_checks
from jinshui_qa.facts.cross_checks import own_problems as _own_problems
from jinshui_qa.facts.cross_tables import CrossTables, Summary
from jinshui_qa.facts.fast_yaml import fast_parse
from jinshui_qa.facts.figure_text import figure_message, missing_languages
from jinshui_qa.facts.loader import file_digest
from jinshui_qa.facts.policy import policy_problems
from jinshui_qa.facts.runs import Chain, Span, chained, spans
from jinshui_qa.facts.schema import (
    AUDIENCES,
    SOURCES_FILE,
    VOCABULARY_FILE,
    Bilingual,
    Fact,
    FactBase,
    Figure,
    Report,
    SourceRef,
    Topic,
    Vocabulary,
)
from jinshui_qa.facts.shared_files import read_reports, read_vocabulary
from jinshui_qa.facts.yaml_checks import Collector, YamlMap, kind_of, line_of
from jinshui_qa.facts.yaml_lines import LDict, YamlSyntaxError, parse
from jinshui_qa.text import lazy_re
from jinshui_qa.text.normalize import fold

ID_RE = lazy_re.compile(r"^[a-z][a-z0-9_]*$")
_EXPONENT = lazy_re.compile(
    r"\s*[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+\s*"
)  # a number in exponent form, as text
FACT_REQUIRED = ("id", "audience", "title", "questions", "keywords", "answer", "figures", "time", "source",
                 "verified")  # fmt: skip
FACT_OPTIONAL = ("subject", "related")
FIGURE_KEYS = ("value", "unit", "counts", "share", "rank")
NOT_FINITE = "'value' must be a finite number"  # policy.py's words: its own report is dropped


def _parse_file(name: str, text: str, problems: list[Problem]) -> Any:
    try:
        data = parse(text)
    except YamlSyntaxError as exc:
        problems.append(Problem(name, exc.line, str(exc)))
        return None
    if not isinstance(data, LDict):
        problems.append(Problem(name, 1, f"the file must hold a mapping at the top, got {kind_of(data)}"))
        return None
    return data


def _figures(c: Collector, raw: YamlMap, where: str, answer: Bilingual) -> tuple[Figure, ...]:
    value = raw.get("figures")
    if "figures" not in raw:
        return ()
    if not isinstance(value, list):
        c.add(line_of(raw, "figures"), f"{where}: 'figures' must be a list, got {kind_of(value)}")
        return ()
    figures: list[Figure] = []
    for index, item in enumerate(value):
        at = f"{where}.figures[{index + 1}]"
        if not isinstance(item, dict):
            c.add(line_of(value, index), f"{at}: must be a mapping, got {kind_of(item)}")
            continue
        c.keys(item, at, ("value", "unit", "counts"), ("share", "rank"))
        raw_value = item.get("value")
        numeric = not isinstance(raw_value, bool) and isinstance(raw_value, int | float)
        number: float = raw_value if isinstance(raw_value, int | float) and numeric else 0
        if not numeric and "value" in item:  # 1e400: text to YAML 1.1, and beyond a float's range
            big = (
                isinstance(raw_value, str)
                and bool(_EXPONENT.fullmatch(raw_value))
                and math.isinf(float(raw_value))
            )
            c.add(line_of(item, "value"), f"{at}: 'value' " + (f"is out of range, got {raw_value}" if big else
                  f"must be a number, got {kind_of(raw_value)}"))  # fmt: skip
        share = item.get("share")
        rank = item.get("rank")
        figure = Figure(float(number), c.text(item, "unit", at), c.text(item, "counts", at),
                        None if share is None else str(share), None if rank is None else str(rank))  # fmt: skip
        if numeric and not math.isfinite(figure.value):  # .nan, .inf: said at the value's own line
            c.add(line_of(item, "value"), f"{at}: {NOT_FINITE}, got {figure.value}")
        # the figure the bot computes with must be the one its answer tells
        missing = missing_languages(figure, answer) if numeric and math.isfinite(figure.value) else []
        if missing:
            c.add(line_of(item, "value"), figure_message(where, figure, missing))
        figures.append(figure)
    return tuple(figures)


def _fact(c: Collector, raw: YamlMap, topic: str, line: int) -> Fact | None:
    fact_id = raw.get("id")
    where = f"fact {fact_id}" if isinstance(fact_id, str) else "fact"
    c.keys(raw, where, FACT_REQUIRED, FACT_OPTIONAL)
    if not isinstance(fact_id, str) or not ID_RE.match(fact_id):
        if "id" in raw:
            c.add(line_of(raw, "id"), f"{where}: 'id' must be lower_snake_case text, got {fact_id!r}")
        return None
    audience = c.text(raw, "audience", where)
    if audience and audience not in AUDIENCES:
        c.add(line_of(raw, "audience"), f"{where}: 'audience' must be one of {', '.join(AUDIENCES)}")
    questions = raw.get("questions")
    zh: tuple[str, ...] = ()
    en: tuple[str, ...] = ()
    if isinstance(questions, dict):
        c.keys(questions, f"{where}.questions", ("zh", "en"), ())
        zh = c.texts(questions, "zh", f"{where}.questions")
        en = c.texts(questions, "en", f"{where}.questions")
    elif "questions" in raw:
        c.add(line_of(raw, "questions"), f"{where}: 'questions' must be a mapping with zh and en lists")
    source_raw = raw.get("source")
    source = SourceRef("", "")
    if isinstance(source_raw, dict):
        c.keys(source_raw, f"{where}.source", ("report", "section"), ())
        source = SourceRef(c.text(source_raw, "report", where), c.text(source_raw, "section", where))
    elif "source" in raw:
        c.add(line_of(raw, "source"), f"{where}: 'source' must be a mapping with report and section")
    verified = raw.get("verified")
    if isinstance(verified, str):
        try:
            verified = dt.date.fromisoformat(verified)
        except ValueError:
            verified = None
    if not isinstance(verified, dt.date):
        if "verified" in raw:
            c.add(line_of(raw, "verified"), f"{where}: 'verified' must be a date like 2026-11-28")
        verified = dt.date(1970, 1, 1)
    subject = c.bilingual(raw, "subject", where) if "subject" in raw else None
    answer = c.bilingual(raw, "answer", where)
    if isinstance(time := raw.get("time"), int | float) and not isinstance(time, bool):  # as a date is
        c.add(line_of(raw, "time"), f"{where}: 'time' must be text, a period in quotes such as \"{time}\", got {kind_of(time)}")  # fmt: skip
    return Fact(
        id=fact_id, topic=topic, audience=audience, title=c.bilingual(raw, "title", where),
        questions_zh=zh, questions_en=en, keywords=c.texts(raw, "keywords", where),
        answer=answer, figures=_figures(c, raw, where, answer),
        time=c.text(raw, "time", where), source=source, verified=verified, subject=subject,
        related=c.texts(raw, "related", where, minimum=0) if "related" in raw else (),
        file=c.file, line=line,
    )  # fmt: skip


def _topic_file(name: str, data: YamlMap, problems: list[Problem]) -> tuple[Topic | None, list[Fact], bool]:
    """The file's topic, the facts that could be built, and whether that is every fact of the file."""
    c = Collector(name, problems)
    c.keys(data, "file", ("topic", "facts"), ())
    topic_raw = data.get("topic")
    topic: Topic | None = None
    if isinstance(topic_raw, dict):
        c.keys(topic_raw, "topic", ("id", "title"), ())
        topic_id = c.text(topic_raw, "id", "topic")
        if topic_id and not ID_RE.match(topic_id):
            c.add(line_of(topic_raw, "id"), f"topic: 'id' must be lower_snake_case, got {topic_id!r}")
        topic = Topic(topic_id, c.bilingual(topic_raw, "title", "topic"), name)
    elif "topic" in data:
        c.add(
            line_of(data, "topic"), f"'topic' must be a mapping with id and title, got {kind_of(topic_raw)}"
        )
    facts_raw = data.get("facts")
    facts: list[Fact] = []
    complete = not ("facts" in data and not isinstance(facts_raw, list))
    if isinstance(facts_raw, list):
        for index, raw in enumerate(facts_raw):
            if not isinstance(raw, dict):
                c.add(line_of(facts_raw, index), f"fact {index + 1}: must be a mapping, got {kind_of(raw)}")
                continue
            fact = _fact(c, raw, topic.id if topic else "", line_of(facts_raw, index))
            if fact is not None:
                facts.append(fact)
            complete = complete and fact is not None
    elif "facts" in data:
        c.add(line_of(data, "facts"), f"'facts' must be a list, got {kind_of(facts_raw)}")
    return topic, facts, complete


def read_topic_file(name: str, text: str, problems: list[Problem]) -> tuple[Topic | None, list[Fact], bool]:
    """One topic file's topic, facts and whether every fact in it was built; problems go to ``problems``.

    A clean file is read by the fast parser (:mod:`jinshui_qa.facts.fast_yaml`) and checked as usual;
    a file it cannot vouch for, or with any problem, is read again line-aware, whose problems count."""
    fast = fast_parse(text)
    if fast is not None:
        found: list[Problem] = []
        topic, facts, complete = _topic_file(name, fast, found)
        if complete and not found:
            return topic, facts, complete
    data = _parse_file(name, text, problems)
    return (None, [], False) if data is None else _topic_file(name, data, problems)


TopicReader = Callable[[str, str, list[Problem]], tuple[Topic | None, Sequence[Fact], bool]]


def build_factbase(files: Mapping[str, str], normalise: Callable[[str], str] = fold,
                   unreadable: Mapping[str, list[Problem]] | None = None,
                   read_topic: TopicReader = read_topic_file, tables: CrossTables | None = None,
                   memo: Callable[[], Mapping[str, str]] | None = None,
                   digest: Callable[[str, str], bytes] | None = None,
                   summaries: Mapping[str, Summary] | None = None) -> FactBase:  # fmt: skip
    """Validate every file and build the fact base; raise FactsInvalid with all problems otherwise.

    ``unreadable`` (name -> its problems) names files that exist but could not be read: their problems
    are reported with the rest, and checks that would need them are skipped. ``read_topic`` reads one
    topic file (:func:`read_topic_file`; a cache of unchanged files may stand in for it, see
    :mod:`jinshui_qa.facts.fast_load`). ``tables`` (the checks across files of the last base that
    passed, :mod:`jinshui_qa.facts.cross_tables`) lets a base that differs in a few files be checked
    through those files alone; when they cannot vouch for it, every fact is checked as without them,
    with ``memo()`` (question -> key) standing in for ``normalise`` where it knows the question.
    The fingerprint is a digest of every file's name and digest (``digest(name, text)``, by default
    :func:`file_digest`; a cache may give the ones it holds). ``summaries``: the topic files' summaries
    (cross_tables.summary) of the facts read here, made by facts/read_ahead.py: the questions' keys.
    """
    problems: list[Problem] = [p for found in (unreadable or {}).values() for p in found]
    # each file's facts, as runs: a cache's may be a snapshot's records, not made (facts/runs.py)
    runs: list[Span] = []
    topics: list[Topic] = []
    by_file: dict[str, Sequence[Fact]] = {}
    reports: dict[str, Report] | None = {}
    vocabulary = Vocabulary()
    all_facts = not set(unreadable or ()) - {SOURCES_FILE, VOCABULARY_FILE}
    if SOURCES_FILE in (unreadable or {}):
        reports = None
    for name in sorted(files):
        if name not in (SOURCES_FILE, VOCABULARY_FILE):
            topic, topic_facts, complete = read_topic(name, files[name], problems)
            all_facts = all_facts and complete
            if topic is not None:
                topics.append(topic)
            runs += spans(topic_facts)
            by_file[name] = topic_facts
            continue
        data = _parse_file(name, files[name], problems)
        if data is None:
            if name == SOURCES_FILE:
                reports = None
            elif name != VOCABULARY_FILE:
                all_facts = False
            continue
        if name == SOURCES_FILE:
            reports = read_reports(name, data, problems)
        else:
            vocabulary = read_vocabulary(name, data, problems)
    if SOURCES_FILE not in files and SOURCES_FILE not in (unreadable or {}):
        problems.append(Problem(SOURCES_FILE, 0, "missing: the facts directory needs a sources.yaml"))
    facts: Sequence[Fact] = chained(runs)
    if not facts and not problems:
        problems.append(Problem("(facts)", 0, "no facts found"))
    today = dt.date.today()
    if not (tables is not None and not problems and all_facts and reports is not None
            and tables.vouch(by_file, topics, reports, normalise, _own_check(reports),
                             lambda some, known: bool(policy_problems(some, topics, today, known)), today)):  # fmt: skip
        known = memo() if tables is not None and memo is not None else None
        if known:  # else (a first build) each question straight to ``normalise``, not through a look-up
            normalise = _memoised(normalise, known)
        summed = summaries if summaries and not known and all(n in summaries for n in by_file) else None
        keys = chain.from_iterable(summed[n][0] for n in by_file) if summed is not None else None
        _cross_checks(list(facts), topics, reports, problems, normalise, all_facts, keys)
        said = {p.message for p in problems if NOT_FINITE in p.message}  # said above at the value's line
        problems += [  # facts/README.md's rules (facts/policy.py)
            p for p in policy_problems(facts, topics, today) if p.message not in said
        ]
        if not problems and tables is not None and reports is not None:
            tables.reset(by_file, reports, normalise, summed)
    elif isinstance(facts, Chain):  # the tables know the count without reading the facts
        facts.phrasings = tables.phrasings()
    if problems:
        raise FactsInvalid(problems)
    of = digest or file_digest
    fingerprint = hashlib.sha256(b"".join(n.encode() + b"\0" + of(n, files[n]) for n in sorted(files)))
    return FactBase(
        cast("tuple[Fact, ...]", facts),
        tuple(topics),
        reports or {},
        vocabulary,
        fingerprint.hexdigest()[:16],
    )


def _own_check(reports: dict[str, Report]) -> Callable[[Fact], bool]:
    periods: dict[str, bool] = {}
    return lambda fact: bool(_own_problems(fact, reports, periods))


def _memoised(normalise: Callable[[str], str], memo: Mapping[str, str]) -> Callable[[str], str]:
    return lambda text: memo.get(text) or normalise(text)
