"""Arithmetic over figures: exact units, rounding of ratios, percentage points, and what never combines."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jinshui_qa.conversation import arithmetic as ar
from jinshui_qa.facts.schema import Figure

# Figures as the fact files write them: up to two decimals, in the units the report uses.
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
counts = st.integers(min_value=0, max_value=10**7)
scaled = st.sampled_from(["家", "万家", "亿元", "万元", "元", "人", "万人"])


def figure(
    value: Decimal | int, unit: str, counts_text: str = "something", share: str | None = None
) -> Figure:
    return Figure(float(value), unit, counts_text, share=share)


def q(value: Decimal | int, unit: str) -> ar.Quantity:
    found = ar.quantity(figure(value, unit))
    assert found is not None
    return found


@given(amounts)
def test_a_figure_reads_as_the_decimal_it_was_written_as(value: Decimal) -> None:
    assert ar.decimal_of(float(value)) == value


@given(amounts, st.sampled_from([("万家", 10**4), ("亿元", 10**8), ("万元", 10**4), ("万人", 10**4)]))
def test_units_convert_exactly(value: Decimal, unit_scale: tuple[str, int]) -> None:
    unit, scale = unit_scale
    assert q(value, unit).value == value * scale
    assert "e" not in ar.plain(q(value, unit).value).lower()


@given(amounts, amounts, scaled)
def test_sum_and_difference_are_exact_and_symmetric(a: Decimal, b: Decimal, unit: str) -> None:
    x, y = q(a, unit), q(b, unit)
    total = ar.compute("sum", x, y)
    assert total.result == a + b and total.unit == unit
    assert ar.compute("sum", y, x).result == total.result
    gap = ar.compute("difference", x, y)
    assert gap.result == abs(a - b) >= 0
    assert gap.larger == (0 if a >= b else 1)
    assert gap.expression.endswith(f"= {ar.plain(abs(a - b))}{unit}")


@given(amounts, amounts)
def test_mixed_scales_compute_in_the_finer_unit(a: Decimal, b: Decimal) -> None:
    billions, tens_of_thousands = q(a, "亿元"), q(b, "万元")
    gap = ar.compute("difference", billions, tens_of_thousands)
    assert gap.unit == "万元"
    assert gap.result == abs(a * 10**4 - b)  # 1亿 = 10^4 万, exactly


@given(counts, st.integers(min_value=1, max_value=10**7))
def test_ratio_is_rounded_half_up_to_two_places_and_marked(a: int, b: int) -> None:
    done = ar.compute("ratio", q(a, "家"), q(b, "家"))
    exact = Decimal(a) / Decimal(b)
    assert abs(done.result - exact) <= Decimal("0.005")
    assert done.result == done.result.quantize(Decimal("0.01"))
    assert done.exact == (done.result == exact)
    assert ("≈" in done.expression) != done.exact


def test_ratio_rounds_half_up_not_to_even() -> None:
    assert ar.compute("ratio", q(1, "家"), q(8, "家")).result == Decimal("0.13")  # 0.125


@given(st.decimals(min_value=0, max_value=100, places=1), st.decimals(min_value=0, max_value=100, places=1))
def test_percentage_points(a: Decimal, b: Decimal) -> None:
    x = ar.share_quantity(figure(1, "家", share=f"占全市{a}%"))
    y = ar.share_quantity(figure(1, "家", share=f"占全市{b}%"))
    assert x is not None and y is not None and x.frame == "全市"
    done = ar.compute("pp_difference", x, y)
    assert done.result == abs(a - b) and done.unit == "个百分点"
    assert done.expression.startswith(f"{ar.plain(max(a, b))}% − {ar.plain(min(a, b))}% =")


def test_shares_of_different_wholes_do_not_combine() -> None:
    city = ar.share_quantity(figure(1, "家", share="占全市20%"))
    province = ar.share_quantity(figure(1, "家", share="占全省3%"))
    assert city is not None and province is not None
    assert ar.incomparable(city, province, "pp_difference") == "frames"


@pytest.mark.parametrize(
    ("left", "right", "why"),
    [
        (figure(143, "家"), figure(84.6, "亿元"), "kinds"),  # organisations with money
        (figure(5, "人"), figure(12, "家"), "kinds"),  # people with organisations
        (figure(2, "名", "年度评估全国名次"), figure(8, "名", "榜单名次"), "not_a_quantity"),  # ranks
        (figure(5, "日", "每月5日"), figure(25, "日", "每月25日"), "not_a_quantity"),  # days of the month
    ],
)
def test_figures_of_different_kinds_never_combine(left: Figure, right: Figure, why: str) -> None:
    a, b = ar.quantity(left), ar.quantity(right)
    assert a is not None and b is not None
    assert ar.incomparable(a, b, "sum") == why
    with pytest.raises(ValueError, match="cannot compute"):
        ar.compute("sum", a, b)


def test_bounds_in_the_report_are_marked_approximate() -> None:
    assert q(5000, "家").approximate == ""
    loose = ar.quantity(figure(5000, "家", "获得担保贷款的中小微企业（5000多家）"))
    assert loose is not None and loose.approximate == "5000多家"
    threshold = ar.quantity(figure(1000, "万元", "储备项目的规模门槛（1000万以上）"))
    assert threshold is not None and threshold.approximate == ""  # a threshold is exact


def test_counts_in_different_words_for_one_kind_convert() -> None:
    done = ar.compute("ratio", q(Decimal("28.4"), "万家"), q(108576, "户"))
    assert done.expression == "284000家 ÷ 108576户 ≈ 2.62"


@given(st.lists(st.tuples(amounts, st.sampled_from(["家", "万家"])), min_size=3, max_size=8))
def test_a_total_of_many_figures_is_exact_and_shows_every_term(terms: list[tuple[Decimal, str]]) -> None:
    figures = [q(value, unit) for value, unit in terms]
    done = ar.total(figures)
    assert done.result * (Decimal(10**4) if done.unit == "万家" else 1) == sum(f.value for f in figures)
    shown, _, result = done.expression.partition(" = ")
    assert len(shown.split(" + ")) == len(figures)
    each = [Decimal(t.removesuffix(done.unit)) for t in shown.split(" + ")]
    assert sum(each) == done.result and result == f"{ar.plain(done.result)}{done.unit}"


@given(st.lists(amounts, min_size=1, max_size=5))
def test_a_total_refuses_one_figure_shares_and_mixed_kinds(values: list[Decimal]) -> None:
    with pytest.raises(ValueError):
        ar.total([q(values[0], "家")])
    with pytest.raises(ValueError):
        ar.total([q(v, "家") for v in values] + [q(1, "亿元")])
    shares = [ar.share_quantity(figure(1, "家", share=f"占全市{v}%")) for v in values[:2] * 2]
    with pytest.raises(ValueError):
        ar.total([s for s in shares if s is not None])


@given(st.decimals(min_value=0, max_value=100, places=1), st.decimals(min_value=0, max_value=100, places=1),
       st.sampled_from(["difference", "larger", "pp_difference"]))  # fmt: skip
def test_any_difference_of_shares_is_in_percentage_points(a: Decimal, b: Decimal, op: str) -> None:
    x = ar.share_quantity(figure(1, "家", share=f"占全市{a}%"))
    y = ar.share_quantity(figure(1, "家", share=f"占全市{b}%"))
    assert x is not None and y is not None
    done = ar.compute(op, x, y)
    assert done.unit == "个百分点" and done.result == abs(a - b)
    assert done.expression.endswith(f"= {ar.plain(abs(a - b))}个百分点")


@pytest.mark.parametrize(
    ("text", "frame"),
    [("占全市的比重", "全市"), ("郑州市的占比", "全市"), ("在全省的占比", "全省"), ("占河南的比重", "全省"),
     ("占全国的比例", "全国"), ("share of the province", "全省"), ("郑州市金水区的占比", ""), ("的占比", "")],
)  # fmt: skip
def test_the_whole_a_share_is_of(text: str, frame: str) -> None:
    assert ar.frame_named(text) == frame
