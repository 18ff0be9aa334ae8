"""docker-compose.yml, bot/Dockerfile and .env.example agree with the CLI and the settings it reads."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shlex
import socket
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from jinshui_qa.settings import ENV_NAMES
from jinshui_qa.telegram.cli import add_parser, run
from tests.support.telegram_harness import kill_if_running, stop

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def service(compose: dict[str, Any]) -> dict[str, Any]:
    bot: dict[str, Any] = compose["services"]["bot"]
    return bot


def dockerfile_stages() -> list[dict[str, list[str]]]:
    """bot/Dockerfile's stages, each its instructions by keyword (continuation lines joined)."""
    text = (ROOT / "bot" / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    stages: list[dict[str, list[str]]] = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, rest = line.strip().partition(" ")
            if keyword.upper() == "FROM":
                stages.append({})
            stages[-1].setdefault(keyword.upper(), []).append(rest.strip())
    return stages


@pytest.fixture(scope="module")
def dockerfile() -> dict[str, list[str]]:
    """The final stage of bot/Dockerfile: the image that runs."""
    return dockerfile_stages()[-1]


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
    assert "bot" in choices
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
    names = re.findall(r"^(?:# )?([A-Z_]+)=", example, re.MULTILINE)
    assert [n for n in names if not n.startswith("JQA_WEB_")] == list(ENV_NAMES)  # JQA_WEB_*: tests/web
    assert "TELEGRAM_BOT_TOKEN=\n" in example  # no token, real or fake, in the example


def test_env_example_sets_only_the_token() -> None:
    # `docker run --env-file .env` sets every uncommented KEY=, even empty, over the image's defaults
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert re.findall(r"^([A-Z_]+)=", example, re.MULTILINE) == [
        "TELEGRAM_BOT_TOKEN",
        "JQA_HASH_KEY",
        "JQA_WEB_SECRET",
    ]


def test_paths_agree(
    service: dict[str, Any], compose: dict[str, Any], dockerfile: dict[str, list[str]]
) -> None:
    env = dockerfile_env(dockerfile)
    data, facts = env["JQA_DATA_DIR"], env["JQA_FACTS_DIR"]
    hash_key = service["environment"].pop("JQA_HASH_KEY")  # required from .env, never written in the file
    assert hash_key.startswith("${JQA_HASH_KEY:?")
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
    assert "*" in ignore and {"!src/", "!facts/", "!pyproject.toml", "!README.md", "!LICENSE"} <= set(ignore)
    assert {".env", ".git", ".venv", "data/"}.isdisjoint(
        line.lstrip("!") for line in ignore if line.startswith("!")
    )


def test_the_image_holds_no_build_leftovers(dockerfile: dict[str, list[str]]) -> None:
    # The source is built into a wheel in the first stage; the image installs the wheel and removes it in
    # the same layer, and copies nothing but the wheel and the facts (so no /app/src, no /app/build).
    first, final = dockerfile_stages()[0], dockerfile
    assert first["FROM"][0].endswith(" AS wheel") and any("pip wheel" in run for run in first["RUN"])
    copies = [line.split() for line in final["COPY"]]
    assert copies == [["--from=wheel", "/wheels", "/tmp/wheels"], ["facts", "/app/facts"]]
    install = next(run for run in final["RUN"] if "pip install" in run)
    assert "[bot,web]" in install and install.rstrip().endswith("rm -rf /tmp/wheels")
    assert "/app" not in install


def test_any_root_build_context_leaves_out_secrets_and_data() -> None:
    ignore = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".env", ".git", ".venv", "data/", "*.db"} <= set(ignore)


def test_compose_stops_and_restarts_as_documented(service: dict[str, Any]) -> None:
    assert service["init"] is True  # SIGTERM reaches the bot, which is then not PID 1
    grace = re.fullmatch(r"(\d+)s", service["stop_grace_period"])
    assert grace and int(grace.group(1)) >= 60  # covers draining the updates in hand
    guide = (ROOT / "bot" / "README.md").read_text(encoding="utf-8")
    assert "restarts the container when the bot *exits*" in guide and "only *reports* `unhealthy`" in guide
    assert "sudo chown 10001:10001 data" in guide  # owning a bind-mounted data directory
    useradd = next(run for run in dockerfile_stages()[-1]["RUN"] if "useradd" in run)
    assert "--uid 10001" in useradd


def test_the_systemd_unit_runs_the_bot() -> None:
    unit = (ROOT / "bot" / "jinshui-qa-bot.service").read_text(encoding="utf-8")
    values = dict(
        line.split("=", 1) for line in unit.splitlines() if "=" in line and not line.startswith("#")
    )
    argv = shlex.split(values["ExecStart"])
    assert argv[0].endswith("/.venv/bin/jinshui-qa")
    assert parse_bot(["jinshui-qa", *argv[1:]]).func is run
    assert values["User"] != "root" and values["Environment"].startswith("JQA_DATA_DIR=")
    assert values["EnvironmentFile"].endswith("/.env") and int(values["TimeoutStopSec"]) >= 60


def test_the_nginx_example_forwards_the_webhook_path_to_the_bot(compose: dict[str, Any]) -> None:
    site = (ROOT / "bot" / "nginx.conf").read_text(encoding="utf-8")
    compose_text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    example = next(line for line in compose_text.splitlines() if "--webhook" in line)
    args = parse_bot(json.loads(example.split("command:", 1)[1]))
    path = "/" + args.webhook.split("/", 3)[3]
    assert f"location = {path} {{" in site
    assert f"proxy_pass http://127.0.0.1:{args.port};" in site


def test_the_top_readme_points_to_the_deployment_guide() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "bot/README.md" in readme and "docker compose up" not in readme  # the guide lives in bot/
    assert "../" not in readme  # nothing outside the checkout


def closed_port() -> int:
    """A local TCP port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def test_sigterm_while_retrying_to_reach_telegram_stops_the_bot(tmp_path: Path) -> None:
    # As PID 1 in a container SIGTERM's default action is ignored, so the bot must handle it itself,
    # even before it reached Telegram: docker stop would otherwise wait for SIGKILL.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "JQA_"))}
    env |= {"TELEGRAM_BOT_TOKEN": "123456:" + "A" * 35, "TELEGRAM_API_URL": f"http://127.0.0.1:{closed_port()}",
            "JQA_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT / "src")}  # fmt: skip
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "jinshui_qa", "bot", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stderr is not None
    seen: list[str] = []
    try:
        while not any("cannot reach Telegram" in line for line in seen):
            line = await asyncio.wait_for(process.stderr.readline(), timeout=60)
            assert line, "".join(seen)
            seen.append(line.decode())
        err = await stop(process)
    finally:
        await kill_if_running(process)
    log = "".join(seen) + err.decode()
    assert process.returncode == 0, log
    assert "stopped before the bot was running" in log and "Traceback" not in log
    assert not (tmp_path / "data" / "bot.heartbeat").exists()
