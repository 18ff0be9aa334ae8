"""benchmarks/router_product.py's reporting of several serve phases (no timing asserted here)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import router_product


def test_several_serve_runs_give_each_figure_s_median_and_keep_every_run() -> None:
    runs = [
        {"cpu_p50": 3.0, "cpu_p99": 16.6, "cpu_max": 27.7, "probe_cpu_p99": 6.1, "from_snapshot": True,
         "outcomes_digest": "a", "load_average": 1.0},
        {"cpu_p50": 4.0, "cpu_p99": 5.5, "cpu_max": 9.0, "probe_cpu_p99": 1.9, "from_snapshot": True,
         "outcomes_digest": "a", "load_average": 1.2},
        {"cpu_p50": 3.5, "cpu_p99": 10.0, "cpu_max": 12.0, "probe_cpu_p99": 2.4, "from_snapshot": True,
         "outcomes_digest": "a", "load_average": 0.9},
    ]  # fmt: skip
    row = router_product.served(runs)
    assert (row["cpu_p50"], row["cpu_p99"], row["cpu_max"], row["probe_cpu_p99"]) == (3.5, 10.0, 12.0, 2.4)
    assert row["from_snapshot"] is True and row["same_outcomes"] is True
    assert [r["cpu_p99"] for r in row["serve_runs"]] == [16.6, 5.5, 10.0]  # the slow run is shown
    assert [r["load_average"] for r in row["serve_runs"]] == [1.0, 1.2, 0.9]
    assert router_product.served([*runs[:2], runs[2] | {"outcomes_digest": "b"}])["same_outcomes"] is False


def test_the_probe_does_the_same_work_each_time() -> None:
    assert router_product.probe() == router_product.probe() == sum(range(6000))


def test_the_p99_of_a_serve_phase_s_290_questions_is_its_third_slowest() -> None:
    ms = [1.0] * 287 + [40.0, 20.0, 30.0]
    assert router_product._latency(ms)["p99"] == 20.0  # the 288th of 290: three slow ones are not hidden
