"""Fixtures of the maintainers' tests: a tiny hand-written fact set, a report of our own, fresh databases."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from jinshui_qa.bootstrap import assistant_for
from jinshui_qa.conversation.assistant import Assistant, Reply
from jinshui_qa.facts.loader import load
from jinshui_qa.storage.question_log import QuestionLog

SOURCES = """\
reports:
  - id: test-report
    title: 测试报道
    publisher: 测试日报
    publisher_en: Test Daily
    year: 2022
    sections:
      people: 人才
      projects: 项目
"""

VOCABULARY = """\
synonyms:
  高新技术企业: [高企]
other_places: [二七区]
not_covered:
  zh: [人口]
  en: [population]
"""

TALENT = """\
# Talent (test set): comments and layout must survive `suggest --apply`.
topic:
  id: talent
  title: {zh: 人才, en: Talent}
facts:
  - id: gold_talent
    audience: both
    title: {zh: 金标准人才, en: Gold standard talents}
    questions:
      zh:
        - 金标准人才有多少
        - 金标准人才规模多大   # keep this comment
      en:
        - How many gold standard talents are there?
    keywords: [金标准, gold standard]
    answer:
      zh: 按“金标准”认定，辖区人才达19.2万人。
      en: Under the "Gold Standard" definition the district counts 192,000 talents.
    figures:
      - {value: 19.2, unit: 万人, counts: 金标准人才}
    time: "2022"
    source: {report: test-report, section: people}
    verified: 2026-11-28

  # An old one: `check --stale` should name it.
  - id: academicians
    audience: citizen
    title: {zh: 新增院士, en: New academicians}
    questions:
      zh: [新增了几位院士, 今年出了多少个院士]
      en: ["How many new academicians are there?"]
    keywords: [院士, academician]
    answer:
      zh: 今年新增了1名本土“两院”院士。
      en: 1 new home-grown academician this year.
    figures:
      - {value: 1, unit: 名, counts: 新增院士}
    time: "2022"
    source: {report: test-report, section: people}
    verified: 2024-01-15
"""

PROJECTS = """\
topic:
  id: projects
  title: {zh: 项目, en: Projects}
facts:
  - id: key_projects
    audience: investor
    title: {zh: 重点项目, en: Key projects}
    questions:
      zh: [今年谋划了几个重点项目, 重点项目有多少个]
      en: ["How many key projects are planned?"]
    keywords: [重点项目, key project]
    answer:
      zh: 全年谋划重点项目233个，总投资3830亿元。
      en: 233 key projects are planned, with a total investment of 383 billion yuan.
    figures:
      - {value: 233, unit: 个, counts: 重点项目}
      - {value: 3830, unit: 亿元, counts: 重点项目总投资}
    time: "2022"
    source: {report: test-report, section: projects}
    verified: 2026-11-28

  - id: chain_investment
    audience: investor
    title: {zh: 产业链招商, en: Industrial-chain investment promotion}
    questions:
      zh: [招商围绕哪些产业链, 产业链招商怎么做]
      en: ["Which industrial chains does investment promotion follow?"]
    keywords: [产业链招商, 招商引资]
    answer:
      zh: 招商引资围绕“5+5+X”产业链展开。
      en: Investment promotion follows the "5+5+X" industrial chains.
    figures: []
    time: "2022"
    source: {report: test-report, section: projects}
    verified: 2026-11-28
"""

ENTERPRISES = """\
topic:
  id: enterprises
  title: {zh: 企业, en: Enterprises}
