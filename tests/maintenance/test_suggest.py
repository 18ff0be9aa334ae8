"""``jinshui-qa suggest``: the nearest fact and the phrasing to add; ``--apply`` keeps the YAML's layout."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from jinshui_qa.bootstrap import assistant_for
from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.errors import FactsInvalid, Problem
from jinshui_qa.facts.loader import load, read_files
from jinshui_qa.maintenance import phrasing_writer
from jinshui_qa.maintenance import suggest as suggest_module
from jinshui_qa.maintenance.clusters import Cluster
from jinshui_qa.maintenance.suggest import add_phrasings, apply, phrasing_of, suggest
from jinshui_qa.maintenance.usage_report import report_for
from jinshui_qa.storage.question_log import QuestionLog
from tests.support.district import FILES, TALENT


def unanswered(db_path: Path, assistant: Assistant, questions: list[str]) -> list[Cluster]:
    """Ask the assistant, log its replies, and group the unanswered ones as the report does."""
    with QuestionLog(db_path) as log:
        for question in questions:
            log.record(channel="t", user_id=1, reply=assistant.reply(question), latency_ms=1)
    return report_for(db_path, 0).unanswered


ASKED = [
    "金水区人才一共多少",
    "金水区人才一共有多少",
    "今天天气怎么样",
    "二七区有多少重点项目",
    "金水区人口有多少",
]


def test_each_group_gets_a_phrasing_or_a_verdict(
    assistant: Assistant, facts_dir: Path, db_path: Path
) -> None:
    clusters = unanswered(db_path, assistant, ASKED)
    assert [c.count for c in clusters] == [2, 1, 1, 1]
    found = suggest(assistant, clusters, facts_files=read_files(facts_dir))
    by_question = {s.cluster.question: s for s in found}
    talent = by_question["金水区人才一共多少"]
    assert (talent.kind, talent.fact_id, talent.file, talent.lang) == (
        "phrasing",
        "gold_talent",
        "talent.yaml",
        "zh",
    )
    assert talent.phrasing == "金水区人才一共多少"
    assert talent.answered == 2  # both wordings of the group are answered once it is added
    assert by_question["今天天气怎么样"].kind == "new_fact"
    assert (by_question["金水区人口有多少"].kind, by_question["金水区人口有多少"].note) == (
        "new_fact",
        "not covered: 人口",
    )
    place = by_question["二七区有多少重点项目"]
    assert (place.kind, place.phrasing) == ("out_of_scope", None)
    assert talent.describe().splitlines() == [
        "  1. 2× 金水区人才一共多少",
        "       → add to gold_talent (talent.yaml, questions.zh): 金水区人才一共多少  "
        f"[nearest score {talent.score:g}; then answers 2/2 wordings]",
        "       also: 金水区人才一共有多少",
    ]


def test_phrasing_of_tidies_the_question() -> None:
    assert phrasing_of("  金水区人才一共多少？？ ") == "金水区人才一共多少"
    assert phrasing_of("how many talents are there") == "how many talents are there?"
    assert phrasing_of("How many talents?!") == "How many talents?"


def test_personal_data_and_existing_phrasings_are_not_suggested(assistant: Assistant, db_path: Path) -> None:
    phone = "金标准人才有多少 我电话13912345678"
    clusters = [
        Cluster(phone, 1, questions=[phone]),
        Cluster("金标准人才有多少", 1, questions=["金标准人才有多少"]),
    ]
    first, second = suggest(assistant, clusters)
    assert (first.kind, second.kind) == ("skip", "skip")
    assert second.note == "already a phrasing of gold_talent"


def test_add_phrasings_keeps_comments_and_layout() -> None:
    edited = add_phrasings(
        TALENT, [("gold_talent", "zh", "人才一共有多少"), ("academicians", "en", "Any new academicians?")]
    )
    diff = [line for line in difflib.unified_diff(TALENT.splitlines(), edited.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]  # fmt: skip
    assert diff == [
        "+        - 人才一共有多少",
        "-      en: [How many new academicians are there?]".replace("[", '["').replace("]", '"]'),
        '+      en: ["How many new academicians are there?", Any new academicians?]',
    ]
    assert "# keep this comment" in edited and "# An old one" in edited
    with pytest.raises(KeyError):
        add_phrasings(TALENT, [("nope", "zh", "x")])


def test_apply_appends_and_revalidates(assistant: Assistant, facts_dir: Path, db_path: Path) -> None:
    found = suggest(assistant, unanswered(db_path, assistant, ASKED), facts_files=read_files(facts_dir))
    changed, problems = apply(facts_dir, found)
    assert (changed, problems) == (["talent.yaml"], [])
    text = (facts_dir / "talent.yaml").read_text(encoding="utf-8")
    assert text == TALENT.replace(
        "# keep this comment\n", "# keep this comment\n        - 金水区人才一共多少\n"
    )
    refreshed = assistant_for(load(facts_dir))
    reply = refreshed.reply("金水区人才一共多少")
    assert (reply.status, reply.fact_id) == ("answer", "gold_talent")


def test_apply_writes_nothing_when_the_result_would_not_validate(
    facts_dir: Path, assistant: Assistant
) -> None:
    # A phrasing another fact already has: validation would reject the edited file.
    bad = suggest_module.Suggestion(
        1, Cluster("x", 1), "phrasing", "gold_talent", "talent.yaml", "zh", "重点项目有多少个"
    )
    before = read_files(facts_dir)
    changed, problems = apply(facts_dir, [bad])
    assert changed == []
    assert any("is also a question of fact" in p.message for p in problems)
    assert read_files(facts_dir) == before


def test_apply_rolls_back_when_the_directory_fails_after_writing(
    facts_dir: Path, assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = suggest_module.Suggestion(
        1, Cluster("x", 1), "phrasing", "gold_talent", "talent.yaml", "zh", "人才一共多少"
    )
    real = phrasing_writer.build_factbase
    calls = []

    def second_check_fails(files: dict[str, str]) -> object:
        calls.append(files)
        if len(calls) == 3:  # originals, edited, then after writing: someone else broke a file meanwhile
            raise FactsInvalid([Problem("projects.yaml", 3, "broken meanwhile")])
        return real(files)

    monkeypatch.setattr(phrasing_writer, "build_factbase", second_check_fails)
    changed, problems = apply(facts_dir, [good])
    assert (changed, [str(p) for p in problems]) == ([], ["projects.yaml:3: broken meanwhile"])
    assert (facts_dir / "talent.yaml").read_text(encoding="utf-8") == FILES["talent.yaml"]
    assert [p.name for p in facts_dir.iterdir() if p.name.startswith(".")] == []


def test_apply_does_not_edit_a_file_the_facts_parser_refuses(facts_dir: Path) -> None:
    good = suggest_module.Suggestion(
        1, Cluster("x", 1), "phrasing", "gold_talent", "talent.yaml", "zh", "人才一共多少"
    )
    (facts_dir / "bomb.yaml").write_text("a: &a [*a]\n", encoding="utf-8")  # appeared meanwhile
    changed, problems = apply(facts_dir, [good])
    assert (changed, [p.file for p in problems]) == ([], ["bomb.yaml"])
    assert (facts_dir / "talent.yaml").read_text(encoding="utf-8") == FILES["talent.yaml"]
