"""``jinshui-qa web``: the chat page and its API on uvicorn, over live facts and the shared question log.

    jinshui-qa web [--host 127.0.0.1] [--port 8080] [--facts DIR] [--data-dir DIR]

Questions are logged (channel ``web``) by the question log's writer thread, votes in the same file.
Stops cleanly on SIGINT/SIGTERM, writing every queued question first.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from jinshui_qa.errors import ConfigError


def add_parser(subparsers: Any) -> None:
    """Add ``web`` to an ``add_subparsers()`` object."""
    p = subparsers.add_parser("web", help="serve the chat page, the embeddable widget and the HTTP API")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port (default: 8080)")
    p.add_argument("--facts", metavar="DIR", help="facts directory (default: $JQA_FACTS_DIR, then ./facts)")
    p.add_argument("--data-dir", metavar="DIR", help="question log directory (default: $JQA_DATA_DIR)")
    p.add_argument("--env-file", metavar="FILE", help="settings file (default: ./.env if present)")
    p.add_argument("--access-log", action="store_true", help="log every request (addresses included)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from jinshui_qa.facts.live import LiveAssistant
    from jinshui_qa.facts.loader import facts_dir
    from jinshui_qa.storage.feedback import FeedbackLog
    from jinshui_qa.storage.question_writer import BackgroundQuestionLog
    from jinshui_qa.telegram.settings import data_dir
    from jinshui_qa.web.app import create_app
    from jinshui_qa.web.settings import load_web_settings

    if not 0 < args.port < 65536:
        raise ConfigError(f"--port must be 1-65535, not {args.port}")
    settings = load_web_settings(env_file=args.env_file)
    data = data_dir(args.data_dir)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    live = LiveAssistant(facts_dir(args.facts))
    with live, BackgroundQuestionLog.in_dir(data) as questions:
        feedback = FeedbackLog.in_dir(data, hasher=questions.user_hash)
        app = create_app(live, settings, recorder=questions, feedback=feedback)
        print(
            f"jinshui-qa web: http://{args.host}:{args.port}/ ({len(live().base.facts)} facts)",
            file=sys.stderr,
        )
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=args.access_log,
                    proxy_headers=False, server_header=False)  # fmt: skip
        feedback.close()
    return 0
