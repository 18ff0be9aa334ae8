"""docker-compose.yml, bot/Dockerfile and .env.example agree with the CLI and the settings it reads."""

from __future__ import annotations

import argparse
import json
import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from jinshui_qa.telegram.cli import add_parser, run
from jinshui_qa.telegram.settings import ENV_NAMES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def service(compose: dict[str, Any]) -> dict[str, Any]:
    bot: dict[str, Any] = compose["services"]["bot"]
    return bot


@pytest.fixture(scope="module")
def dockerfile() -> dict[str, list[str]]:
    """Instructions of bot/Dockerfile by keyword, continuation lines joined."""
    text = (ROOT / "bot" / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, rest = line.strip().partition(" ")
            found.setdefault(keyword.upper(), []).append(rest.strip())
    return found


def dockerfile_env(dockerfile: dict[str, list[str]]) -> dict[str, str]:
    pairs = [p for line in dockerfile["ENV"] for p in shlex.split(line)]
    return dict(p.split("=", 1) for p in pairs)


def command(value: str | list[str]) -> list[str]:
    """A compose/Dockerfile command in exec form (or a shell string) as an argv list."""
    if isinstance(value, list):
        return [str(v) for v in value]
    return list(json.loads(value)) if value.startswith("[") else shlex.split(value)


def parse_bot(argv: list[str]) -> argparse.Namespace:
    """Parse ``jinshui-qa bot ...`` exactly as the CLI would."""
    assert argv[:2] == ["jinshui-qa", "bot"], argv
    parser = argparse.ArgumentParser(prog="jinshui-qa")
    add_parser(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv[1:])


def test_the_entry_point_exists() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["jinshui-qa"] == "jinshui_qa.cli:main"


def test_the_cli_has_the_bot_command() -> None:
    from jinshui_qa import cli

    parser = cli.build_parser()
    choices = next(a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    if "bot" not in choices:
        pytest.skip("jinshui_qa.cli does not call telegram_cli.add_parser yet")
    assert parser.parse_args(["bot"]).func is run


def test_service_and_image_run_the_bot(service: dict[str, Any], dockerfile: dict[str, list[str]]) -> None:
    assert parse_bot(command(service["command"])).func is run
    assert parse_bot(command(dockerfile["CMD"][-1])).webhook is None  # long polling by default
    for test in (
        command(service["healthcheck"]["test"])[1:],
        command(dockerfile["HEALTHCHECK"][-1].split("CMD", 1)[1].strip()),
    ):
        assert parse_bot(test).healthcheck
    assert service["restart"] in ("unless-stopped", "always", "on-failure")
    assert service["build"] == {"context": ".", "dockerfile": "bot/Dockerfile"}


def test_environment_names_are_the_ones_the_settings_read(
    service: dict[str, Any], dockerfile: dict[str, list[str]]
) -> None:
    assert ".env" in service["env_file"]
    assert set(service["environment"]) <= set(ENV_NAMES)
    assert set(dockerfile_env(dockerfile)) - {"PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PIP_NO_CACHE_DIR",
                                              "PIP_DISABLE_PIP_VERSION_CHECK", "PTB_TIMEDELTA"} <= set(ENV_NAMES)  # fmt: skip
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    names = re.findall(r"^([A-Z_]+)=", example, re.MULTILINE)
    assert [n for n in names if not n.startswith("JQA_WEB_")] == list(ENV_NAMES)  # JQA_WEB_*: tests/web
    assert "TELEGRAM_BOT_TOKEN=\n" in example  # no token, real or fake, in the example


def test_paths_agree(
    service: dict[str, Any], compose: dict[str, Any], dockerfile: dict[str, list[str]]
) -> None:
    env = dockerfile_env(dockerfile)
    data, facts = env["JQA_DATA_DIR"], env["JQA_FACTS_DIR"]
    assert service["environment"] == {"JQA_FACTS_DIR": facts, "JQA_DATA_DIR": data}
    mounts = {m.split(":")[1]: m.split(":") for m in service["volumes"]}
    assert mounts[data][0] in compose["volumes"]  # a named volume for the data
    assert mounts[facts] == ["./facts", facts, "ro"] and (ROOT / "facts").is_dir()
    assert any(line.split() == ["facts", facts] for line in dockerfile["COPY"])  # baked in
    assert json.loads(dockerfile["VOLUME"][-1]) == [data]


def test_the_image_is_slim_and_runs_as_a_user(dockerfile: dict[str, list[str]]) -> None:
    assert re.fullmatch(r"python:3\.11-slim(-\w+)?", dockerfile["FROM"][0])
    assert dockerfile["USER"][-1] not in ("root", "0")
    ignore = (ROOT / "bot" / "Dockerfile.dockerignore").read_text(encoding="utf-8").split()
    assert "*" in ignore and {"!src/", "!facts/", "!pyproject.toml"} <= set(ignore)
