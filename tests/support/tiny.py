"""Shared fixtures of the core tests: the real assistant (built once) and tiny hand-written fact sets."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from jinshui_qa.bootstrap import bootstrap
from jinshui_qa.conversation.assistant import Assistant

REPO = Path(__file__).resolve().parents[2]
REAL_FACTS = REPO / "facts"

# A tiny fact set of our own: two topic files, three facts, nine phrasings. Tests derive broken variants
# from it by text replacement, so every expected line number is computed from these texts.
ALPHA = """\
# Enterprises (tiny test set).
topic:
  id: alpha
  title: {zh: 企业, en: Enterprises}
facts:
  - id: hte_count
    audience: both
    title: {zh: 高新技术企业, en: High-tech enterprises}
    questions:
      zh: [金水区高新技术企业有多少家, 高企数量]
      en: ["How many high-tech enterprises are there?"]
    keywords: [高新技术企业]
    answer:
      zh: 金水区有高新技术企业723家。
      en: Jinshui has 723 high-tech enterprises.
    figures:
      - {value: 723, unit: 家, counts: 高新技术企业}
    time: "2022"
    source: {report: zzdaily-2022-jinshui, section: innovation}
    verified: 2026-11-28
    related: [tech_count]

  - id: tech_count
    audience: citizen
    title: {zh: 科技型企业, en: Tech-based enterprises}
    questions:
      zh: [科技型企业一共几家, 辖区科技型企业规模]
      en: ["How many tech-based enterprises are there?"]
    keywords: [科技型企业]
    answer:
      zh: 金水区有科技型企业2058家。
      en: Jinshui has 2,058 tech-based enterprises.
    figures:
      - {value: 2058, unit: 家, counts: 科技型企业, share: 占全市20%}
    time: "2022"
    source: {report: zzdaily-2022-jinshui, section: innovation}
    verified: 2026-11-28
"""

BETA = """\
topic:
  id: beta
  title: {zh: 项目, en: Projects}
facts:
  - id: project_count
    audience: investor
    title: {zh: 重点项目数量, en: Number of key projects}
    questions:
      zh: [今年谋划了几个重点项目, 重点项目有多少]
      en: ["How many key projects are planned?"]
    keywords: [重点项目]
    answer:
      zh: 今年谋划重点项目150个。
      en: 150 key projects are planned this year.
    figures:
      - {value: 150, unit: 个, counts: 重点项目}
    time: "2022"
    source: {report: zzdaily-2022-jinshui, section: projects}
    verified: 2026-11-28
"""

VOCABULARY = """\
synonyms:
  高新技术企业: [高企]
other_places: [二七区]
not_covered:
  zh: [人口]
"""

TINY_FILES = {"alpha.yaml": ALPHA, "beta.yaml": BETA, "vocabulary.yaml": VOCABULARY}


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the only line of ``text`` containing ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(hits) == 1, f"{needle!r} found on lines {hits}"
    return hits[0]


WriteFacts = Callable[..., Path]


@pytest.fixture
def write_facts(tmp_path: Path) -> WriteFacts:
    """``write_facts(**{"beta.yaml": text or None})``: the tiny set with files replaced (None removes one)."""

    def write(**overrides: str | bytes | None) -> Path:
        directory = tmp_path / "facts"
        if directory.exists():
            shutil.rmtree(directory)
        directory.mkdir()
        shutil.copy(REAL_FACTS / "sources.yaml", directory / "sources.yaml")
        files: dict[str, str | bytes | None] = {**TINY_FILES, **overrides}
        for name, content in files.items():
            if content is None:
                (directory / name).unlink(missing_ok=True)
            elif isinstance(content, bytes):
                (directory / name).write_bytes(content)
            else:
                (directory / name).write_text(content, encoding="utf-8")
        return directory

    return write


@pytest.fixture(scope="session")
def assistant() -> Assistant:
    """The assistant over the real fact base, built once per test session. Do not mutate it."""
    return bootstrap(REAL_FACTS)


@pytest.fixture
def no_facts_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make sure $JQA_FACTS_DIR from the caller's shell does not leak into a test."""
    monkeypatch.delenv("JQA_FACTS_DIR", raising=False)
