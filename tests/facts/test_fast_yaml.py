"""The fast reading of topic files: the same facts as the line-aware parser, or no answer at all."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jinshui_qa.errors import Problem
from jinshui_qa.facts.fast_yaml import fast_parse
from jinshui_qa.facts.validation import _topic_file, read_topic_file
from jinshui_qa.facts.yaml_lines import parse
from tests.support.tiny import ALPHA, BETA, REAL_FACTS, line_of


def _plain(value: Any, key: Any = None) -> Any:
    """Data without its lines, a ``verified`` date as its text (the one place both readings differ
    and the validator reads alike)."""
    if isinstance(value, dict):
        return {k: _plain(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if key == "verified" and isinstance(value, dt.date):
        return value.isoformat()
    return value


def _facts(name: str, data: Any) -> tuple[Any, list[Problem]]:
    problems: list[Problem] = []
    return _topic_file(name, data, problems), problems


TOPIC_FILES = sorted(
    p for p in REAL_FACTS.glob("*.yaml") if p.name not in ("sources.yaml", "vocabulary.yaml")
)


@pytest.mark.parametrize("path", TOPIC_FILES, ids=lambda p: p.name)
def test_the_real_topic_files_read_fast_into_the_same_facts_lines_included(path: Any) -> None:
    text = path.read_text(encoding="utf-8")
    fast = fast_parse(text)
    assert fast is not None, "a real topic file should not need the slow reading"
    assert _plain(fast) == _plain(parse(text))
    (built, problems) = _facts(path.name, fast)
    assert problems == []
    assert built == _facts(path.name, parse(text))[0]  # Fact.line included


BLOCK_STYLE = """\
topic:
  id: gamma
  title:
    zh: 项目
    en: Projects
# a comment between keys
facts:
- id: first_fact   # items at the key's indentation, block style throughout
  audience: both
  title:
    zh: 第一
    en: 'It''s the first'
  questions:
    zh:
    - 第一个问题是什么
    - >-
      折叠的
      问题
    en:
    - |
      What is the first?
  keywords: [a, "b c", 'd']
  answer: {zh: 有150个。, en: There are 150.}
  figures:
  - value: 150
    unit: 个
    counts: 项目
    share: 12.5
    rank: 3
  time: 2022-Q1
  source: {report: r, section: s}
  verified: 2026-11-28

- audience: citizen
  id: second_fact
  title: {zh: 第二, en: Second}
  questions: {zh: [第二个问题], en: [Second?]}
  keywords: [第二]
  answer: {zh: 占12.5%, en: 12.5%}
  figures: []
  time: '2022'
  source: {report: r, section: s}
  verified: 2026-11-28
