"""The web API never sends back a control character the user typed (a compound reply quotes the parts it
could not answer)."""

from __future__ import annotations

import httpx

from tests.conversation.test_echoed_controls import CONTROLS, HOSTILE, QUESTIONS


async def test_the_web_api_reply_has_no_control_character(client: httpx.AsyncClient) -> None:
    for hostile in HOSTILE:
        question = QUESTIONS[1].format(x=hostile)
        data = (await client.post("/api/ask", json={"question": question})).json()
        assert "723" in data["reply"]  # the first part is answered
        assert not CONTROLS.search(data["reply"].replace("\n", "")), repr(data["reply"])
