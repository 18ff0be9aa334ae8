"""Periods: the time a question asks about and the time a fact describes (text/periods.py)."""

from __future__ import annotations

import pytest

from jinshui_qa.text.normalize import fold
from jinshui_qa.text.periods import Period, asked_period, fact_period


@pytest.mark.parametrize(
    ("question", "start", "end", "grain"),
    [
        ("今年7到9月新增了多少市场主体", (2022, 7), (2022, 9), "part"),
        ("2022年前五个月新增了多少", (2022, 1), (2022, 5), "part"),
        ("头一季度新增多少", (2022, 1), (2022, 3), "part"),
        ("去年呢", (2021, 1), (2021, 12), "year"),
        ("前年高企有多少", (2020, 1), (2020, 12), "year"),
        ("21年新增多少", (2021, 1), (2021, 12), "year"),
        ("全年新增多少", (2022, 1), (2022, 12), "whole"),
        ("上半年", (2022, 1), (2022, 6), "part"),
        ("How many were added from July to September 2022?", (2022, 7), (2022, 9), "part"),
        ("in the first quarter of 2022", (2022, 1), (2022, 3), "part"),
    ],
)
def test_questions_name_periods_in_the_reports_frame(
    question: str, start: tuple[int, int], end: tuple[int, int], grain: str
) -> None:
    assert asked_period(fold(question), 2022) == Period(start, end, grain)


@pytest.mark.parametrize("question", ["金水区有多少家企业", "科技型企业是不是两千多家", "3月25日开了什么会"])
def test_questions_without_a_period(question: str) -> None:
    assert asked_period(fold(question), 2022) is None


def test_fact_periods_and_what_they_cover() -> None:
    year, quarter, day = fact_period("2022"), fact_period("2022-Q1"), fact_period("2022-03-25")
    assert year == Period((2022, 1), (2022, 12)) and quarter == Period((2022, 1), (2022, 3), "part")
    assert day is not None and day.grain == "day"
    assert fact_period("2021/2022") == Period((2021, 1), (2022, 12))
    assert fact_period("今年") is None and fact_period("2022-13") is None
    asked = {q: asked_period(fold(q), 2022) for q in ("今年", "一季度", "7到9月", "全年", "去年")}
    assert year is not None and quarter is not None
    assert year.covers(asked["今年"]) and not year.covers(asked["去年"])  # type: ignore[arg-type]
    assert not year.covers(asked["一季度"])  # type: ignore[arg-type]  # a stock for the year is no Q1 flow
    assert quarter.covers(asked["一季度"]) and quarter.covers(asked["今年"])  # type: ignore[arg-type]
    assert not quarter.covers(asked["7到9月"]) and not quarter.covers(asked["全年"])  # type: ignore[arg-type]


def test_period_labels() -> None:
    assert Period((2022, 1), (2022, 3), "part").label("zh") == "2022年1~3月"
    assert Period((2022, 1), (2022, 3), "part").label("en") == "Jan-Mar 2022"
    assert Period.year(2021).label("zh") == "2021年" and Period.year(2021).label("en") == "2021"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("how many new market entities in march 2022", "2022年3月"),
        ("new firms during sept 2022", "2022年9月"),
        ("entities added in may 2022", "2022年5月"),
        ("from january to march 2022", "2022年1~3月"),  # a range stays a range
    ],
)
def test_english_single_months_are_read(text: str, label: str) -> None:
    period = asked_period(fold(text), 2022)
    assert period is not None and period.label() == label


def test_may_without_a_year_is_not_a_month() -> None:
    assert asked_period(fold("what may jinshui add"), 2022) is None
