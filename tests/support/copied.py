"""Fixtures of the tests that edit facts and keep a snapshot: a copy of the checkout's facts and the data
directory's snapshot path (nothing written there yet)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jinshui_qa.facts.loader import CHECKOUT_FACTS
from jinshui_qa.storage.index_store import SNAPSHOT_FILE


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    """A copy of the checkout's ``facts/`` in ``tmp_path / "facts"``, free to edit."""
    return Path(shutil.copytree(CHECKOUT_FACTS, tmp_path / "facts"))


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    """Where the data directory's snapshot goes: ``tmp_path / "data" / SNAPSHOT_FILE``."""
    return tmp_path / "data" / SNAPSHOT_FILE
