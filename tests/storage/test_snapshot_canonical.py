"""The snapshot's bytes depend on the facts only: after reloads as after a full build, whatever the hash seed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from jinshui_qa.bootstrap import Rebuilder, assistant_for
from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.facts.live import LiveAssistant
from jinshui_qa.facts.loader import CHECKOUT_FACTS, load, read_files
from jinshui_qa.routing.canonical import canonical
from jinshui_qa.routing.packed import BAG, CHANNELS, DOCS, PY_BAG, PY_DOCS
from jinshui_qa.routing.segments import Layout
from jinshui_qa.storage.index_store import SNAPSHOT_FILE, read_snapshot_parts
from tests.support.live_facts import NEW_FACT

SRC = Path(__file__).resolve().parents[2] / "src"
BUILD = "import sys, pathlib; from jinshui_qa.rebuilder import Rebuilder; Rebuilder(snapshot=pathlib.Path(sys.argv[2])).start(pathlib.Path(sys.argv[1]))"  # fmt: skip


def _parts(rebuilder: Rebuilder, facts: Path) -> tuple[dict[str, Any], list[bytes]]:
    assert rebuilder.snapshot is not None
    parts = read_snapshot_parts(rebuilder.snapshot, rebuilder._key(read_files(facts)))
    assert parts is not None
    payload, blobs = parts
    return payload, [bytes(b) for b in blobs]


def _decisions(assistant: Assistant) -> list[tuple[str, str | None, float]]:
    texts = [f.questions_zh[-1] for f in assistant.base.facts] + [
        f.questions_en[0] for f in assistant.base.facts
    ]
    return [(r.status, r.fact_id, r.score) for r in map(assistant.router.route, texts)]


def _by_strings(
    layout: Layout,
) -> tuple[list[list[list[str]]], dict[str, list[int]], dict[str, tuple[int, float]]]:
    """Each position's token strings per channel, each token's positions, document frequency and weight."""
    words = layout.tokens.words
    rows = [
        [[words[t] if t >= 0 else "" for t in layout.row(i, c)] for c in range(CHANNELS)]
        for i in range(len(layout))
    ]
    held = [t for t in range(layout.count) if layout.df[t]]
    postings = {words[t]: list(layout.positions(t)) for t in held}
    return rows, postings, {words[t]: (layout.df[t], layout.wt[t]) for t in held}


@pytest.mark.parametrize("edit", ["add", "change"])
def test_the_snapshot_written_after_a_reload_is_the_full_builds(tmp_path: Path, edit: str) -> None:
    facts = Path(shutil.copytree(CHECKOUT_FACTS, tmp_path / "facts"))
    rebuilder = Rebuilder(snapshot=tmp_path / "reloaded" / SNAPSHOT_FILE)
    live = LiveAssistant(facts, rebuilder.start(facts), build=rebuilder, files=rebuilder.files)
    talent = facts / "talent.yaml"
    text = talent.read_text(encoding="utf-8")
    talent.write_text(text.rstrip("\n") + "\n" + NEW_FACT if edit == "add" else text.replace("2026-11-30", "2026-11-29", 1),
                      encoding="utf-8")  # fmt: skip
    assert live.reload() == []
    layout = live().router.index.layout
    assert layout.remap is not None and len(layout.delta)  # a delta segment over the first build's base
    rebuilder.flush()
    full = Rebuilder(snapshot=tmp_path / "full" / SNAPSHOT_FILE)
    fresh = full.start(facts)
    (reloaded, reloaded_blobs), (built, built_blobs) = _parts(rebuilder, facts), _parts(full, facts)
    assert reloaded_blobs == built_blobs  # the index, the facts, their slots: the same bytes
    del reloaded["readings"], built["readings"]  # a cache of pinyin look-ups: what the process read
    assert reloaded == built
    restarted = Rebuilder(snapshot=rebuilder.snapshot)
    started = restarted.start(facts)
    assert restarted.files.parsed == [] and started.router.index.layout.remap is None
    assert _decisions(started) == _decisions(fresh) == _decisions(assistant_for(load(facts)))


def test_the_stored_layout_holds_every_facts_tokens_and_postings_as_the_index_does(tmp_path: Path) -> None:
    facts = Path(shutil.copytree(CHECKOUT_FACTS, tmp_path / "facts"))
    rebuilder = Rebuilder(snapshot=tmp_path / SNAPSHOT_FILE)
    live = LiveAssistant(facts, rebuilder.start(facts), build=rebuilder, files=rebuilder.files)
    first = live().router.index.layout  # a full build's: tokens numbered as met
    talent = facts / "talent.yaml"
    talent.write_text(talent.read_text(encoding="utf-8").rstrip("\n") + "\n" + NEW_FACT, encoding="utf-8")
    assert live.reload() == []
    reloaded = live().router.index.layout  # a delta with new tokens
    rebuilder.flush()
    restarted = Rebuilder(snapshot=tmp_path / SNAPSHOT_FILE)
    again = LiveAssistant(facts, restarted.start(facts), build=restarted, files=restarted.files)
    stored = again().router.index.layout
    assert canonical(stored) is stored  # as the snapshot holds it
    talent.write_text(
        talent.read_text(encoding="utf-8").replace("2026-11-30", "2026-11-29", 1), encoding="utf-8"
    )
    assert again.reload() == []
    edited = again().router.index.layout  # a delta, no token come or gone: numbered as stored
    assert edited.remap is not None and edited.tokens.words[: edited.count] == sorted(stored.tokens.words)
    for layout in (first, reloaded, edited):
        stored = canonical(layout)
        assert stored.remap is None and not len(stored.delta)
        assert _by_strings(stored) == _by_strings(layout)  # fact by fact, token by token
        assert list(stored.tokens.words) == sorted(stored.tokens.words)
        for i in range(len(stored)):  # each document and bag in its tokens' order, as a full build
            for channel in (DOCS, BAG, PY_DOCS, PY_BAG):
                row = stored.row(i, channel).tolist()
                runs = [row] if channel in (BAG, PY_BAG) else [r for r in _split(row) if r]
                assert all(run == sorted(run) for run in runs)


def _split(row: list[int]) -> list[list[int]]:
    out: list[list[int]] = [[]]
    for t in row:
        if t < 0:
            out.append([])
        else:
            out[-1].append(t)
    return out


def test_two_builds_of_the_same_facts_write_the_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    written = []
    for seed in ("1", "2"):
        out = tmp_path / seed / SNAPSHOT_FILE
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(SRC))
        subprocess.run([sys.executable, "-c", BUILD, str(CHECKOUT_FACTS), str(out)], check=True, env=env)
        written.append(out.read_bytes())
    assert written[0] == written[1]
