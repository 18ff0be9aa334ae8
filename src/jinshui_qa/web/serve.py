"""``jinshui-qa web``: the chat page and its API on uvicorn, over live facts and the shared question log.

    jinshui-qa web [--host 127.0.0.1] [--port 8080] [--facts DIR] [--data-dir DIR] [--workers N]

With ``--workers N``, N processes share the port (:mod:`jinshui_qa.web.workers`); they share nothing but
the secret (a context token from one is read by any other) and the SQLite question log. Questions are logged (channel ``web``) by the question log's writer thread, votes in the same file.
Stops cleanly on SIGINT/SIGTERM, writing every queued question first.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from jinshui_qa.errors import ConfigError, FactsError, FactsInvalid


def add_parser(subparsers: Any) -> None:
    """Add ``web`` to an ``add_subparsers()`` object."""
    p = subparsers.add_parser("web", help="serve the chat page, the embeddable widget and the HTTP API")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port (default: 8080)")
    p.add_argument("--facts", metavar="DIR", help="facts directory (default: $JQA_FACTS_DIR, then ./facts)")
    p.add_argument("--data-dir", metavar="DIR", help="question log directory (default: $JQA_DATA_DIR)")
    p.add_argument("--env-file", metavar="FILE", help="settings file (default: ./.env if present)")
    p.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY", "1") or 1),
        help="server processes, one per core to use (default: $WEB_CONCURRENCY or 1)",
    )
    p.add_argument("--access-log", action="store_true", help="log every request (addresses included)")
    p.set_defaults(func=run)


def build_from_env() -> Any:
    """The app of one server process (uvicorn's factory: each worker builds its own), configured from
    ``$JQA_FACTS_DIR``, ``$JQA_DATA_DIR`` and the web settings; its lifespan runs the facts watcher and
    writes every queued question when it stops."""
    import gc
    from contextlib import asynccontextmanager

    from jinshui_qa.facts.live import LiveAssistant
    from jinshui_qa.facts.loader import facts_dir
    from jinshui_qa.rebuilder import Rebuilder
    from jinshui_qa.settings import data_dir
    from jinshui_qa.storage.feedback import FeedbackLog
    from jinshui_qa.storage.index_store import SNAPSHOT_FILE
    from jinshui_qa.storage.question_writer import BackgroundQuestionLog
    from jinshui_qa.storage.user_hash import load_hasher
    from jinshui_qa.web.app import create_app
    from jinshui_qa.web.settings import load_web_settings

    settings = load_web_settings(env_file=os.environ.get("JQA_WEB_ENV_FILE") or None)
    data = data_dir()
    directory = facts_dir(None)
    rebuilder = Rebuilder(snapshot=data / SNAPSHOT_FILE)  # as every channel: a start from the data
    # directory's snapshot, reloads spliced from the last build, a new snapshot written after each
    live = LiveAssistant(directory, rebuilder.start(directory), build=rebuilder, files=rebuilder.files)
    questions = BackgroundQuestionLog.in_dir(data, hasher=load_hasher(data))  # ConfigError: no usable key
    feedback = FeedbackLog.in_dir(data, hasher=questions.user_hash)

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        live.start()
        gc.freeze()  # what start-up built lives as long as the process: later collections skip it
        try:
            yield
        finally:
            app.state.web.close()  # the questions being routed are answered and queued first
            live.stop()
            questions.close()
            feedback.close()

    return create_app(live, settings, recorder=questions, feedback=feedback, lifespan=lifespan)


def run(args: argparse.Namespace) -> int:
    """Serve the web channel until SIGINT/SIGTERM; settings problems are one-line :class:`ConfigError`."""
    import importlib.util

    missing = [name for name in ("fastapi", "uvicorn") if importlib.util.find_spec(name) is None]
    if missing:
        raise ConfigError(f"the web channel needs {' and '.join(missing)}, which `make chat` does not install: "
                          "pip install -e '.[web]'")  # fmt: skip
    from jinshui_qa.facts.loader import facts_dir
    from jinshui_qa.settings import data_dir, usable_data_dir
    from jinshui_qa.storage.user_hash import load_hasher
    from jinshui_qa.web.settings import load_web_settings
    from jinshui_qa.web.workers import serve

    if not 0 < args.port < 65536:
        raise ConfigError(f"--port must be 1-65535, not {args.port}")
    if args.workers < 1:
        raise ConfigError("--workers must be at least 1")
    data = usable_data_dir(data_dir(args.data_dir))  # a file or an unwritable directory: one line, now
    load_web_settings(env_file=args.env_file)  # a bad setting fails here, once (and the secret file is made)
    facts = _prepared(facts_dir(args.facts), data)  # a missing or invalid facts directory: reported now
    os.environ["JQA_FACTS_DIR"] = str(facts_dir(args.facts))
    os.environ["JQA_DATA_DIR"] = str(data)
    load_hasher(data)  # no usable user-hash key: one line now, not in every worker
    if args.env_file:
        os.environ["JQA_WEB_ENV_FILE"] = args.env_file
    print(f"jinshui-qa web: http://{args.host}:{args.port}/ ({facts} facts, {args.workers} worker(s))",
          file=sys.stderr)  # fmt: skip
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return serve(args.host, args.port, args.workers, access_log=args.access_log)
    except OSError as exc:  # the port is taken, or the address is not this machine's
        raise ConfigError(f"cannot listen on {args.host}:{args.port} ({exc.strerror or exc})") from None


def _prepared(directory: Path, data: Path) -> int:
    """How many facts ``directory`` holds, read as every worker then starts: from the data directory's
    snapshot (:class:`~jinshui_qa.rebuilder.Rebuilder`), built or refreshed here when it does not apply,
    so that the workers start from it (none builds, nor writes it, at the same time as another). Done in
    a forked process that then ends: this supervisor holds no fact base while it watches the workers,
    and an unchanged snapshot is used as a start uses it (no file parsed or checked again). Raises
    :class:`~jinshui_qa.errors.FactsInvalid` as :func:`~jinshui_qa.facts.loader.load` does."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():  # each worker builds from the YAML itself
        from jinshui_qa.facts.loader import load

        return len(load(directory).facts)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_start, args=(directory, data, sender), name="jinshui-qa-web-start")
    child.start()
    sender.close()
    try:
        kind, told = receiver.recv()
    except EOFError:  # the process died: every worker starts (and reports) on its own
        kind, told = "count", 0
    finally:
        receiver.close()
        child.join()
    if kind == "invalid":
        raise FactsInvalid(told)
    if kind == "error":
        raise FactsError(told)
    return int(told)


def _start(directory: Path, data: Path, conn: Any) -> None:
    """In the forked process of :func:`_prepared`: the start, and what it found, sent back."""
    from jinshui_qa.rebuilder import Rebuilder
    from jinshui_qa.storage.index_store import SNAPSHOT_FILE

    try:
        conn.send(("count", len(Rebuilder(snapshot=data / SNAPSHOT_FILE).start(directory).base.facts)))
    except FactsInvalid as exc:
        conn.send(("invalid", exc.problems))
    except FactsError as exc:
        conn.send(("error", str(exc)))
    finally:
        conn.close()
