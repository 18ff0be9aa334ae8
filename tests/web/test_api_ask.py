"""POST /api/ask, GET /api/topics, GET /healthz in-process: replies, follow-ups by token, the question log row."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import httpx

from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.storage.question_log import read_questions
from jinshui_qa.web.tokens import TokenSigner, Turn
from tests.web.conftest import Clock

ASK_JSON_KEYS = {"question", "status", "fact_id", "reply", "score", "lang", "options", "related", "source",
                 "topic", "reason"}  # fmt: skip


async def test_an_answer_is_the_ask_json_object_plus_id_context_and_period(
    client: httpx.AsyncClient, assistant: Assistant
) -> None:
    r = await client.post("/api/ask", json={"question": "金水区科技型企业有几家"})
    assert r.status_code == 200
    data = r.json()
    expected = assistant.reply("金水区科技型企业有几家").to_json()
    assert {k: data[k] for k in expected} == expected and set(expected) >= ASK_JSON_KEYS
    assert data["fact_id"] == "tech_enterprises" and data["source"] and "来源" in data["reply"]
    assert len(data["question_id"]) == 32 and int(data["question_id"], 16) >= 0
    assert data["period"] == assistant.base.fact("tech_enterprises").time
    assert data["period_label"].startswith("2022年")
    assert len(data["context"]) < 400


async def test_english_question_gets_an_english_answer_and_period(client: httpx.AsyncClient) -> None:
    data = (
        await client.post("/api/ask", json={"question": "How many high-tech enterprises does Jinshui have?"})
    ).json()
    assert data["status"] == "answer" and data["lang"] == "en" and data["fact_id"] == "high_tech_enterprises"
    assert "Source" in data["reply"] and "年" not in data["period_label"]


async def test_follow_ups_chain_through_the_context_token(client: httpx.AsyncClient) -> None:
    first = (await client.post("/api/ask", json={"question": "金水区科技型企业有几家"})).json()
    second = (
        await client.post("/api/ask", json={"question": "那高企呢", "context": first["context"]})
    ).json()
    assert second["fact_id"] == "high_tech_enterprises"
    third = (
        await client.post("/api/ask", json={"question": "在全市占比多少", "context": second["context"]})
    ).json()
    assert third["status"] == "answer" and third["fact_id"] == "high_tech_enterprises"
    alone = (await client.post("/api/ask", json={"question": "在全市占比多少"})).json()
    assert alone["status"] == "clarify"  # so the token is what made the third an answer


async def test_two_replicas_with_one_secret_serve_one_conversation(
    make_client: Callable[..., httpx.AsyncClient],
) -> None:
    async with (
        make_client(log=False) as a,
        make_client(log=False) as b,
        make_client(log=False, secret=b"another-secret-0123456789") as c,
    ):
        first = (await a.post("/api/ask", json={"question": "金水区科技型企业有几家"})).json()
        second = (await b.post("/api/ask", json={"question": "那高企呢", "context": first["context"]})).json()
        third = (
            await a.post("/api/ask", json={"question": "在全市占比多少", "context": second["context"]})
        ).json()
        assert (second["fact_id"], third["fact_id"]) == ("high_tech_enterprises", "high_tech_enterprises")
        other = await c.post("/api/ask", json={"question": "在全市占比多少", "context": second["context"]})
        assert other.status_code == 200 and other.json()["status"] == "clarify"  # a foreign token is ignored


async def test_forged_and_malformed_tokens_are_ignored_not_errors(client: httpx.AsyncClient) -> None:
    second = (await client.post("/api/ask", json={"question": "金水区科技型企业有几家"})).json()
    payload, mac = second["context"].split(".")
    forged_turns = TokenSigner(b"not-the-server-secret-xyz").dump(
        [Turn(1_800_000_000.0, "q", "金水区科技型企业有几家")]
    )
    for token in (payload[:-2] + "AA." + mac, payload + "." + mac[::-1], "garbage", "a.b", forged_turns, "",
                  "金水." + mac):  # fmt: skip
        r = await client.post("/api/ask", json={"question": "在全市占比多少", "context": token})
        assert r.status_code == 200 and r.json()["status"] == "clarify", token


async def test_an_expired_token_is_ignored(client: httpx.AsyncClient, clock: Clock) -> None:
    first = (await client.post("/api/ask", json={"question": "金水区科技型企业有几家"})).json()
    clock.now += 599
    assert (await client.post("/api/ask", json={"question": "那高企呢", "context": first["context"]})).json()[
        "fact_id"
    ] == "high_tech_enterprises"
    second = (
        await client.post("/api/ask", json={"question": "在全市占比多少", "context": first["context"]})
    ).json()
    assert second["fact_id"] == "tech_enterprises"  # still within 600 s of the first turn
    clock.now += 601
    late = (
        await client.post("/api/ask", json={"question": "在全市占比多少", "context": second["context"]})
    ).json()
    assert late["status"] == "clarify"


async def test_a_clarify_option_is_pressed_by_fact_id_or_by_number(client: httpx.AsyncClient) -> None:
    clarify = (await client.post("/api/ask", json={"question": "投资"})).json()
    assert clarify["status"] == "clarify" and len(clarify["options"]) >= 2
    option = clarify["options"][1]
    pressed = (
        await client.post("/api/ask", json={"fact_id": option["fact_id"], "context": clarify["context"]})
    ).json()
    assert pressed["status"] == "answer" and pressed["fact_id"] == option["fact_id"]
    assert pressed["question"] == option["title"]
    numbered = (await client.post("/api/ask", json={"question": "2", "context": clarify["context"]})).json()
    assert numbered["fact_id"] == option["fact_id"]
    unknown = await client.post("/api/ask", json={"fact_id": "no_such_fact"})
    assert unknown.status_code == 200 and unknown.json()["status"] == "fallback"


async def test_lang_applies_to_a_button_answer(client: httpx.AsyncClient) -> None:
    data = (await client.post("/api/ask", json={"fact_id": "tech_enterprises", "lang": "en"})).json()
    assert data["lang"] == "en" and data["period_label"] == "2022"


async def test_the_question_log_gets_a_web_row_with_a_keyed_client_hash(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    data = (await client.post("/api/ask", json={"question": "金水区科技型企业有几家"})).json()
    rows = read_questions(tmp_path / "data" / "questions.db")
    assert len(rows) == 1
    row = rows[0]
    assert (row.channel, row.question, row.fact_id, row.question_id) == (
        "web", "金水区科技型企业有几家", "tech_enterprises", data["question_id"])  # fmt: skip
    assert row.user_hash and "203.0.113.7" not in row.user_hash
    raw = b"".join(p.read_bytes() for p in (tmp_path / "data").iterdir() if p.is_file())
    assert b"203.0.113.7" not in raw
    with sqlite3.connect(tmp_path / "data" / "questions.db") as conn:
        assert "203.0.113.7" not in repr(conn.execute("select * from questions").fetchall())


async def test_topics_follow_the_query_then_accept_language(
    client: httpx.AsyncClient, assistant: Assistant
) -> None:
    en = (await client.get("/api/topics", headers={"Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"})).json()
    zh = (await client.get("/api/topics", params={"lang": "zh"}, headers={"Accept-Language": "en"})).json()
    assert (en["lang"], zh["lang"]) == ("en", "zh")
    assert [t["id"] for t in en["topics"]] == [t.id for t in assistant.base.topics]
    assert en["topics"][0]["title"] == assistant.base.topics[0].title.en
    assert sum(len(t["questions"]) for t in zh["topics"]) == len(assistant.base.facts)
    assert zh["examples"] == assistant.examples("zh")
    assert (await client.get("/api/topics", params={"lang": "fr"})).status_code == 422


async def test_healthz_reports_the_facts(client: httpx.AsyncClient, assistant: Assistant) -> None:
    data = (await client.get("/healthz")).json()
    assert data["status"] == "ok" and data["facts_loaded"] is True
    assert data["facts"] == len(assistant.base.facts)
    assert data["version"] == assistant.base.fingerprint[:16]