facts:
  - id: high_tech
    audience: both
    title: {zh: 高新技术企业, en: High-tech enterprises}
    questions:
      zh: [高新技术企业有多少家, 辖区高企数量]
      en: ["How many high-tech enterprises are there?"]
    keywords: [高新技术企业, high-tech]
    answer:
      zh: 金水区有高新技术企业723家，占全市17.5%。
      en: Jinshui has 723 high-tech enterprises, 17.5% of the city's total.
    figures:
      - {value: 723, unit: 家, counts: 高新技术企业, share: 占全市17.5%}
    time: "2022"
    source: {report: test-report, section: people}
    verified: 2026-11-28

  - id: key_labs
    audience: both
    title: {zh: 重点实验室, en: Key laboratories}
    questions:
      zh: [重点实验室有几家, 实验室数量多少]
      en: ["How many key labs are there?"]
    keywords: [重点实验室, key lab]
    answer:
      zh: 金水区共有重点实验室143家。
      en: Jinshui has 143 key laboratories.
    figures:
      - {value: 143, unit: 家, counts: 重点实验室}
    time: "2022"
    source: {report: test-report, section: people}
    verified: 2026-11-28

  - id: incubators
    audience: investor
    title: {zh: 孵化载体, en: Incubators}
    questions:
      zh: [孵化载体有多少, 孵化器一共几个]
      en: ["How many incubators are there?"]
    keywords: [孵化载体, 孵化器, incubator]
    answer:
      zh: 金水区共有孵化载体63家。
      en: Jinshui has 63 incubation carriers.
    figures:
      - {value: 63, unit: 家, counts: 孵化载体}
    time: "2022"
    source: {report: test-report, section: people}
    verified: 2026-11-28
"""

MARKET = """\
topic:
  id: market
  title: {zh: 市场主体, en: Market entities}
facts:
  - id: market_entities_q1
    audience: both
    title: {zh: 一季度新增市场主体, en: New market entities in Q1}
    questions:
      zh: [一季度新增了多少市场主体, 前三个月新开了多少户经营主体]
      en: ["How many market entities were added in Q1?"]
    keywords: [市场主体, market entity]
    answer:
      zh: 今年1~3月新增市场主体108576户，总量达到28.4万家。
      en: 108,576 market entities were added from January to March, bringing the total to 284,000.
    figures:
      - {value: 108576, unit: 户, counts: 2022年1~3月新增市场主体}
      - {value: 28.4, unit: 万家, counts: 市场主体总量}
    time: "2022-Q1"
    source: {report: test-report, section: projects}
    verified: 2026-11-28
"""

FILES = {"sources.yaml": SOURCES, "vocabulary.yaml": VOCABULARY, "talent.yaml": TALENT,
         "projects.yaml": PROJECTS, "enterprises.yaml": ENTERPRISES, "market.yaml": MARKET}  # fmt: skip

# The tests' own source report: every number of the facts above, plus one figure (54) no fact covers.
REPORT = """\
测试报道

## 人才
今年新增本土“两院”院士1名，“金标准”人才19.2万人。
高新技术企业723家、占全市17.5%，重点实验室143家，孵化载体63家。

## 项目
全年谋划重点项目233个，总投资3830亿元。围绕“5+5+X”产业链招商引资。
专项债项目申报54个。今年1~3月新增市场主体108576户，总量达到28.4万家。
"""

WriteFacts = Callable[..., Path]


@pytest.fixture
def write_facts(tmp_path: Path) -> WriteFacts:
    """``write_facts(**{"talent.yaml": text or None})``: the tiny set in tmp_path/facts, files replaced."""

    def write(**overrides: str | None) -> Path:
        directory = tmp_path / "facts"
        directory.mkdir(exist_ok=True)
        for name, text in {**FILES, **overrides}.items():
            if text is None:
                (directory / name).unlink(missing_ok=True)
            else:
                (directory / name).write_text(text, encoding="utf-8")
        return directory

    return write


@pytest.fixture
def facts_dir(write_facts: WriteFacts) -> Path:
    return write_facts()


@pytest.fixture
def assistant(facts_dir: Path) -> Assistant:
    return assistant_for(load(facts_dir))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "questions.db"


@pytest.fixture
def fresh_db(db_path: Path) -> Iterator[QuestionLog]:
    """A question log in an empty data directory, closed after the test."""
    log = QuestionLog(db_path)
    try:
        yield log
    finally:
        log.close()


def reply(question: str = "金水区人口有多少", status: str = "fallback", **fields: object) -> Reply:
    """A Reply as the assistant would give it (defaults: an unanswered Chinese question)."""
    values: dict[str, object] = {"text": "…", "lang": "zh", "score": 20.0, "reason": "not_covered:人口"}
    if status == "answer":
        values.update(reason="", score=80.0, fact_id="gold_talent", topic="talent")
    values.update(fields)
    return Reply(question, status, **values)  # type: ignore[arg-type]
