"""A snapshot whose checksum is right but whose contents do not decode at the start is rebuilt, never a
traceback (the checksum catches damage; these are forged, or written by a bug)."""

from __future__ import annotations

import marshal
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jinshui_qa.bootstrap import Rebuilder, assistant_for
from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.facts.loader import CHECKOUT_FACTS, load, read_files
from jinshui_qa.facts.records import Records, joined
from jinshui_qa.storage.index_store import SNAPSHOT_FILE, read_snapshot_parts, write_snapshot

QUESTIONS = ["金水区有多少家高新技术企业", "金水区的人口有多少", "How many high-tech firms?", "你好"]
Forge = Callable[[dict[str, Any], list[bytes]], None]


def _records(blobs: list[bytes], at: int, make: Callable[[int, bytes], bytes]) -> None:
    """Rewrite the records of blobs ``at`` (records) and ``at + 1`` (their ends): record ``i`` -> ``make(i, raw)``."""
    held = Records(blobs[at], blobs[at + 1], lambda plain: plain)
    blobs[at], blobs[at + 1] = joined(make(i, bytes(held.raw(i))) for i in range(len(held)))


def _facts_as(plain: object) -> Forge:
    """Every fact's record replaced, and the keys of the checks across files not adopted: a start with a
    changed file then checks every file's facts, so it reads every record."""

    def forge(payload: dict[str, Any], blobs: list[bytes]) -> None:
        _records(blobs, payload["facts"][0], lambda i, raw: marshal.dumps(plain))
        payload["keys"] = {}

    return forge


def _facts_noise(payload: dict[str, Any], blobs: list[bytes]) -> None:  # bytes that are not UTF-8
    _records(blobs, payload["facts"][0], lambda i, raw: raw[:5] + b"\xff\xfe" + raw[7:])
    payload["keys"] = {}


def _forms(payload: dict[str, Any], blobs: list[bytes]) -> None:  # read by the first reload
    blobs[payload["forms"]] = marshal.dumps(({1: 2}, 5))


def _keys(payload: dict[str, Any], blobs: list[bytes]) -> None:  # decoded at the first build: full checks
    blobs[payload["keys"][0]] = b"\x00 not marshal"


def _decisions(assistant: Assistant) -> list[tuple[str, str | None, float]]:
    routed = map(assistant.router.route, [f.questions_zh[0] for f in assistant.base.facts] + QUESTIONS)
    return [(r.status, r.fact_id, r.score) for r in routed]


@pytest.mark.parametrize(
    "forge", [_facts_as({"id": 1}), _facts_as(("x",)), _facts_as(5), _facts_noise, _forms, _keys]
)
def test_a_snapshot_that_does_not_decode_at_the_start_is_rebuilt(tmp_path: Path, forge: Forge) -> None:
    facts = Path(shutil.copytree(CHECKOUT_FACTS, tmp_path / "facts"))
    snapshot = tmp_path / "data" / SNAPSHOT_FILE
    first = Rebuilder(snapshot=snapshot)
    first.start(facts)
    key = first._key(read_files(facts))
    parts = read_snapshot_parts(snapshot, key)
    assert parts is not None
    payload, views = parts
    blobs = [bytes(v) for v in views]
    forge(payload, blobs)
    write_snapshot(snapshot, key, payload, blobs)  # a valid checksum over contents that do not decode
    talent = facts / "talent.yaml"  # a changed file: the start checks it against the others' facts
    talent.write_text(talent.read_text(encoding="utf-8").replace("2026-11-30", "2026-11-29", 1), "utf-8")
    fresh = _decisions(assistant_for(load(facts)))
    rebuilt = Rebuilder(snapshot=snapshot)
    assert _decisions(rebuilt.start(facts)) == fresh
    live = rebuilt.last
    assert live is not None
    rebuilt(live.base)  # a reload reads what the start left unread (the names' forms)
    rebuilt.flush()
    again = Rebuilder(snapshot=snapshot)  # whatever was read, a good snapshot is in place now
    assert _decisions(again.start(facts)) == fresh and again.files.parsed == []
