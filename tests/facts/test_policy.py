"""facts/README.md's rules beyond the YAML's shape (facts/policy.py), as the loader and `check` apply them."""

from __future__ import annotations

import datetime as dt

import pytest

from jinshui_qa.errors import FactsInvalid
from jinshui_qa.facts.loader import load
from jinshui_qa.facts.policy import (
    MAX_ID_LENGTH,
    period_bounds,
    phrasing_problems,
    policy_problems,
    time_problem,
)
from jinshui_qa.facts.validation import build_factbase
from tests.support.tiny import ALPHA, BETA, REAL_FACTS, TINY_FILES, line_of

FILES = {**TINY_FILES, "sources.yaml": (REAL_FACTS / "sources.yaml").read_text(encoding="utf-8")}

FACT_LINE = line_of(BETA, "- id: project_count")


def problems_with(beta: str) -> list[str]:
    with pytest.raises(FactsInvalid) as caught:
        build_factbase({**FILES, "beta.yaml": beta})
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("period", ["2022", "2022-Q1", "2022-H2", "2022-02", "2022-03-25", "2021/2022",
                                    "2022-Q1/2022-03"])  # fmt: skip
def test_documented_periods(period: str) -> None:
    assert time_problem(period) is None


@pytest.mark.parametrize("period", ["今年", "2022年", "22", "2022-Q5", "2022-13", "2022-02-30", "2022/2021",
                                    "2022-1-5", " 2022", "2020/2021/2022", "Q1 2022"])  # fmt: skip
def test_undocumented_periods(period: str) -> None:
    assert time_problem(period) is not None


