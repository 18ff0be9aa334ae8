"""checks.Explained: the candidates a decision reads, checked lazily, equal the eager list's."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jinshui_qa.routing.checks import Explained
from jinshui_qa.routing.scoring import Candidate

SCORES = st.sampled_from([30.0, 40.0, 42.0, 44.5, 46.0, 48.0, 50.0, 51.0, 60.0, 100.0])


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.tuples(SCORES, st.booleans()), max_size=6),
    st.lists(st.tuples(st.integers(0, 5), st.sampled_from([float("-inf"), 40.0, 42.0, 46.0, 50.0, 58.0])), max_size=5),
)  # fmt: skip
def test_each_read_equals_the_eager_list_s_and_nothing_below_it_is_checked(
    made: list[tuple[float, bool]], reads: list[tuple[int, float]]
) -> None:
    ranked = sorted(
        (Candidate(f"f{k}", score) for k, (score, _) in enumerate(made)), key=lambda c: (-c.score, c.fact_id)
    )
    passes = {f"f{k}": ok for k, (_, ok) in enumerate(made)}
    checked: list[str] = []

    def explains(c: Candidate) -> bool:
        checked.append(c.fact_id)
        return passes[c.fact_id]

    eager = [c for c in ranked if c.score >= 42.0 and passes[c.fact_id]]
    lazy = Explained(ranked, 42.0, explains)
    for n, least in reads:
        assert lazy.first(n, least) == [c for c in eager[:n] if c.score >= least]
        assert len(checked) == len(set(checked))  # each candidate checked once
        assert all(c.score >= 42.0 for c in ranked if c.fact_id in checked)
    if reads and all(n <= 1 for n, _ in reads):  # the first one read: nothing after it was checked
        assert len(checked) <= 1 + sum(1 for c in ranked if c.score >= 42.0 and not passes[c.fact_id])


def test_a_read_below_least_stops_before_checking_the_lower_candidates() -> None:
    ranked = [Candidate("a", 60.0), Candidate("b", 59.0), Candidate("c", 45.0), Candidate("d", 44.0)]
    checked: list[str] = []
    lazy = Explained(ranked, 42.0, lambda c: checked.append(c.fact_id) is None)
    assert lazy.first(1) == ranked[:1] and checked == ["a"]
    assert lazy.first(3, least=58.0) == ranked[:2] and checked == ["a", "b"]  # c and d: not checked
    assert lazy.first(4) == ranked and checked == ["a", "b", "c", "d"]
