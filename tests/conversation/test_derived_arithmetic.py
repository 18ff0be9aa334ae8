"""Property tests: averages (division rounding, 亿/万 display, approximate inputs), estimates from a
share, numbers written by the user, and thresholds."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from jinshui_qa.conversation import arithmetic as ar
from jinshui_qa.conversation import averages, estimates, literals
from jinshui_qa.facts.schema import Bilingual, Fact, Figure, SourceRef

money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
counts = st.integers(min_value=1, max_value=100000)
money_units = st.sampled_from([("亿元", 10**8), ("万元", 10**4), ("元", 1)])
shares = st.decimals(min_value=Decimal("0.1"), max_value=Decimal("99.9"), places=1)


def fact(*figures: Figure, fact_id: str = "f") -> Fact:
    import datetime as dt

    said = Bilingual("某项目", "some projects")
    return Fact(fact_id, "t", "both", said, (), (), (), said, figures, "2022", SourceRef("r", "s"),
                dt.date(2022, 1, 1), subject=said)  # fmt: skip


@given(money, money_units, counts, st.sampled_from(["个", "家"]), st.booleans())
def test_an_average_is_the_total_over_the_count_rounded_half_up_in_the_unit_shown(
    amount: Decimal, unit_scale: tuple[str, int], count: int, word: str, approximate: bool
) -> None:
    unit, scale = unit_scale
    said = f"获得的企业（{count}多{word}）" if approximate else "项目"
    found = averages.average(
        [fact(Figure(float(amount), unit, "总投资"), Figure(count, word, said))], "平均每个多少"
    )
    assert isinstance(found, averages.Average)
    exact = amount * scale / count
    shown_scale = {"亿元": 10**8, "万元": 10**4, "元": 1}[found.unit]
    assert exact >= shown_scale or found.unit == "元"  # the largest unit in which the result is at least 1
    assert found.result == (exact / shown_scale).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert found.exact == (found.result * shown_scale == exact)
    mark = "≈" if approximate or not found.exact else "="
    assert (
        found.expression("zh")
        == f"{ar.plain(amount)}{unit} ÷ {count}{word} {mark} {ar.plain(found.result)}{found.unit}"
    )
    assert bool(found.approximate) == approximate


@given(money, counts)
def test_an_average_needs_both_a_total_and_a_count(amount: Decimal, count: int) -> None:
    assert averages.average([fact(Figure(float(amount), "亿元", "总投资"))], "平均") == "count"
    assert averages.average([fact(Figure(count, "个", "项目"))], "平均") == "amount"


@given(counts, shares)
def test_an_estimate_is_the_count_over_the_share_to_a_whole_number(count: int, share: Decimal) -> None:
    guess = estimates.estimate(fact(Figure(count, "家", "企业", share=f"占全市{share}%")), "全市")
    assert guess is not None
    exact = Decimal(count) * 100 / share
    assert guess.result == exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert (
        guess.expression() == f"{count}家 ÷ {ar.plain(share)}% {'=' if guess.exact else '≈'} {guess.result}家"
    )
    assert estimates.estimate(fact(Figure(count, "家", "企业", share=f"占全市{share}%")), "全省") is None


@given(money, st.sampled_from([("亿", 10**8), ("万", 10**4), ("", 1)]))
def test_numbers_written_with_a_scale_word_read_exactly(number: Decimal, word_scale: tuple[str, int]) -> None:
    word, scale = word_scale
    assert literals.values_in(f"是{ar.plain(number)}{word}的几倍") == [(number * scale, bool(word))]
    assert literals.bare_number(f"{ar.plain(number)}{word}了吗") == (number * scale, bool(word))


def test_years_months_and_ranges_are_not_figures() -> None:
    assert literals.values_in("2021年1~3月新增的") == []
    assert literals.bare_number("2021") is None


@given(money, money)
def test_a_threshold_reads_the_reports_bound_words(figure: Decimal, number: Decimal) -> None:
    exact = ar.quantity(Figure(float(figure), "亿元", "投资额"))
    bound = ar.quantity(Figure(float(figure), "亿元", f"投资额（突破{ar.plain(figure)}亿）"))
    assert exact is not None and bound is not None
    said = literals.threshold(exact, number, False).verdict
    assert said == ("yes" if figure > number else "equal" if figure == number else "no")
    above = literals.threshold(bound, number, False).verdict
    assert above == ("yes" if figure >= number else "unknown")
    assert literals.threshold(exact, number * 10**8, True).verdict == said
