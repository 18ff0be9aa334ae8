"""The Makefile as a newcomer meets it: a half-created .venv, `make audit` without its file, pinned tools."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed on this machine")


def make(tmp: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    """``make TARGET`` with this checkout's Makefile, run in ``tmp`` (so its .venv is tmp/.venv)."""
    argv = [
        "make",
        "--no-print-directory",
        "-f",
        str(ROOT / "Makefile"),
        f"PYTHON={sys.executable}",
        *targets,
    ]
    return subprocess.run(argv, cwd=tmp, capture_output=True, text=True, timeout=120, check=False)


@needs_make
def test_a_half_created_venv_is_detected_with_a_hint(tmp_path: Path) -> None:
    # What Debian leaves behind when python3-venv is missing: a python, no pip.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / ".venv")], check=True)
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    result = make(tmp_path, "chat")
    assert result.returncode != 0
    assert "jinshui-qa: .venv is half-created (it has no pip" in result.stderr
    assert "sudo apt install python3-venv), then: rm -rf .venv && make chat" in result.stderr
    assert "No module named pip" not in result.stderr + result.stdout


@needs_make
def test_make_audit_wants_the_report_first(tmp_path: Path) -> None:
    result = make(tmp_path, "audit")
    assert result.returncode != 0
    assert "usage: make audit SOURCE=path/to/report.txt" in result.stderr
    assert not (tmp_path / ".venv").exists()  # refused before installing anything


def test_dev_tools_are_pinned_and_chat_needs_no_bot() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dev = [d for d in project["optional-dependencies"]["dev"] if not d.startswith("jinshui-qa")]
    assert dev and all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[0-9][0-9A-Za-z.]*", d) for d in dev), dev
    runtime = " ".join(project["dependencies"])
    assert "telegram" not in runtime and "aiohttp" not in runtime  # `make chat` installs only these
    assert any(d.startswith("python-telegram-bot") for d in project["optional-dependencies"]["bot"])
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install --quiet -e .\n" in makefile and "-e '.[dev]'" in makefile


def test_license_is_the_one_pyproject_names() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")


def test_the_readme_states_the_retention_the_log_applies() -> None:
    from jinshui_qa.storage.question_log import RETENTION_DAYS

    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"Rows older than {RETENTION_DAYS} days are deleted" in readme
    assert "No user id, name, username, chat title or IP address is stored" in readme
