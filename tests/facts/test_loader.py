"""Loading and validation: every problem as ``file:line: message``, and never a half-loaded fact base."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinshui_qa.bootstrap import bootstrap
from jinshui_qa.errors import FactsDirMissing, FactsError, FactsInvalid, JinshuiQAError, Problem
from jinshui_qa.facts.loader import CHECKOUT_FACTS, facts_dir, load, read_files
from jinshui_qa.facts.schema import FactBase
from jinshui_qa.facts.validation import build_factbase
from tests.support.tiny import ALPHA, BETA, REAL_FACTS, WriteFacts, line_of


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(FactsInvalid) as caught:
        load(directory)
    return [str(p) for p in caught.value.problems]


# -- the clean tiny set -----------------------------------------------------------------------------


def test_tiny_set_loads_completely(write_facts: WriteFacts) -> None:
    base = load(write_facts())
    assert isinstance(base, FactBase)
    assert [f.id for f in base.facts] == ["hte_count", "tech_count", "project_count"]
    assert [t.id for t in base.topics] == ["alpha", "beta"]
    assert base.phrasing_count == 9
    hte = base.fact("hte_count")
    assert (hte.file, hte.line) == ("alpha.yaml", line_of(ALPHA, "- id: hte_count"))
    assert hte.questions_zh == ("金水区高新技术企业有多少家", "高企数量")
    assert hte.related == ("tech_count",)
    assert hte.figures[0].value == 723.0
    assert base.fact("tech_count").figures[0].share == "占全市20%"
    assert hte.years == frozenset({2022})
    assert base.vocabulary.synonyms == {"高新技术企业": ("高企",)}
    assert base.source_label(hte, "zh").endswith("·打造创新策源地 点燃创新驱动新引擎")


def test_the_real_fact_base_is_valid() -> None:
    base = load(REAL_FACTS)
    assert len(base.facts) >= 60
    assert {f.topic for f in base.facts} == {t.id for t in base.topics}


def test_fingerprint_follows_the_text(write_facts: WriteFacts) -> None:
    first = load(write_facts()).fingerprint
    assert load(write_facts()).fingerprint == first
    assert load(write_facts(**{"beta.yaml": BETA + "# a comment\n"})).fingerprint != first


# -- one test per kind of problem, each with its exact line -------------------------------------------


def test_duplicate_id_across_files(write_facts: WriteFacts) -> None:
    beta = BETA.replace("id: project_count", "id: hte_count")
    first = line_of(ALPHA, "- id: hte_count")
    assert problems_of(write_facts(**{"beta.yaml": beta})) == [
        f"beta.yaml:{line_of(beta, '- id: hte_count')}: duplicate fact id 'hte_count' "
        f"(first at alpha.yaml:{first})"
    ]


def test_a_nan_value_is_reported_at_its_own_line(write_facts: WriteFacts) -> None:
    """`check` and the loader say ``file:line: message`` at the value's line, once (not at the fact's)."""
    beta = BETA.replace("{value: 150,", "{value: .nan,")
    assert line_of(beta, "value: .nan") != line_of(beta, "- id: project_count")
    assert problems_of(write_facts(**{"beta.yaml": beta})) == [
        f"beta.yaml:{line_of(beta, 'value: .nan')}: fact project_count.figures[1]: "
        "'value' must be a finite number, got nan"
    ]


def test_missing_key(write_facts: WriteFacts) -> None:
    beta = BETA.replace('    time: "2022"\n', "")
    assert problems_of(write_facts(**{"beta.yaml": beta})) == [
        f"beta.yaml:{line_of(beta, '- id: project_count')}: fact project_count: missing key 'time'"
    ]


def test_missing_answer_language(write_facts: WriteFacts) -> None:
    """A missing key of a nested mapping is reported where that mapping starts (its first key)."""
    beta = BETA.replace("      en: 150 key projects are planned this year.\n", "")
    assert problems_of(write_facts(**{"beta.yaml": beta})) == [
        f"beta.yaml:{line_of(beta, 'zh: 今年谋划重点项目150个。')}: "
        "fact project_count.answer: missing key 'en'"
    ]


def test_unknown_key(write_facts: WriteFacts) -> None:
    beta = BETA.replace("    keywords:", "    colour: red\n    keywords:")
    assert problems_of(write_facts(**{"beta.yaml": beta})) == [
        f"beta.yaml:{line_of(beta, 'colour: red')}: fact project_count: unknown key 'colour'"
    ]


def test_unknown_top_level_key(write_facts: WriteFacts) -> None:
    beta = BETA + "extra: 1\n"
    assert problems_of(write_facts(**{"beta.yaml": beta})) == [
        f"beta.yaml:{line_of(beta, 'extra: 1')}: file: unknown key 'extra'"
    ]


def test_duplicate_key_in_one_fact(write_facts: WriteFacts) -> None:
    beta = BETA.replace('    time: "2022"\n', '    time: "2022"\n    time: "2021"\n')
    line = line_of(beta, '"2021"')
    assert problems_of(write_facts(**{"beta.yaml": beta})) == [
        f"beta.yaml:{line}: fact project_count: duplicate key 'time'"
    ]


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            "keywords: [重点项目]",
            "keywords: 重点项目",
            "keywords: 重点项目",
            "'keywords' must be a list, got str",
        ),
        ("value: 150,", "value: many,", "value: many", "figures[1]: 'value' must be a number, got str"),
        ("value: 150,", "value: true,", "value: true", "figures[1]: 'value' must be a number, got bool"),
        (
            "verified: 2026-11-28",
            "verified: last week",
            "verified: last week",
            "'verified' must be a date like 2026-11-28",
        ),
        (
            "audience: investor",
            "audience: tourists",
            "audience: tourists",
            "'audience' must be one of citizen, investor, both",
        ),
        (
            "title: {zh: 重点项目数量, en: Number of key projects}",
            "title: 重点项目数量",
            "title: 重点项目数量",
            "'title' must be a mapping with zh and en, got str",
        ),
        ('time: "2022"', "time: [2022]", "time: [2022]", "'time' must be text, got a list"),
        (
            "id: project_count",
            "id: Project-Count",
            "id: Project-Count",
            "'id' must be lower_snake_case text, got 'Project-Count'",
        ),
    ],
)
def test_wrong_type(write_facts: WriteFacts, old: str, new: str, needle: str, message: str) -> None:
    beta = BETA.replace(old, new)
    assert beta != BETA
    (problem,) = problems_of(write_facts(**{"beta.yaml": beta}))
    where, _, text = problem.partition(": ")
    assert where == f"beta.yaml:{line_of(beta, needle)}"
    assert text.endswith(message)


def test_empty_answer(write_facts: WriteFacts) -> None:
    beta = BETA.replace("zh: 今年谋划重点项目150个。", 'zh: "  "')
    line = line_of(beta, 'zh: "  "')
    assert problems_of(write_facts(**{"beta.yaml": beta})) == [
        f"beta.yaml:{line}: fact project_count.answer: 'zh' is empty"
    ]


def test_empty_question_item(write_facts: WriteFacts) -> None:
    beta = BETA.replace("zh: [今年谋划了几个重点项目, 重点项目有多少]", 'zh: [今年谋划了几个重点项目, ""]')
    assert problems_of(write_facts(**{"beta.yaml": beta})) == [
        f"beta.yaml:{line_of(beta, '今年谋划了几个重点项目')}: fact project_count.questions: "
        "'zh' item 2 must be non-empty text"
    ]


def test_question_shared_by_two_facts(write_facts: WriteFacts) -> None:
    beta = BETA.replace("重点项目有多少]", "金水区高新技术企业有多少家]")
    assert problems_of(write_facts(**{"beta.yaml": beta})) == [
        f"beta.yaml:{line_of(beta, '- id: project_count')}: fact project_count: question "
        "'金水区高新技术企业有多少家' is also a question of fact hte_count"
    ]


def test_shared_question_is_found_through_normalisation(write_facts: WriteFacts) -> None:
    """Full-width punctuation, traditional characters and case do not hide a shared phrasing."""
    beta = BETA.replace("重点项目有多少]", "金水區高新技術企業有多少家？]").replace(
        "How many key projects are planned?", "HOW MANY TECH-BASED ENTERPRISES ARE THERE"
    )
    at = line_of(beta, "- id: project_count")
    assert problems_of(write_facts(**{"beta.yaml": beta})) == [
        f"beta.yaml:{at}: fact project_count: question 'HOW MANY TECH-BASED ENTERPRISES ARE THERE' "
        "is also a question of fact tech_count",
        f"beta.yaml:{at}: fact project_count: question '金水區高新技術企業有多少家？' "
        "is also a question of fact hte_count",
    ]


def test_related_id_that_does_not_exist(write_facts: WriteFacts) -> None:
    alpha = ALPHA.replace("related: [tech_count]", "related: [tech_count, no_such_fact]")
    assert problems_of(write_facts(**{"alpha.yaml": alpha})) == [
        f"alpha.yaml:{line_of(alpha, '- id: hte_count')}: "
        "fact hte_count: related id 'no_such_fact' does not exist"
    ]


def test_unknown_source_section(write_facts: WriteFacts) -> None:
    beta = BETA.replace("section: projects", "section: weather")
    assert problems_of(write_facts(**{"beta.yaml": beta})) == [
        f"beta.yaml:{line_of(beta, '- id: project_count')}: "
        "fact project_count: unknown source section 'weather'"
    ]


def test_unknown_source_report(write_facts: WriteFacts) -> None:
    beta = BETA.replace("report: zzdaily-2022-jinshui", "report: some-blog")
    assert problems_of(write_facts(**{"beta.yaml": beta})) == [
        f"beta.yaml:{line_of(beta, '- id: project_count')}: "
        "fact project_count: unknown source report 'some-blog'"
    ]


def test_malformed_yaml_reports_the_parsers_line_and_column(write_facts: WriteFacts) -> None:
    beta = BETA.replace("title: {zh: 项目, en: Projects}", "title: {zh: 项目, en: Projects}}")
    line = line_of(beta, "Projects}}")
    column = beta.splitlines()[line - 1].index("}}") + 2  # the stray brace, 1-based
    assert problems_of(write_facts(**{"beta.yaml": beta})) == [
        f"beta.yaml:{line}: malformed YAML: expected <block end>, but found '}}' "
        f"(line {line}, column {column})"
    ]


def test_malformed_yaml_tab_indentation(write_facts: WriteFacts) -> None:
    beta = BETA.replace("    keywords: [重点项目]", "\tkeywords: [重点项目]")
    line = line_of(beta, "keywords")
    (problem,) = problems_of(write_facts(**{"beta.yaml": beta}))
    assert problem.startswith(f"beta.yaml:{line}: malformed YAML: ")
    assert problem.endswith(f"(line {line}, column 1)")


def test_file_that_is_not_a_mapping(write_facts: WriteFacts) -> None:
    assert problems_of(write_facts(**{"beta.yaml": "- just\n- a list\n"})) == [
        "beta.yaml:1: the file must hold a mapping at the top, got a list"
    ]
    assert problems_of(write_facts(**{"beta.yaml": "# nothing but a comment\n"})) == [
        "beta.yaml:1: the file must hold a mapping at the top, got nothing"
    ]


def test_non_utf8_file_is_a_problem_not_a_crash(write_facts: WriteFacts) -> None:
    directory = write_facts(**{"beta.yaml": BETA.encode("gbk")})
    (problem,) = problems_of(directory)
    assert problem.startswith("beta.yaml:")
    assert "not UTF-8 text" in problem


def test_non_utf8_file_reports_the_line_of_the_bad_byte(write_facts: WriteFacts) -> None:
    """The GBK bytes first appear on the line of 「项目」 (line 3), not on line 1."""
    directory = write_facts(**{"beta.yaml": BETA.encode("gbk")})
    (problem,) = problems_of(directory)
    assert problem.startswith(f"beta.yaml:{line_of(BETA, 'title: {zh: 项目')}: not UTF-8 text")


def test_every_problem_of_every_file_is_reported_sorted(write_facts: WriteFacts) -> None:
    alpha = ALPHA.replace("section: innovation", "section: nowhere", 1)
    beta = BETA.replace("    keywords:", "    colour: red\n    keywords:")
    found = problems_of(write_facts(**{"alpha.yaml": alpha, "beta.yaml": beta}))
    assert found == [
        f"alpha.yaml:{line_of(alpha, '- id: hte_count')}: fact hte_count: unknown source section 'nowhere'",
        f"beta.yaml:{line_of(beta, 'colour: red')}: fact project_count: unknown key 'colour'",
    ]
    with pytest.raises(FactsInvalid) as caught:
        load(write_facts(**{"alpha.yaml": alpha, "beta.yaml": beta}))
    assert str(caught.value) == f"{found[0]} (and 1 more)"


def test_missing_sources_file(write_facts: WriteFacts) -> None:
    found = problems_of(write_facts(**{"sources.yaml": None}))
    assert "sources.yaml: missing: the facts directory needs a sources.yaml" in found
    assert "beta.yaml:5: fact project_count: unknown source report 'zzdaily-2022-jinshui'" in found


def test_problem_format() -> None:
    assert (
        str(Problem("talent.yaml", 12, "fact x: missing key 'time'"))
        == "talent.yaml:12: fact x: missing key 'time'"
    )
    assert issubclass(FactsInvalid, FactsError) and issubclass(FactsDirMissing, JinshuiQAError)


# -- never half-loaded -------------------------------------------------------------------------------


def test_one_bad_fact_rejects_the_whole_base(write_facts: WriteFacts) -> None:
    """Two good facts and one with a single bad field: nothing is served, not even the good facts."""
    beta = BETA.replace("audience: investor", "audience: tourists")
    directory = write_facts(**{"beta.yaml": beta})
    with pytest.raises(FactsInvalid):
        load(directory)
    with pytest.raises(FactsInvalid):
        bootstrap(directory)


def test_bad_fact_id_rejects_the_whole_base(write_facts: WriteFacts) -> None:
    """A fact whose id is unusable is not silently dropped from an otherwise working base."""
    with pytest.raises(FactsInvalid):
        load(write_facts(**{"beta.yaml": BETA.replace("id: project_count", "id: 42")}))


def test_unreadable_file_rejects_the_whole_base(write_facts: WriteFacts) -> None:
    directory = write_facts(**{"beta.yaml": b"topic: \xff\n"})
    with pytest.raises(FactsInvalid):
        read_files(directory)
    with pytest.raises(FactsInvalid):
        load(directory)


def test_build_factbase_is_all_or_nothing(write_facts: WriteFacts) -> None:
    files = read_files(write_facts())
    assert len(build_factbase(files).facts) == 3
    files["beta.yaml"] = files["beta.yaml"] + "  - not a fact\n"
    with pytest.raises(FactsInvalid) as caught:
        build_factbase(files)
    assert [str(p) for p in caught.value.problems] == [
        f"beta.yaml:{len(BETA.splitlines()) + 1}: fact 2: must be a mapping, got str"
    ]


# -- where the facts live ----------------------------------------------------------------------------


def test_missing_directory_from_option(tmp_path: Path, no_facts_env: None) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(FactsDirMissing) as caught:
        load(missing)
    assert str(caught.value) == f"facts directory {missing} (from --facts) does not exist"


def test_missing_directory_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "gone"
    monkeypatch.setenv("JQA_FACTS_DIR", str(missing))
    with pytest.raises(FactsDirMissing) as caught:
        facts_dir()
    assert str(caught.value) == f"facts directory {missing} (from $JQA_FACTS_DIR) does not exist"


def test_option_wins_over_environment(write_facts: WriteFacts, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = write_facts()
    monkeypatch.setenv("JQA_FACTS_DIR", "/definitely/not/here")
    assert facts_dir(directory) == directory
    assert len(load(directory).facts) == 3


def test_environment_then_checkout(write_facts: WriteFacts, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = write_facts()
    monkeypatch.setenv("JQA_FACTS_DIR", str(directory))
    assert facts_dir() == directory
    monkeypatch.delenv("JQA_FACTS_DIR")
    assert facts_dir() == CHECKOUT_FACTS == REAL_FACTS
