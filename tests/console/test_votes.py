"""/good and /bad [comment] in the console: a vote on the last answer, stored beside the question log."""

from __future__ import annotations

import io
from pathlib import Path

from jinshui_qa.console.repl import run_console
from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.storage.feedback import read_votes
from jinshui_qa.storage.question_log import QuestionLog, read_questions


def _chat(assistant: Assistant, data: Path | None, *lines: str) -> str:
    stdout = io.StringIO()
    stdin = io.StringIO("".join(f"{line}\n" for line in lines))
    if data is None:
        run_console(lambda: assistant, stdin=stdin, stdout=stdout)
    else:
        with QuestionLog.in_dir(data) as log:
            run_console(lambda: assistant, stdin=stdin, stdout=stdout, recorder=log)
    return stdout.getvalue()


def test_bad_with_a_comment_then_good_vote_on_the_last_answers(assistant: Assistant, tmp_path: Path) -> None:
    out = _chat(
        assistant,
        tmp_path,
        "/good",
        "金水区科技型企业有几家",
        "/bad 数字过时了",
        "那高企呢",
        "/good",
        "/quit",
    )
    assert out.count("谢谢反馈！") == 2 and "还没有可以评价的回答。" in out
    (commands,) = [line for line in out.splitlines() if line.startswith("/help")]
    assert "/good /bad 评价上一个回答" in commands  # the greeting's command line says so
    rows = read_questions(tmp_path / "questions.db")
    votes = {v.question_id: v for v in read_votes(tmp_path / "questions.db")}
    assert [r.fact_id for r in rows] == ["tech_enterprises", "high_tech_enterprises"]
    assert (votes[rows[0].question_id].vote, votes[rows[0].question_id].comment) == ("down", "数字过时了")
    assert (votes[rows[1].question_id].vote, votes[rows[1].question_id].channel) == ("up", "console")


def test_a_fallback_can_be_rated_and_no_log_means_no_votes(assistant: Assistant, tmp_path: Path) -> None:
    out = _chat(assistant, tmp_path, "北京有多少家企业", "/bad 报道里有", "你好", "/good")
    assert (
        out.count("谢谢反馈！") == 1 and "上一条回复不是对资料的回答，没有可以评价的内容。" in out
    )  # smalltalk
    rows = read_questions(tmp_path / "questions.db")
    (vote,) = read_votes(tmp_path / "questions.db")
    assert rows[0].status == "fallback" and rows[0].question == "北京有多少家企业"
    assert (vote.question_id, vote.vote, vote.comment) == (rows[0].question_id, "down", "报道里有")
    without = _chat(assistant, None, "/lang en", "/good")
    (commands,) = [line for line in without.splitlines() if line.startswith("/help")]
    assert "Feedback is not kept here." in without and "/good" not in commands


def test_a_command_between_the_answer_and_the_vote_still_rates_that_answer(
    assistant: Assistant, tmp_path: Path
) -> None:
    """/topics, /help, /lang show no answer: /good after them rates the last answer and names it; /reload
    and a clarifying question end what can be rated, each vote saying why not."""
    out = _chat(assistant, tmp_path, "金水区科技型企业有几家", "/topics", "/help", "/good", "重点项目", "/bad",
                "/reload", "/good")  # fmt: skip
    assert "谢谢反馈！（评价的是上一个回答：「金水区科技型企业有几家」）" in out
    assert "上一条回复是请您选择的问题，不是回答：选好或重新提问后再评价。" in out
    assert out.count("还没有可以评价的回答。") == 1  # after /reload
    rows = read_questions(tmp_path / "questions.db")
    (vote,) = read_votes(tmp_path / "questions.db")
    assert (vote.question_id, vote.vote) == (rows[0].question_id, "up") and rows[
        0
    ].fact_id == "tech_enterprises"
    english = _chat(assistant, tmp_path, "/lang en", "How many high-tech enterprises?", "/about", "/good")
    assert "Thanks for the feedback! (on the last answer: “How many high-tech enterprises?”)" in english


def test_a_partial_answer_can_be_rated(assistant: Assistant, tmp_path: Path) -> None:
    """A reply answering some parts (status partial) shows figures that may be wrong: it can be rated."""
    out = _chat(assistant, tmp_path, "高企和火星企业各有多少", "/bad 火星企业呢")
    (row,) = read_questions(tmp_path / "questions.db")
    (vote,) = read_votes(tmp_path / "questions.db")
    assert row.status == "partial" and "谢谢反馈！" in out
    assert (vote.question_id, vote.vote, vote.comment) == (row.question_id, "down", "火星企业呢")
