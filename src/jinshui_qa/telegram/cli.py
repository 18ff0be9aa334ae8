"""``jinshui-qa bot``: run the Telegram bot (long polling, or a webhook with ``--webhook``).

Importing this module is cheap (python-telegram-bot loads only when the bot runs), so the container
healthcheck ``jinshui-qa bot --healthcheck`` starts fast (``benchmarks/startup.py`` measures it). Settings problems print one line and exit 2.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import sys
from collections.abc import Sequence
from urllib.parse import urlsplit

from jinshui_qa.errors import ConfigError, FactsDirMissing, FactsInvalid
from jinshui_qa.settings import data_dir, read_env
from jinshui_qa.telegram.heartbeat import HEALTHY_WITHIN, HEARTBEAT_FILE, heartbeat_age
from jinshui_qa.telegram.settings import Settings, check_secret_token, load_settings, protect_logs, redact

PROG = "jinshui-qa bot"


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"not a TCP port: {text!r}")
    return int(text)


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``bot`` subcommand; it calls :func:`run` through ``args.func``."""
    bot = subparsers.add_parser(
        "bot",
        help="run the Telegram bot",
        description="Run the Telegram bot. Settings come from the environment and .env: "
        "TELEGRAM_BOT_TOKEN (required), TELEGRAM_API_URL, JQA_FACTS_DIR, JQA_DATA_DIR, JQA_ADMIN_IDS, "
        "JQA_WEBHOOK_SECRET.",
    )
    bot.add_argument("--facts", metavar="DIR", help="facts directory (default: $JQA_FACTS_DIR, then ./facts)")
    bot.add_argument(
        "--webhook", metavar="URL", help="public https URL Telegram posts updates to (default: long polling)"
    )
    bot.add_argument(
        "--listen",
        default="127.0.0.1",
        metavar="ADDR",
        help="webhook: address to listen on (default 127.0.0.1; 0.0.0.0 in a container)",
    )
    bot.add_argument("--port", type=_port, default=8443, help="webhook: port to listen on (default 8443)")
    bot.add_argument(
        "--secret-token",
        metavar="SECRET",
        default=os.environ.get("JQA_WEBHOOK_SECRET"),
        help="webhook: secret Telegram sends with every update (default: $JQA_WEBHOOK_SECRET)",
    )
    bot.add_argument(
        "--env-file", metavar="FILE", help="read settings from FILE (default: ./.env if present)"
    )
    bot.add_argument(
        "--healthcheck",
        action="store_true",
        help="exit 0 if a running bot wrote its heartbeat in JQA_DATA_DIR within the last 90 s, else 1",
    )
    bot.set_defaults(func=run)


def _fail(message: str, code: int = 2) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return code


def _healthcheck(env_file: str | None) -> int:
    """Reads JQA_DATA_DIR as the bot does (environment over .env); imports nothing heavy."""
    try:
        path = (
            data_dir(environ=read_env(env_file=env_file, require_env_file=env_file is not None))
            / HEARTBEAT_FILE
        )
    except ConfigError as exc:
        return _fail(str(exc))
    age = heartbeat_age(path)
    if age is None or age > HEALTHY_WITHIN:
        return _fail(
            f"unhealthy: no heartbeat in {path} " + ("yet" if age is None else f"for {age:.0f} s"), 1
        )
    print(f"healthy: heartbeat {age:.0f} s ago")
    return 0


def _webhook(args: argparse.Namespace, settings: Settings) -> tuple[str, str] | None:
    """``(url, secret)`` for webhook mode, checked; None for long polling."""
    if not args.webhook:
        return None
    parts = urlsplit(args.webhook)
    if parts.scheme != "https" or not parts.netloc:
        raise ConfigError(
            "--webhook must be the public https:// URL of this bot, e.g. https://bot.example.com/tg"
        )
    secret = args.secret_token or settings.webhook_secret
    if not secret:
        raise ConfigError("webhook mode needs a secret token: set JQA_WEBHOOK_SECRET (or --secret-token)")
    return args.webhook, check_secret_token(secret)


def run(args: argparse.Namespace) -> int:
    """Run the bot until SIGINT/SIGTERM; 2 for a settings problem or a rejected token, never a traceback."""
    if args.healthcheck:
        return _healthcheck(args.env_file)
    packages = {"telegram": "python-telegram-bot", "aiohttp": "aiohttp"}
    missing = [package for module, package in packages.items() if importlib.util.find_spec(module) is None]
    if missing:
        return _fail(f"the bot needs {' and '.join(missing)}, which `make chat` does not install: "
                     "pip install -e '.[bot]' (or run `make bot`)")  # fmt: skip
    try:
        settings = load_settings(env_file=args.env_file, require_env_file=args.env_file is not None)
        webhook = _webhook(args, settings)
    except ConfigError as exc:
        return _fail(str(exc))
    protect_logs(settings.token, *(webhook[1:] if webhook else ()))
    os.environ.setdefault("PTB_TIMEDELTA", "true")  # PTB 22 warns on every 429 unless opted in to timedelta
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from jinshui_qa.bootstrap import open_runtime

    try:  # the assistant (reloaded when facts/ changes), the data directory and the fact store in it
        runtime = open_runtime(args.facts or settings.facts_dir, settings.data_dir, fact_store=True)
    except (FactsDirMissing, ConfigError) as exc:  # ConfigError: the data directory is a file, or read-only
        return _fail(str(exc))
    except FactsInvalid as exc:
        return _fail(f"the facts are invalid: {exc} (run `jinshui-qa check`)", 1)
    import asyncio

    from telegram.error import InvalidToken, TelegramError

    from jinshui_qa.telegram.app import WebhookOptions, build_application, serve

    options = None
    if webhook is not None:
        options = WebhookOptions(webhook[0], webhook[1], listen=args.listen, port=args.port)
    with runtime:  # closes the question log (writing what is queued) and stops the facts watcher
        questions = runtime.question_log(background=True)  # written by a thread, never the event loop
        app = build_application(settings, runtime.live, questions)
        try:
            asyncio.run(serve(app, options, heartbeat=runtime.data_dir / HEARTBEAT_FILE))
        except InvalidToken:
            return _fail(
                "Telegram rejected TELEGRAM_BOT_TOKEN (revoked or mistyped?): check it with @BotFather"
            )
        except TelegramError as exc:
            return _fail(f"Telegram error: {redact(str(exc), settings.token)}", 1)
        except OSError as exc:
            return _fail(f"cannot start: {redact(str(exc), settings.token)}", 1)
        except KeyboardInterrupt:
            return 130
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Standalone entry point: ``python -m jinshui_qa.telegram.cli bot ...``."""
    parser = argparse.ArgumentParser(prog="jinshui-qa")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
