"""Settings from the environment and .env, and keeping the token out of messages and logs."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from telegram.error import InvalidToken

from jinshui_qa.errors import ConfigError
from jinshui_qa.settings import DEFAULT_DATA_DIR, parse_env_file
from jinshui_qa.telegram.settings import DEFAULT_API_URL, Settings, load_settings, protect_logs, redact
from tests.support.telegram_harness import SECRET_PART, TOKEN


def test_defaults_from_a_token_alone(tmp_path: Path) -> None:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": f" {TOKEN} "}, tmp_path / "none.env")
    assert settings == Settings(token=TOKEN)
    assert (settings.api_url, settings.data_dir, settings.facts_dir) == (
        DEFAULT_API_URL,
        DEFAULT_DATA_DIR,
        None,
    )
    assert settings.base_url == "https://api.telegram.org/bot"
    assert settings.base_file_url == "https://api.telegram.org/file/bot"
    assert SECRET_PART not in repr(settings)


def test_env_file_syntax_and_the_environment_winning(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text(
        "# comment\n\nexport TELEGRAM_BOT_TOKEN='" + TOKEN + "'\n"
        'TELEGRAM_API_URL="http://127.0.0.1:8081/"  # local Bot API server\n'
        "JQA_DATA_DIR=/srv/jqa # data\nJQA_ADMIN_IDS= 1, 22 ,333,\nJQA_FACTS_DIR=/from/file\n",
        encoding="utf-8",
    )
    settings = load_settings({"JQA_FACTS_DIR": "/from/env"}, env)
    assert settings.token == TOKEN
    assert settings.base_url == "http://127.0.0.1:8081/bot"
    assert settings.data_dir == Path("/srv/jqa")
    assert settings.admin_ids == frozenset({1, 22, 333})
    assert settings.facts_dir == Path("/from/env")


def test_dot_env_in_the_working_directory_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        f"TELEGRAM_BOT_TOKEN={TOKEN}\nJQA_WEBHOOK_SECRET=abc_DEF-1\n", encoding="utf-8"
    )
    settings = load_settings({})
    assert settings.token == TOKEN and settings.webhook_secret == "abc_DEF-1"


@pytest.mark.parametrize(
    ("line", "message"),
    [("TELEGRAM_BOT_TOKEN", ":1: expected KEY=value"), ("A='unterminated", ":1: unterminated quote")],
)
def test_bad_env_lines_name_the_line_not_the_value(tmp_path: Path, line: str, message: str) -> None:
    env = tmp_path / ".env"
    env.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        parse_env_file(env)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "   ",
        SECRET_PART,
        "abc:" + SECRET_PART,
        "123:" + SECRET_PART[:29],
        "123:" + SECRET_PART + "!",
        f"{TOKEN} x",
    ],
)
def test_missing_or_malformed_tokens_never_echo_the_token(token: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"TELEGRAM_BOT_TOKEN": token}, tmp_path / "none.env")
    message = str(caught.value)
    assert "TELEGRAM_BOT_TOKEN" in message and "\n" not in message
    assert SECRET_PART[:10] not in message


def test_redact_keeps_the_bot_id_and_hides_the_secret() -> None:
    url = f"https://api.telegram.org/bot{TOKEN}/getMe and {TOKEN.replace(':', '%3A')}"
    assert (
        redact(url, TOKEN)
        == "https://api.telegram.org/bot987654321:[REDACTED]/getMe and 987654321%3A[REDACTED]"
    )
    assert redact("webhook s3cret-x", "s3cret-x") == "webhook [REDACTED]"
    assert redact("nothing here", "", TOKEN) == "nothing here"


def test_protected_logs_hide_the_token_in_messages_arguments_and_tracebacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    protect_logs(TOKEN)
    log = logging.getLogger("some.library")
    log.info("calling https://api.telegram.org/bot%s/getMe", TOKEN)
    log.warning(f"plain {TOKEN}")
    try:
        raise InvalidToken(f"The token `{TOKEN}` was rejected by the server.")
    except InvalidToken:
        log.exception("startup failed")
    assert len(caplog.records) == 3
    assert SECRET_PART not in caplog.text
    assert (
        "bot987654321:[REDACTED]/getMe" in caplog.text and "The token `987654321:[REDACTED]`" in caplog.text
    )


def test_the_healthcheck_reads_dot_env_and_imports_nothing_heavy(tmp_path: Path) -> None:
    """The container runs it every 30 s: the data directory comes from .env as for the bot, and neither
    python-telegram-bot nor the maintenance commands (SQLite, rapidfuzz) are imported."""
    import os
    import subprocess
    import sys

    from jinshui_qa.telegram.heartbeat import HEARTBEAT_FILE, write_heartbeat

    root = Path(__file__).resolve().parents[2]
    (tmp_path / ".env").write_text(f"JQA_DATA_DIR={tmp_path / 'data'}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "JQA_"))}
    env["PYTHONPATH"] = str(root / "src")
    script = ("import sys\nfrom jinshui_qa.cli import main\ncode = main(['bot', '--healthcheck'])\n"
              "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('telegram', 'sqlite3', 'rapidfuzz', "
              "'aiohttp', 'httpx', 'yaml') or m.startswith(('jinshui_qa.maintenance', 'jinshui_qa.storage')))\n"
              "print(code, heavy)")  # fmt: skip

    def healthcheck() -> tuple[str, str]:
        run = subprocess.run(
            [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        return run.stdout.strip(), run.stderr.strip()

    out, err = healthcheck()
    assert out == "1 []"
    assert err == f"jinshui-qa bot: unhealthy: no heartbeat in {tmp_path / 'data' / HEARTBEAT_FILE} yet"
    write_heartbeat(tmp_path / "data" / HEARTBEAT_FILE)
    assert healthcheck() == ("healthy: heartbeat 0 s ago\n0 []", "")


def test_shared_settings_read_dot_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jinshui_qa.settings import data_dir, facts_setting, read_env

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JQA_DATA_DIR", raising=False)
    monkeypatch.delenv("JQA_FACTS_DIR", raising=False)
    assert data_dir() == DEFAULT_DATA_DIR and facts_setting() is None
    (tmp_path / ".env").write_text("JQA_DATA_DIR=/srv/jqa\nJQA_FACTS_DIR=/srv/facts\n", encoding="utf-8")
    assert data_dir() == Path("/srv/jqa") and facts_setting() == "/srv/facts"
    assert data_dir("/given") == Path("/given") and facts_setting("given") == "given"
    monkeypatch.setenv("JQA_DATA_DIR", "/from/environment")
    assert data_dir() == Path("/from/environment")
    with pytest.raises(ConfigError, match=r"^env file missing\.env does not exist$"):
        read_env(env_file="missing.env", require_env_file=True)


def test_a_malformed_api_url_is_a_one_line_error() -> None:
    from jinshui_qa.errors import ConfigError
    from jinshui_qa.telegram.settings import load_settings as load

    token = "123456:" + "a" * 35
    with pytest.raises(ConfigError, match="TELEGRAM_API_URL is not a valid URL"):
        load({"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": "http://[::1"}, env_file="/nonexistent")
