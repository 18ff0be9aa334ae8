"""private_db never costs an open connection of the same process its locks on the database."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

from jinshui_qa.storage.private_files import private_db


def _close_from_another_process(path: Path) -> None:
    code = "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('select count(*) from t').fetchone(); c.close()"
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=60)


def test_a_live_wal_survives_private_db_and_another_process_closing_the_database(tmp_path: Path) -> None:
    path = private_db(tmp_path / "questions.db")
    live = sqlite3.connect(path, isolation_level=None)
    live.execute("pragma journal_mode=wal")
    live.execute("pragma wal_autocheckpoint=0")
    live.execute("create table t (x integer)")
    live.execute("insert into t values (1)")
    private_db(path)  # what the feedback store does while the question log's writer is open
    _close_from_another_process(path)
    assert Path(f"{path}-wal").exists(), "the other process deleted the live write-ahead log"
    live.execute("insert into t values (2)")
    live.close()
    check = sqlite3.connect(path)
    assert check.execute("select x from t order by x").fetchall() == [(1,), (2,)]
    check.close()


def test_a_new_database_is_created_owner_only_and_an_old_one_is_tightened(tmp_path: Path) -> None:
    fresh = private_db(tmp_path / "data" / "new.db")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    old = tmp_path / "old.db"
    old.write_bytes(b"")
    old.chmod(0o644)
    private_db(old)
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
