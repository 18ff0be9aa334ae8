"""Votes: the voter is the question log's keyed hash, text a user sent is stored cleaned, the file is private."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

from jinshui_qa.storage.feedback import FeedbackLog, feedback_for, read_votes
from jinshui_qa.storage.question_log import QuestionLog


def test_a_comment_or_id_with_lone_surrogates_is_stored_cleaned(tmp_path: Path) -> None:
    with QuestionLog.in_dir(tmp_path / "data") as questions:
        votes = feedback_for(questions)
        assert isinstance(votes, FeedbackLog)
        votes.vote(question_id="q\ud800", vote="down", channel="web", voter="198.51.100.7",
                   comment="wrong \udcff figure \x00")  # fmt: skip
        votes.close()
        voter = questions.user_hash("198.51.100.7")
    db = tmp_path / "data" / "questions.db"
    (vote,) = read_votes(db)
    assert (vote.question_id, vote.comment) == ("q\ufffd", "wrong \ufffd figure \ufffd")
    with sqlite3.connect(db) as conn:
        assert conn.execute("select voter_hash from feedback").fetchone() == (voter,)
    assert b"198.51.100.7" not in db.read_bytes()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
