"""POST /api/feedback in-process, the votes table, and the pure pieces: tokens, the limiter, client addresses."""

from __future__ import annotations

import ipaddress
import sqlite3
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from jinshui_qa.storage.feedback import read_votes, tallies
from jinshui_qa.web.limits import RateLimiter, client_address
from jinshui_qa.web.service import accept_language, period_label
from jinshui_qa.web.tokens import MAX_TOKEN_CHARS, MAX_TURNS, TokenSigner, Turn


async def _answer(client: httpx.AsyncClient) -> str:
    data = (await client.post("/api/ask", json={"question": "金水区科技型企业有几家"})).json()
    return str(data["question_id"])


async def test_a_vote_is_stored_and_a_second_vote_replaces_it(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    qid = await _answer(client)
    r = await client.post("/api/feedback", json={"question_id": qid, "vote": "up"})
    assert r.status_code == 200 and r.json() == {"ok": True, "question_id": qid, "vote": "up"}
    r = await client.post("/api/feedback", json={"question_id": qid, "vote": "down", "comment": " 数字不对 "})
    assert r.status_code == 200
    votes = read_votes(tmp_path / "data" / "questions.db")
    assert [(v.question_id, v.channel, v.vote, v.comment) for v in votes] == [
        (qid, "web", "down", "数字不对")
    ]
    tally = tallies(votes)[qid]
    assert (tally.up, tally.down, tally.marked_wrong) == (0, 1, True)
    with sqlite3.connect(tmp_path / "data" / "questions.db") as conn:
        (voter,) = conn.execute("select voter_hash from feedback").fetchone()
    assert voter and "203.0.113.7" not in voter


async def test_votes_of_two_clients_are_counted_apart(
    make_client: Callable[..., httpx.AsyncClient], tmp_path: Path
) -> None:
    async with make_client() as one, make_client("198.51.100.4") as two:
        qid = await _answer(one)
        assert (await one.post("/api/feedback", json={"question_id": qid, "vote": "down"})).status_code == 200
        assert (await two.post("/api/feedback", json={"question_id": qid, "vote": "up"})).status_code == 200
    tally = tallies(read_votes(tmp_path / "data" / "questions.db"))[qid]
    assert (tally.up, tally.down) == (1, 1)


@pytest.mark.parametrize(
    "body",
    [{"question_id": "0" * 32, "vote": "sideways"}, {"question_id": "short", "vote": "up"},
     {"question_id": "0" * 32, "vote": "up", "comment": "x" * 501}, {"vote": "up"}],
)  # fmt: skip
async def test_bad_votes_are_422(client: httpx.AsyncClient, body: dict[str, object]) -> None:
    r = await client.post("/api/feedback", json=body)
    assert r.status_code == 422 and r.json()["error"] == "invalid_request"


async def test_a_vote_on_an_unknown_question_is_404(client: httpx.AsyncClient) -> None:
    await _answer(client)
    r = await client.post("/api/feedback", json={"question_id": "f" * 32, "vote": "up"})
    assert r.status_code == 404 and r.json()["error"] == "unknown_question"


async def test_votes_without_a_store_are_503(make_client: Callable[..., httpx.AsyncClient]) -> None:
    async with make_client(feedback=False) as client:
        qid = await _answer(client)
        r = await client.post("/api/feedback", json={"question_id": qid, "vote": "up"})
        assert r.status_code == 503 and r.json()["error"] == "feedback_unavailable"


async def test_a_store_that_fails_is_503_not_a_traceback(client: httpx.AsyncClient, tmp_path: Path) -> None:
    qid = await _answer(client)
    with sqlite3.connect(tmp_path / "data" / "questions.db") as conn:  # break the table under the app
        conn.execute("drop table if exists feedback")
        conn.execute("create view feedback as select 1 as id")
    r = await client.post("/api/feedback", json={"question_id": qid, "vote": "up"})
    assert r.status_code == 503 and r.json()["error"] == "store_unavailable"


async def test_votes_are_rate_limited_too(make_client: Callable[..., httpx.AsyncClient]) -> None:
    async with make_client(rate_burst=2) as client:
        qid = await _answer(client)
        codes = [
            (await client.post("/api/feedback", json={"question_id": qid, "vote": "up"})).status_code
            for _ in range(3)
        ]
        assert codes == [200, 200, 429]


# -- the pure pieces ---------------------------------------------------------------------------------
def test_tokens_round_trip_and_keep_only_recent_small_turns() -> None:
    signer = TokenSigner(b"k" * 32)
    turns = [Turn(1000.0 + i, "q", f"问题{i}" * 200, "zh") for i in range(10)]
    token = signer.dump(turns)
    assert len(token) <= MAX_TOKEN_CHARS
    back = signer.load(token, 1010.0)
    assert 1 <= len(back) <= MAX_TURNS and back[-1].ts == 1009.0 and back[-1].value.startswith("问题9")
    assert (
        signer.load(token, 1009.0 + 601) == [] and signer.load(token, 900.0) == []
    )  # expired, or from the future
    assert TokenSigner(b"j" * 32).load(token, 1010.0) == []
    with pytest.raises(ValueError):
        TokenSigner(b"short")


def test_rate_limiter_refills_and_forgets_idle_clients() -> None:
    limiter = RateLimiter(60, burst=2, max_keys=2)
    assert [limiter.check("a", 0.0) for _ in range(3)] == [0, 0, 1]
    assert limiter.check("a", 1.0) == 0
    limiter.check("b", 1.0)
    limiter.check("c", 1.0)
    assert limiter.check("a", 1.0) == 0  # forgotten beyond max_keys: a fresh bucket


def test_client_address_believes_only_trusted_proxies() -> None:
    proxies = (ipaddress.ip_network("10.0.0.0/8"),)
    scope = {"client": ("10.0.0.2", 1), "headers": [(b"x-forwarded-for", b"6.6.6.6, 192.0.2.8, 10.0.0.9")]}
    assert client_address(scope, proxies) == "192.0.2.8"
    assert client_address(scope, ()) == "10.0.0.2"
    assert client_address({"client": ("192.0.2.1", 1), "headers": scope["headers"]}, proxies) == "192.0.2.1"


def test_labels_for_periods_and_accept_language() -> None:
    assert period_label("2022-Q1", "zh") == "2022年1~3月" and period_label("2022-Q1", "en") == "Q1 2022"
    assert period_label("2022-03-25", "zh") == "2022年3月25日" and period_label("2022-02", "en") == "Feb 2022"
    assert accept_language("fr-FR,en;q=0.8,zh;q=0.9") == "zh" and accept_language("de") == "zh"
    assert accept_language("en-US,zh-CN;q=0.5") == "en"
