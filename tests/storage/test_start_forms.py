"""The forms a start from the snapshot would fold again, kept beside it (storage/start_forms.py,
bootstrap's ``_started``): every stored form is the one computed again, a start that reads them folds
nothing and routes as a start that folds, and a file of another key or damaged is not used."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jinshui_qa.bootstrap import assistant_for, bootstrap
from jinshui_qa.conversation.assistant import Assistant, Session
from jinshui_qa.facts.loader import load
from jinshui_qa.storage import start_forms
from jinshui_qa.storage.index_store import SNAPSHOT_FILE
from jinshui_qa.text import normalize
from jinshui_qa.text.normalize import Normalizer

QUESTIONS = ["金水区有多少家高新技术企业", "How many high-tech firms?", "gaoxin qiye you duoshao",
             "金水區2021年的GDP是多少", "二七区有多少家高新技术企业", "你好", "科技型企业是3000家吗"]  # fmt: skip


def _folds(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every fold and canonical form computed from now on (not taken from a memo)."""
    done: list[Any] = []
    fold, canonical = normalize._fold, Normalizer._canonical
    monkeypatch.setattr(normalize, "_fold", lambda *a: done.append(a) or fold(*a))
    monkeypatch.setattr(Normalizer, "_canonical", lambda self, t: done.append(t) or canonical(self, t))
    return done


def _routes(assistant: Assistant) -> list[Any]:
    texts = [f.questions_zh[0] for f in assistant.base.facts] + [
        f.questions_en[-1] for f in assistant.base.facts
    ]
    return [(r.status, r.fact_id, r.score, r.reason) for r in map(assistant.router.route, texts + QUESTIONS)]


def test_a_start_reads_the_forms_the_last_start_computed(
    facts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    bootstrap(facts, data=data)  # a full build: writes the snapshot, not the forms
    forms = data / start_forms.FILE
    assert not forms.exists()
    counted = _folds(monkeypatch)
    folding = bootstrap(facts, data=data)  # a start from the snapshot: folds, then writes what it folded
    assert len(counted) > 500 and forms.is_file()
    counted.clear()
    reading = bootstrap(facts, data=data)
    assert counted == []  # nothing folded again
    assert _routes(reading) == _routes(folding) == _routes(assistant_for(load(facts)))
    assert [reading.reply(q, Session(), now=0.0).text for q in QUESTIONS] == [
        folding.reply(q, Session(), now=0.0).text for q in QUESTIONS
    ]


def test_every_stored_form_is_the_one_computed_again(facts: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    bootstrap(facts, data=data)
    bootstrap(facts, data=data)
    key = (data / SNAPSHOT_FILE).read_bytes()[8:72].decode()
    stored = start_forms.read(data / start_forms.FILE, key)
    assert stored is not None
    folded, canonical = stored
    assert len(folded) > 500 and len(canonical) > 500
    assert all(normalize._fold(*text) == form for text, form in folded.items())
    normalizer = Normalizer(load(facts).vocabulary)
    assert all(normalizer._canonical(text) == form for text, form in canonical.items())


def _damage(path: Path, at: int) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x20
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["magic", "key", "digest", "body", "truncated", "empty", "directory"])
def test_a_file_of_another_key_or_damaged_is_not_used_and_written_again(
    damage: str, facts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    bootstrap(facts, data=data)
    bootstrap(facts, data=data)
    forms = data / start_forms.FILE
    good = forms.read_bytes()
    head = len(start_forms.MAGIC)
    if damage == "truncated":
        forms.write_bytes(good[:-7])
    elif damage == "empty":
        forms.write_bytes(b"")
    elif damage == "directory":
        forms.unlink()
        forms.mkdir()
    else:
        _damage(forms, {"magic": 0, "key": head + 3, "digest": head + 64 + 5, "body": len(good) - 9}[damage])
    counted = _folds(monkeypatch)
    started = bootstrap(facts, data=data)
    assert len(counted) > 500  # folded as without the file
    assert _routes(started) == _routes(assistant_for(load(facts)))
    if damage != "directory":  # a directory in its place stays (the write fails quietly)
        assert forms.read_bytes() == good


def test_the_forms_of_another_key_are_not_read(tmp_path: Path) -> None:
    path = tmp_path / start_forms.FILE
    start_forms.write(path, "a" * 64, {("x", True, True): "x"}, {"y": "y"})
    assert start_forms.read(path, "a" * 64) == ({("x", True, True): "x"}, {"y": "y"})
    assert start_forms.read(path, "b" * 64) is None
    assert start_forms.read(tmp_path / "missing", "a" * 64) is None
    start_forms.write(tmp_path / "no" / "dir" / "f", "a" * 64, {}, {})  # cannot be written: left as it is
    assert not (tmp_path / "no").exists()
