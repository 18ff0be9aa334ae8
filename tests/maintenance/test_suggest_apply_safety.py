"""``suggest --apply`` never overwrites an edit made meanwhile, keeps line endings, and never files pinyin
as English."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.facts.loader import read_files
from jinshui_qa.maintenance import phrasing_writer
from jinshui_qa.maintenance.clusters import Cluster
from jinshui_qa.maintenance.suggest import Suggestion, add_phrasings, apply, suggest
from tests.support.district import TALENT

GOOD = Suggestion(1, Cluster("x", 1), "phrasing", "gold_talent", "talent.yaml", "zh", "人才一共多少")
THEIRS = TALENT.replace("金标准人才有多少", "金标准人才有多少人")  # an editor's change saved meanwhile


def test_an_edit_saved_while_apply_runs_is_not_overwritten(
    facts_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    talent = facts_dir / "talent.yaml"
    real = phrasing_writer.build_factbase

    def editor_saves_meanwhile(files: dict[str, str]) -> object:
        talent.write_text(THEIRS, encoding="utf-8")  # between apply's read and its write
        return real(files)

    monkeypatch.setattr(phrasing_writer, "build_factbase", editor_saves_meanwhile)
    changed, problems = apply(facts_dir, [GOOD])
    assert changed == []
    assert [str(p) for p in problems] == [
        "talent.yaml: changed meanwhile: talent.yaml; run `jinshui-qa suggest` again"
    ]
    assert talent.read_text(encoding="utf-8") == THEIRS
    assert [p.name for p in facts_dir.iterdir() if p.name.startswith(".")] == []


def test_a_file_changed_since_the_suggestions_were_made_is_not_written(facts_dir: Path) -> None:
    based_on = read_files(facts_dir)
    (facts_dir / "talent.yaml").write_text(THEIRS, encoding="utf-8")
    changed, problems = apply(facts_dir, [GOOD], based_on=based_on)
    assert (changed, [p.message.split(";")[0] for p in problems]) == ([], ["changed meanwhile: talent.yaml"])
    assert (facts_dir / "talent.yaml").read_text(encoding="utf-8") == THEIRS


def test_a_target_fact_renamed_meanwhile_is_a_problem_not_a_traceback(facts_dir: Path) -> None:
    renamed = TALENT.replace("id: gold_talent", "id: gold_standard_talent")
    (facts_dir / "talent.yaml").write_text(renamed, encoding="utf-8")
    changed, problems = apply(facts_dir, [GOOD])
    assert changed == []
    assert [str(p) for p in problems] == [
        "talent.yaml: changed meanwhile: talent.yaml (fact gold_talent is not in this file); "
        "run `jinshui-qa suggest` again"
    ]
    assert (facts_dir / "talent.yaml").read_text(encoding="utf-8") == renamed


def test_a_crlf_file_keeps_its_line_endings_and_blank_lines(facts_dir: Path) -> None:
    crlf = TALENT.replace("\n", "\r\n")
    (facts_dir / "talent.yaml").write_bytes(crlf.encode("utf-8"))
    assert apply(facts_dir, [GOOD]) == (["talent.yaml"], [])
    written = (facts_dir / "talent.yaml").read_bytes().decode("utf-8")
    assert written.count("\n") == written.count("\r\n") == crlf.count("\r\n") + 1
    assert written == add_phrasings(TALENT, [("gold_talent", "zh", "人才一共多少")]).replace("\n", "\r\n")
    assert add_phrasings("\ufeff" + TALENT, [("gold_talent", "zh", "x")]).startswith("\ufeff# Talent")


@pytest.mark.parametrize(
    "question",
    ["jinshuiqu rencai yigong duoshao", "Jīnshuǐ rencai duoshao", "rencai zongliang"],
)
def test_pinyin_is_never_filed_as_an_english_phrasing(assistant: Assistant, question: str) -> None:
    (found,) = suggest(assistant, [Cluster(question, 3, questions=[question] * 3)], min_score=0)
    assert found.kind != "phrasing" and found.phrasing is None, found.describe()


def test_english_is_still_filed_as_english(assistant: Assistant) -> None:
    question = "how many gold standard talents in total"
    (found,) = suggest(assistant, [Cluster(question, 2, questions=[question] * 2)], min_score=0)
    assert (found.kind, found.lang, found.phrasing) == ("phrasing", "en", question + "?")