def test_period_bounds() -> None:
    assert period_bounds("2022-Q1") == (dt.date(2022, 1, 1), dt.date(2022, 3, 31))
    assert period_bounds("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert period_bounds("2022-H2") == (dt.date(2022, 7, 1), dt.date(2022, 12, 31))


def test_a_relative_time_is_refused_with_its_line() -> None:
    assert problems_with(BETA.replace('time: "2022"', "time: 今年")) == [
        f"beta.yaml:{FACT_LINE}: fact project_count: 'time' '今年' must be a period such as 2022, 2022-Q1, "
        "2022-H1, 2022-03, 2022-03-25 or 2021/2022"
    ]


def test_verified_in_the_future_is_refused() -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert problems_with(BETA.replace("verified: 2026-11-28", f"verified: {tomorrow}")) == [
        f"beta.yaml:{FACT_LINE}: fact project_count: 'verified' {tomorrow} is in the future "
        f"(today is {dt.date.today().isoformat()})"
    ]


def test_ids_fit_telegram_button_data() -> None:
    longest = "p" * MAX_ID_LENGTH
    assert len(f"f:{longest}:zh".encode()) == 64
    build_factbase({**FILES, "beta.yaml": BETA.replace("id: project_count", f"id: {longest}")})
    too_long = "p" * (MAX_ID_LENGTH + 1)
    assert problems_with(BETA.replace("id: project_count", f"id: {too_long}")) == [
        f"beta.yaml:{FACT_LINE}: fact id {too_long!r} is 60 characters; at most 59 fit in Telegram's 64-byte "
        "button data"
    ]
    assert problems_with(BETA.replace("id: project_count", "id: project__count")) == [
        f"beta.yaml:{FACT_LINE}: fact id 'project__count': words are joined by single underscores"
    ]


def test_related_lists_other_facts_once() -> None:
    alpha = ALPHA.replace("related: [tech_count]", "related: [tech_count, hte_count, tech_count]")
    with pytest.raises(FactsInvalid) as caught:
        build_factbase({**FILES, "alpha.yaml": alpha})
    line = line_of(ALPHA, "- id: hte_count")
    assert [str(p) for p in caught.value.problems] == [
        f"alpha.yaml:{line}: fact hte_count: 'related' lists tech_count more than once",
        f"alpha.yaml:{line}: fact hte_count: 'related' lists the fact itself",
    ]


@pytest.mark.parametrize(
    ("said", "shown"), [(".nan", "nan"), (".inf", "inf"), ("-.Inf", "-inf"), (".NaN", "nan")]
)
def test_a_figure_value_must_be_finite_reported_at_the_values_line(said: str, shown: str) -> None:
    """Said once, at the line of the value (the figure's line), not at the fact's first line."""
    value_line = line_of(BETA, "{value: 150,")
    assert value_line != FACT_LINE
    assert problems_with(BETA.replace("{value: 150,", f"{{value: {said},")) == [
        f"beta.yaml:{value_line}: fact project_count.figures[1]: 'value' must be a finite number, got {shown}"
    ]


def test_a_non_finite_value_on_its_own_line_is_reported_there() -> None:
    figure = BETA[BETA.index("{value: 150,") :].split("}", 1)[0] + "}"
    fields = [f.strip() for f in figure.strip("{}").split(",")]
    indent = " " * len(BETA[: BETA.index(figure)].rsplit("\n", 1)[1])  # the column of «value»
    block = fields[0].replace("150", ".nan") + "".join(f"\n{indent}{f}" for f in fields[1:])
    beta = BETA.replace(figure, block)
    lines = beta.splitlines()
    unit_line = next(n for n, line in enumerate(lines, 1) if line.strip() == fields[1])
    value_line = next(n for n, line in enumerate(lines, 1) if "value: .nan" in line)
    assert unit_line == value_line + 1
    assert problems_with(beta) == [
        f"beta.yaml:{value_line}: fact project_count.figures[1]: 'value' must be a finite number, got nan"
    ]


def test_the_real_facts_keep_the_rules() -> None:

    base = load(REAL_FACTS)
    assert policy_problems(base.facts, base.topics) == [] and phrasing_problems(base.facts) == []


# -- session 10: a number as the period; a value beyond a float's range ---------------------------------
def test_a_period_written_as_a_number_is_refused_with_its_line() -> None:
    """facts/README.md writes ``time: "2022"``: text, as a date (2022-03-25 unquoted) already had to be."""
    beta = BETA.replace('time: "2022"', "time: 2022")
    line = line_of(beta, "time: 2022")
    assert problems_with(beta) == [
        f"beta.yaml:{line}: fact project_count: 'time' must be text, a period in quotes such as \"2022\", got int"
    ]


@pytest.mark.parametrize("said", ["1e400", "-3E+999", "1e400 "])
def test_a_value_beyond_a_floats_range_is_out_of_range(said: str) -> None:
    value_line = line_of(BETA, "{value: 150,")
    assert problems_with(BETA.replace("{value: 150,", f"{{value: {said},")) == [
        f"beta.yaml:{value_line}: fact project_count.figures[1]: 'value' is out of range, got {said.strip()}"
    ]


# -- session 11: a float YAML itself reads (a dot and an exponent) beyond the range, as the other forms --------
@pytest.mark.parametrize("said", ["-2.5E+999", "2.5e+999", "1.0e+400", "-1.5e999"])
def test_a_float_beyond_the_range_is_out_of_range_not_inf(said: str) -> None:
    value_line = line_of(BETA, "{value: 150,")
    assert problems_with(BETA.replace("{value: 150,", f"{{value: {said},")) == [
        f"beta.yaml:{value_line}: fact project_count.figures[1]: 'value' is out of range, got {said}"
    ]


@pytest.mark.parametrize("said", [".inf", "-.inf", ".Inf"])
def test_infinity_written_as_such_is_still_no_finite_number(said: str) -> None:
    value_line = line_of(BETA, "{value: 150,")
    (problem,) = problems_with(BETA.replace("{value: 150,", f"{{value: {said},"))
    assert problem.startswith(
        f"beta.yaml:{value_line}: fact project_count.figures[1]: 'value' must be a finite"
    )


def test_text_as_a_value_is_still_no_number() -> None:
    value_line = line_of(BETA, "{value: 150,")
    assert problems_with(BETA.replace("{value: 150,", "{value: 1e5x,")) == [
        f"beta.yaml:{value_line}: fact project_count.figures[1]: 'value' must be a number, got str"
    ]
