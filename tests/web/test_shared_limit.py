"""The rate table the workers of one host share (jinshui_qa.web.shared_limit), as two workers see it."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinshui_qa.web import shared_limit
from jinshui_qa.web.limits import RateLimiter
from jinshui_qa.web.shared_limit import SharedRateLimiter, create


def test_two_workers_draw_on_one_bucket(tmp_path: Path) -> None:
    path = create(tmp_path / "rates")
    one, two = SharedRateLimiter(path, 60, burst=3), SharedRateLimiter(path, 60, burst=3)
    assert [one.check("client", 0.0), two.check("client", 0.0), one.check("client", 0.0)] == [0, 0, 0]
    assert two.check("client", 0.0) == 1 and one.check("client", 0.5) == 1  # the burst is spent for both
    assert two.check("client", 1.0) == 0  # refilled one a second
    assert one.check("other", 1.0) == 0  # another client has its own bucket
    assert path.stat().st_mode & 0o777 == 0o600


def test_the_table_gives_what_the_process_limiter_gives(tmp_path: Path) -> None:
    shared, local = SharedRateLimiter(create(tmp_path / "rates"), 30, burst=4), RateLimiter(30, 4)
    steps = [(key, t / 4) for t in range(80) for key in ("a", "b", "a")]
    assert [shared.check(k, t) for k, t in steps] == [local.check(k, t) for k, t in steps]


def test_a_full_neighbourhood_forgets_the_least_recent_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shared_limit, "SLOTS", shared_limit.PROBE)  # one neighbourhood of PROBE slots...
    monkeypatch.setattr(shared_limit, "SIZE", shared_limit.PROBE * 24)  # ...the whole table
    limiter = SharedRateLimiter(create(tmp_path / "rates"), 60, burst=1)
    assert limiter.check("old", 0.0) == 0 and limiter.check("old", 0.0) == 1
    for n in range(shared_limit.PROBE):
        assert limiter.check(f"new{n}", 0.5) == 0  # seven fill the empty slots, the eighth takes "old"'s
    assert limiter.check("old", 0.5) == 0  # forgotten: a fresh bucket, memory stays bounded


def test_a_file_of_another_size_is_refused(tmp_path: Path) -> None:
    (tmp_path / "rates").write_bytes(b"\0" * 10)
    with pytest.raises(ValueError, match="not a rate table"):
        SharedRateLimiter(tmp_path / "rates", 60, burst=1)
