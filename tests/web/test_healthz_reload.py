"""GET /healthz says when the last reload of the facts failed: still 200 (the facts in use are the last good
ones), with ``status: degraded``, ``last_reload: failed``, the number of problems and when."""

from __future__ import annotations

import datetime as dt

import httpx

from jinshui_qa.facts.live import LiveAssistant
from jinshui_qa.web.app import create_app
from jinshui_qa.web.settings import WebSettings
from tests.support.tiny import BETA, WriteFacts
from tests.web.conftest import ORIGIN, SECRET


async def health(live: LiveAssistant) -> tuple[int, dict[str, object]]:
    app = create_app(live, WebSettings(secret=SECRET, origins=(ORIGIN,)))
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/healthz")
    return response.status_code, response.json()


async def test_healthz_reports_a_failed_reload_and_its_recovery(write_facts: WriteFacts) -> None:
    directory = write_facts()
    live = LiveAssistant(directory)
    facts = len(live().base.facts)
    code, data = await health(live)
    assert code == 200 and data["status"] == "ok" and data["last_reload"] == "ok"
    assert data["reload_problems"] == 0 and data["last_reload_at"] is None

    write_facts(**{"beta.yaml": BETA.replace("verified: ", "verified: not-a-date ", 1)})
    assert live.reload(allow_removal=False)
    code, data = await health(live)
    assert code == 200 and data["facts"] == facts  # the good facts keep answering
    assert data["status"] == "degraded" and data["last_reload"] == "failed" and data["reload_problems"] == 1
    at = dt.datetime.strptime(str(data["last_reload_at"]), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    assert abs((dt.datetime.now(dt.UTC) - at).total_seconds()) < 60

    write_facts()
    assert live.reload(allow_removal=False) == []
    code, data = await health(live)
    assert code == 200 and data["status"] == "ok" and data["last_reload"] == "ok"
    assert data["reload_problems"] == 0 and data["last_reload_at"] is not None
