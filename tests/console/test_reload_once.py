"""``/reload`` of a bad facts directory says each problem once, as ``file:line: message`` (or ``file:
message`` for a problem of the whole file, such as a directory named like a facts file): the reply to
/reload says it, the watcher's notice does not say it again."""

from __future__ import annotations

import functools
import io
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import jinshui_qa.facts.live
from jinshui_qa.cli import main
from tests.console.test_console import Script
from tests.support.tiny import REAL_FACTS


def _chat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: Callable[[Path], None]) -> str:
    """The output of ``chat`` on a copy of the facts edited by ``edit`` once it runs, then ``/reload``:
    only /reload reads the directory again (no watcher pass)."""
    facts = Path(shutil.copytree(REAL_FACTS, tmp_path / "facts"))
    monkeypatch.setenv("JQA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(
        jinshui_qa.facts.live,
        "LiveAssistant",
        functools.partial(jinshui_qa.facts.live.LiveAssistant, interval=3600),
    )
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdin", Script(functools.partial(edit, facts), "/reload", "/quit"))
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["chat", "--facts", str(facts)]) == 0
    return out.getvalue()


def _break(facts: Path) -> None:
    path = facts / "talent.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("questions:", "questions: [", 1), encoding="utf-8"
    )


def test_reload_of_a_malformed_file_reports_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _chat(tmp_path, monkeypatch, _break)
    assert text.count("talent.yaml:") == 1, text
    assert "[事实未重新加载，仍使用原来的事实: talent.yaml:" in text
    assert "[facts not reloaded" not in text  # the watcher's English notice is not shown as well
    assert capsys.readouterr().err == ""


def test_a_directory_named_like_a_facts_file_is_said_to_be_one_without_a_line_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _chat(tmp_path, monkeypatch, lambda facts: (facts / "x.yaml").mkdir())
    assert text.count("x.yaml") == 1, text
    assert "x.yaml: is a directory, not a file" in text and "x.yaml:0" not in text


def test_check_names_a_directory_without_a_line_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = Path(shutil.copytree(REAL_FACTS, tmp_path / "facts"))
    (facts / "dir.yaml").mkdir()
    assert main(["check", "--facts", str(facts)]) == 1
    assert "dir.yaml: is a directory, not a file" in capsys.readouterr().out + capsys.readouterr().err
