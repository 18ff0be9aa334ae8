"""A data directory that cannot hold the question log is refused when a channel starts (``chat``, ``bot``,
``web``): one line on standard error and exit 2, never a session whose rows are dropped afterwards."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from jinshui_qa.cli import main
from jinshui_qa.errors import ConfigError
from jinshui_qa.settings import usable_data_dir
from tests.support.tiny import REAL_FACTS
from tests.telegram.test_cli import TOKEN, parse
from tests.telegram.test_cli import run as run_bot


def unusable(tmp_path: Path) -> list[Path]:
    """A file, a path below a file, and a directory no one can create files in (even root: /proc)."""
    file = tmp_path / "passwd"
    file.write_text("root:x:0:0\n", encoding="utf-8")
    return [file, file / "below", Path("/proc")]


def test_a_file_or_an_unwritable_directory_is_refused_with_one_line(tmp_path: Path) -> None:
    for path in unusable(tmp_path):
        with pytest.raises(ConfigError, match="data directory") as caught:
            usable_data_dir(path)
        assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_a_missing_directory_is_created_private_and_left_empty(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b"
    assert usable_data_dir(target) == target
    assert target.is_dir() and target.stat().st_mode & 0o777 == 0o700 and list(target.iterdir()) == []


def test_chat_refuses_before_the_greeting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for path in unusable(tmp_path):
        monkeypatch.setattr("sys.stdin", io.StringIO("金水区有几家高企\n"))
        assert main(["chat", "--facts", str(REAL_FACTS), "--data-dir", str(path)]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1 and err.startswith("jinshui-qa: the data directory"), err


def test_web_and_bot_refuse_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JQA_WEB_SECRET_FILE", str(tmp_path / "secret"))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    for path in unusable(tmp_path):
        assert main(["web", "--facts", str(REAL_FACTS), "--data-dir", str(path)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "the data directory" in err, err
        monkeypatch.setenv("JQA_DATA_DIR", str(path))
        assert run_bot(parse("--facts", str(REAL_FACTS))) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "the data directory" in err, err
