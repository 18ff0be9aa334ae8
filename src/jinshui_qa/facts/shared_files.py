"""The two shared files of ``facts/``: ``sources.yaml`` (the reports facts cite) and ``vocabulary.yaml``
(synonyms, stopwords, the colloquial lexicon, the frame lexicons and the maintainers' category marks).

Each reader returns what it could build and appends every problem, with its line, to ``problems``.
"""

from __future__ import annotations

from jinshui_qa.errors import Problem
from jinshui_qa.facts.schema import Report, Vocabulary
from jinshui_qa.facts.yaml_checks import Collector
from jinshui_qa.facts.yaml_lines import LDict, LList

REPORT_OPTIONAL = ("date", "url", "title_en")  # where the report was published, when known
VOCABULARY_KEYS = (
    "synonyms",
    "stopwords",
    "colloquial",
    "attributes",
    "scopes",
    "fillers",
    "other_places",
    "not_covered",
    "broader",
    "equivalent",
)


def read_reports(name: str, data: LDict, problems: list[Problem]) -> dict[str, Report]:
    c = Collector(name, problems)
    c.keys(data, "file", ("reports",), ())
    reports: dict[str, Report] = {}
    raw_list = data.get("reports")
    if not isinstance(raw_list, LList):
        c.add(data.line_of("reports"), "'reports' must be a list")
        return reports
    for index, raw in enumerate(raw_list):
        if not isinstance(raw, LDict):
            c.add(raw_list.line_of(index), f"report {index + 1}: must be a mapping")
            continue
        c.keys(
            raw,
            "report",
            ("id", "title", "publisher", "publisher_en", "year", "sections"),
            (*REPORT_OPTIONAL, "sections_en"),
        )
        sections = raw.get("sections")
        if not isinstance(sections, LDict) or not sections:
            c.add(raw.line_of("sections"), "report: 'sections' must be a non-empty mapping of id: heading")
            sections = LDict()
        year = raw.get("year")
        if not isinstance(year, int):
            c.add(raw.line_of("year"), "report: 'year' must be a whole number")
            year = 0
        report_id = c.text(raw, "id", "report")
        sections_en = raw.get("sections_en")
        english = {str(k): str(v) for k, v in sections_en.items()} if isinstance(sections_en, LDict) else {}
        reports[report_id] = Report(report_id, c.text(raw, "title", "report"), c.text(raw, "publisher", "report"),
                                    c.text(raw, "publisher_en", "report"), year,
                                    {str(k): str(v) for k, v in sections.items()},
                                    date=str(raw.get("date") or ""), url=str(raw.get("url") or ""),
                                    title_en=str(raw.get("title_en") or ""), sections_en=english)  # fmt: skip
    return reports


def read_vocabulary(name: str, data: LDict, problems: list[Problem]) -> Vocabulary:
    c = Collector(name, problems)
    c.keys(data, "vocabulary", (), VOCABULARY_KEYS)

    def groups(key: str) -> dict[str, tuple[str, ...]]:
        raw = data.get(key)
        if raw is None:
            return {}
        if not isinstance(raw, LDict):
            c.add(data.line_of(key), f"vocabulary: {key!r} must be a mapping of word: [aliases]")
            return {}
        return {str(word): c.texts(raw, word, f"vocabulary.{key}", minimum=0) for word in raw}

    def words(key: str) -> tuple[str, ...]:
        return c.texts(data, key, "vocabulary", minimum=0) if key in data else ()

    return Vocabulary(
        synonyms=groups("synonyms"),
        stopwords=groups("stopwords"),
        colloquial=groups("colloquial"),
        attributes=groups("attributes"),
        scopes=groups("scopes"),
        fillers=words("fillers"),
        other_places=words("other_places"),
        not_covered=groups("not_covered"),
        broader=groups("broader"),
        equivalent=words("equivalent"),
    )