"""


@pytest.mark.parametrize("text", [ALPHA, BETA, BLOCK_STYLE], ids=["alpha", "beta", "block-style"])
def test_other_layouts_read_fast_into_the_same_data_and_fact_lines(text: str) -> None:
    fast = fast_parse(text)
    assert fast is not None
    slow = parse(text)
    assert _plain(fast) == _plain(slow)
    assert fast["facts"].item_lines == slow["facts"].item_lines
    assert _facts("x.yaml", fast)[0] == _facts("x.yaml", slow)[0]


# Scalars YAML 1.1 and 1.2 may type differently when plain, and some they type alike.
TOKENS = [
    "yes", "No", "ON", "off", "y", "n", "true", "True", "FALSE", "null", "~", "Null", "017", "0o17", "0x1F",
    "0b101", "1_000", "1:20", "1:20.5", "1e3", "1.5e3", "1.0e+3", ".5", "-.5", "+5", "1.", "2022", "2022.10",
    ".inf", "-.Inf", ".nan", "2026-11-28", "2026-1-5", "2026-11-28 10:00:00", "2026-11-28T10:00:00Z", "=",
    "<<", "'2022'", '"2022"', "'yes'", "金水区", "a b", "a#b", "50%", "12.5%", "第1名", "1,000", "-5", "0", "-0",
    "00", "08", "+0.5", "+.5", "1_0.5", "1.0_5", "-.5e+3", "'2026-11-28'", "2022-Q1", "Ice Cream & Tea", "What?", "- x", "x: y",
]  # fmt: skip


@pytest.mark.parametrize("token", TOKENS)
def test_a_scalar_reads_as_pyyaml_reads_it_or_not_at_all(token: str) -> None:
    text = f"k: {token}\nl: [{token}]\nm:\n  - {token}\nn: {{a: {token}}}\n"
    try:
        slow = parse(text)
    except ValueError:  # not YAML: the fast reading must not find it
        assert fast_parse(text) is None
        return
    fast = fast_parse(text)
    if fast is not None:
        assert repr(fast) == repr(slow)  # not ==: 1 == 1.0 == True, and nan != nan


def test_a_verified_date_is_read_as_its_text_and_validated_to_the_same_date() -> None:
    fast = fast_parse(ALPHA)
    assert fast is not None and fast["facts"][0]["verified"] == "2026-11-28"
    assert _facts("alpha.yaml", fast)[0][1][0].verified == dt.date(2026, 11, 28)


@pytest.mark.parametrize(
    "old, new",
    [
        ("value: 723", "value: 0723"),  # octal in YAML 1.1
        ("value: 723", "value: 7.23e2"),  # a string in YAML 1.1
        ("    audience: both", "    audience: &a both"),  # anchors are the line-aware parser's to limit
        ("    audience: citizen", "    audience: !!str citizen"),  # a tag
        ("    audience: both", "    audience:\tboth"),
        ("Jinshui has 723", "Jinshui\\u0020has 723"),  # escapes
        ("\n", "\r\n"),  # line breaks that would shift the lines
        ("topic:", "---\ntopic:"),
        ("    audience: both", "    audience: both\n    audience: both"),  # a duplicate key
        ("  - id: hte_count", "  -\n    id: hte_count"),  # a fact not starting on its item's line
        ('    time: "2022"', "    time: 2022-03-25"),  # a date outside `verified`
        ('    time: "2022"', "    time: yes"),
        ("高新技术企业有多少家", "高新技术企业\x07有多少家"),  # a control character PyYAML refuses
    ],
)
def test_what_it_cannot_vouch_for_is_left_to_the_line_aware_parser(old: str, new: str) -> None:
    assert fast_parse(ALPHA) is not None
    assert fast_parse(ALPHA.replace(old, new)) is None


def test_a_file_with_a_problem_is_reported_line_aware_though_the_fast_reading_takes_it() -> None:
    text = ALPHA.replace("    audience: citizen", "    audience: citizen\n    colour: blue")
    assert fast_parse(text) is not None
    problems: list[Problem] = []
    read_topic_file("alpha.yaml", text, problems)
    assert problems == [
        Problem("alpha.yaml", line_of(text, "colour: blue"), "fact tech_count: unknown key 'colour'")
    ]


def test_without_yaml_rs_every_file_is_read_line_aware(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "yaml_rs", None)  # import yaml_rs now raises ImportError
    assert fast_parse(ALPHA) is None
    problems: list[Problem] = []
    _topic, facts, complete = read_topic_file("alpha.yaml", ALPHA, problems)
    assert complete and not problems and [f.id for f in facts] == ["hte_count", "tech_count"]


def test_mutated_files_it_takes_as_clean_are_clean_and_the_same_facts_line_aware() -> None:
    """Random edits of a topic file (characters inserted or deleted, lines moved or re-indented): each
    file the fast reading builds without a problem is one the line-aware reading builds alike."""
    import random

    rng = random.Random(14)
    pieces = [" ", "\n", "- ", ": ", "[", "]", "{", "}", ",", "'", '"', "#", "|", ">", "-", "x", "2022", ".",
              "金", "?", "!", "&", "*", "%", "@", "`", "yes", "~"]  # fmt: skip
    taken = 0
    for _ in range(1500):
        text = ALPHA
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text))
            if rng.random() < 0.4:
                text = text[:at] + rng.choice(pieces) + text[at:]
            elif rng.random() < 0.5:
                text = text[:at] + text[at + rng.randint(1, 3) :]
            else:
                lines = text.split("\n")
                j = rng.randrange(len(lines))
                lines[j] = " " * rng.randint(0, 6) + lines[j].lstrip()
                text = "\n".join(lines)
        fast = fast_parse(text)
        if fast is None:
            continue
        built, problems = _facts("alpha.yaml", fast)
        if problems or not built[2]:
            continue
        taken += 1
        assert _facts("alpha.yaml", parse(text)) == (built, []), text
    assert taken > 100  # the edits leave many files clean: the comparison ran
