"""The console keeps a passing storage outage out of the chat: "database is locked ... retrying" and its
recovery go to DATA_DIR/console.log only; a loss (rows dropped) is still shown on standard error."""

from __future__ import annotations

import io
import logging
import sqlite3
from pathlib import Path

from jinshui_qa.console.logs import LOG_FILE, one_line_logs
from jinshui_qa.storage.question_log import QuestionLog
from tests.support.district import reply


def test_a_locked_question_log_is_logged_to_the_file_not_shown_in_the_chat(tmp_path: Path) -> None:
    now = [1_800_000_000.0]
    db = tmp_path / "questions.db"
    shown = io.StringIO()
    with one_line_logs(shown, log_file=tmp_path / LOG_FILE):
        log = QuestionLog(db, busy_timeout_ms=50, retry_seconds=5, clock=lambda: now[0])
        log.record(channel="console", user_id=None, reply=reply("first"), latency_ms=1)
        blocker = sqlite3.connect(db, isolation_level=None)
        blocker.execute("begin immediate")
        log.record(channel="console", user_id=None, reply=reply("while locked"), latency_ms=1)
        blocker.execute("rollback")
        blocker.close()
        now[0] += 6
        log.record(channel="console", user_id=None, reply=reply("later"), latency_ms=1)
        logging.getLogger("jinshui_qa.storage.question_log").warning("question log: 1 row(s) ... are dropped")
        log.close()
    kept = (tmp_path / LOG_FILE).read_text(encoding="utf-8")
    assert "database is locked" in kept and "retrying later" in kept and "again (" in kept
    assert "are dropped" in kept
    assert shown.getvalue() == "jinshui-qa: question log: 1 row(s) ... are dropped\n"
    assert (tmp_path / LOG_FILE).stat().st_mode & 0o777 == 0o600


def test_without_a_log_file_every_warning_is_shown(tmp_path: Path) -> None:
    shown = io.StringIO()
    with one_line_logs(shown):
        logging.getLogger("jinshui_qa.storage.question_log").warning("question log: x; retrying later")
    assert shown.getvalue() == "jinshui-qa: question log: x; retrying later\n"


def test_chat_writes_its_log_file_in_the_data_directory(tmp_path: Path) -> None:
    from tests.test_cli_robustness import jqa

    done = jqa(
        "chat", "--data-dir", str(tmp_path / "data"), stdin="金水区有几家高企\n".encode(), cwd=tmp_path
    )
    assert done.returncode == 0 and done.stderr == b"", done.stderr
    assert (tmp_path / "data" / LOG_FILE).exists()
