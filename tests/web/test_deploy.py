"""The ``web`` service of docker-compose.yml, .env.example and the package data agree with the code."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from jinshui_qa.cli import build_parser
from jinshui_qa.web import settings as web_settings
from jinshui_qa.web.app import STATIC

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return data


def test_the_web_service_runs_the_cli_from_the_bots_image_with_a_healthcheck() -> None:
    services = _compose()["services"]
    web, bot = services["web"], services["bot"]
    assert web["image"] == bot["image"] and web["build"] == bot["build"]
    command = web["command"]
    assert command[0] == "jinshui-qa"
    args = build_parser().parse_args(command[1:])
    assert args.command == "web" and args.host == "0.0.0.0" and args.workers >= 1
    assert any(str(p).endswith(f":{args.port}") for p in web["ports"])
    check = " ".join(web["healthcheck"]["test"])
    assert f"127.0.0.1:{args.port}/healthz" in check
    assert "JQA_WEB_SECRET" in web["environment"]["JQA_WEB_SECRET"]  # from .env, never in the file
    assert [v.split(":")[0] for v in web["volumes"]] == [v.split(":")[0] for v in bot["volumes"]]


def test_env_example_names_every_web_setting() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    names = set(re.findall(r"JQA_WEB_[A-Z_]+", web_settings.__doc__ or ""))
    assert {"JQA_WEB_SECRET", "JQA_WEB_ORIGINS", "JQA_WEB_TRUSTED_PROXIES", "JQA_WEB_RATE"} <= names
    assert re.search(r"^JQA_WEB_SECRET=$", example, re.MULTILINE)  # required by the compose `web` service
    for name in ("JQA_WEB_ORIGINS", "JQA_WEB_TRUSTED_PROXIES", "JQA_WEB_RATE"):  # optional: commented
        assert re.search(rf"^# {name}=$", example, re.MULTILINE), name


def test_the_static_files_ship_as_package_data() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"web/static/*"' in pyproject
    assert {"index.html", "chat.js", "chat.css", "widget.js", "widget.css", "docs.html", "docs.js"} <= {
        p.name for p in STATIC.iterdir()
    }
    assert "WEB.md" in (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
