"""The fact schema: what a fact, a topic, a source report and the shared vocabulary are.

Plain frozen dataclasses with no behaviour beyond look-ups; :mod:`jinshui_qa.facts.validation` builds them
from YAML text and :mod:`jinshui_qa.facts.loader` reads that text from disk.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import field
from typing import Literal

from jinshui_qa.records import dataclass

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
AUDIENCES = ("citizen", "investor", "both")


SOURCES_FILE = "sources.yaml"  # the reports (validation reads it; not a topic file)
VOCABULARY_FILE = "vocabulary.yaml"  # the shared words (likewise)


@dataclass(frozen=True, slots=True)
class Bilingual:
    """A text in Chinese and English."""

    zh: str
    en: str

    def get(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True, slots=True)
class Figure:
    """A number a fact states: its value, unit, what it counts, and its share or rank if given."""

    value: float
    unit: str
    counts: str
    share: str | None = None
    rank: str | None = None


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a fact comes from: a report id and a section id of that report."""

    report: str
    section: str


@dataclass(frozen=True, slots=True)
class Fact:
    """One answerable thing, with the ways people ask for it."""

    id: str
    topic: str
    audience: str
    title: Bilingual
    questions_zh: tuple[str, ...]
    questions_en: tuple[str, ...]
    keywords: tuple[str, ...]
    answer: Bilingual
    figures: tuple[Figure, ...]
    time: str
    source: SourceRef
    verified: dt.date
    subject: Bilingual | None = None
    related: tuple[str, ...] = ()
    file: str = ""
    line: int = 0

    def questions(self, lang: Lang) -> tuple[str, ...]:
        return self.questions_zh if lang == "zh" else self.questions_en

    @property
    def years(self) -> frozenset[int]:
        """The calendar years the fact describes (from ``time``)."""
        return frozenset(int(part[:4]) for part in self.time.split("/") if part[:4].isdigit())


@dataclass(frozen=True, slots=True)
class Topic:
    """A group of facts, one per YAML file."""

    id: str
    title: Bilingual
    file: str = ""


@dataclass(frozen=True)
class Report:
    """A source report and its section headings; where it was published, when ``sources.yaml`` says
    (``date`` as written there, e.g. ``2022-03-28``; ``url`` of the published text; empty when unknown)."""

    id: str
    title: str
    publisher: str
    publisher_en: str
    year: int
    sections: dict[str, str]
    date: str = ""
    url: str = ""
    title_en: str = ""
    sections_en: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Vocabulary:
    """Shared words: synonyms, stopwords, the colloquial lexicon, and the lexicons a question frame is
    read with (attributes by kind, scopes: ``new``/``total``/``subset``, extra filler words).

    ``other_places`` and ``not_covered`` are still read for the maintenance tools' suggestions; the
    router no longer uses them (places come from :mod:`jinshui_qa.text.places`, uncovered words are
    found as content words no fact explains).
    """

    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    stopwords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    colloquial: dict[str, tuple[str, ...]] = field(default_factory=dict)
    attributes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    scopes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fillers: tuple[str, ...] = ()
    other_places: tuple[str, ...] = ()
    not_covered: dict[str, tuple[str, ...]] = field(default_factory=dict)
    broader: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Deliberate broader/narrower pairs a maintainer has looked at: broader term -> narrower terms that
    may be answered with the broader term's figure, the reply saying so (``jinshui-qa audit``)."""
    equivalent: tuple[str, ...] = ()
    """Synonym aliases a maintainer has confirmed name the same category as their canonical word."""


@dataclass(frozen=True)
class FactBase:
    """Every fact, topic and report, validated and cross-checked; immutable once built."""

    facts: tuple[Fact, ...]
    topics: tuple[Topic, ...]
    reports: dict[str, Report]
    vocabulary: Vocabulary
    fingerprint: str = ""

    def __post_init__(self) -> None:
        # facts restored from a snapshot (facts/records.py) name their ids without being made
        ids = getattr(self.facts, "ids", None) or [fact.id for fact in self.facts]
        object.__setattr__(self, "_by_id", {fact_id: i for i, fact_id in enumerate(ids)})

    def get(self, fact_id: str) -> Fact | None:
        by_id: dict[str, int] = self._by_id  # type: ignore[attr-defined]
        at = by_id.get(fact_id)
        return None if at is None else self.facts[at]

    def fact(self, fact_id: str) -> Fact:
        found = self.get(fact_id)
        if found is None:
            raise KeyError(fact_id)
        return found

    def topic(self, topic_id: str) -> Topic | None:
        return next((topic for topic in self.topics if topic.id == topic_id), None)

    def facts_of(self, topic_id: str) -> tuple[Fact, ...]:
        return tuple(fact for fact in self.facts if fact.topic == topic_id)

    def source_label(self, fact: Fact, lang: Lang) -> str:
        """A one-line citation: report title, publisher, year and section heading."""
        report = self.reports.get(fact.source.report)
        if report is None:
            return fact.source.report
        section = report.sections.get(fact.source.section, fact.source.section)
        if lang == "zh":
            return f"《{report.title}》（{report.publisher}，{report.year}）·{section}"
        title = f"{report.title_en} [{report.title}]" if report.title_en else report.title
        section_en = report.sections_en.get(fact.source.section, section)
        return f"{title}, {report.publisher_en}, {report.year}; section: {section_en}"

    @property
    def phrasing_count(self) -> int:
        known = getattr(self.facts, "phrasings", None)  # a spliced base's (facts/runs.py): facts not made
        if isinstance(known, int):
            return known
        return sum(len(f.questions_zh) + len(f.questions_en) for f in self.facts)
