"""Votes in ``report`` (answers people marked wrong) and ``suggest`` (a down-voted answer is like an unanswered one)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.facts.loader import read_files
from jinshui_qa.maintenance.suggest import suggest
from jinshui_qa.maintenance.usage_report import report_for
from jinshui_qa.storage.feedback import FeedbackLog, new_question_id
from jinshui_qa.storage.question_log import QuestionLog

WRONG = "金水区企业有多少"  # answered with high_tech; the asker meant all market entities


def _log(db_path: Path, assistant: Assistant, questions: list[str]) -> list[str]:
    ids = []
    with QuestionLog(db_path) as log:
        for question in questions:
            reply = replace(assistant.reply(question), question_id=new_question_id())
            log.record(channel="web", user_id="client", reply=reply, latency_ms=1)
            ids.append(str(reply.question_id))
    return ids


def test_report_lists_answers_marked_wrong_with_votes_and_comments(
    assistant: Assistant, db_path: Path
) -> None:
    wrong, fine = _log(db_path, assistant, [WRONG, "金水区人才有多少"])
    votes = FeedbackLog(db_path, hasher=lambda v: f"h{v}")
    votes.vote(question_id=wrong, vote="down", channel="web", voter="a", comment="问的是市场主体")
    votes.vote(question_id=wrong, vote="down", channel="telegram", voter="b")
    votes.vote(question_id=wrong, vote="up", channel="web", voter="c")
    votes.vote(question_id=fine, vote="up", channel="console")
    votes.close()
    report = report_for(db_path, 0)
    assert [(w.question, w.fact_id, w.down, w.up, w.comments) for w in report.marked_wrong] == [
        (WRONG, "high_tech", 2, 1, ["问的是市场主体"])]  # fmt: skip
    text = report.text()
    assert (
        "Answers people marked wrong (1; top 1):" in text
        and "问的是市场主体" in text
        and "[high_tech]" in text
    )
    data = report.to_json()
    assert data["marked_wrong"][0]["down"] == 2 and "wrong_clusters" not in data
    json.dumps(data)
    assert "marked_wrong" in report.to_csv()
    assert [c.question for c in report.wrong_clusters] == [WRONG]
    assert all(c.question != WRONG for c in report.unanswered)


def test_an_answer_with_more_up_than_down_votes_is_not_sent_to_suggest(
    assistant: Assistant, db_path: Path
) -> None:
    (qid,) = _log(db_path, assistant, [WRONG])
    votes = FeedbackLog(db_path)
    votes.vote(question_id=qid, vote="down", channel="web", voter=None)
    votes.vote(question_id=qid, vote="up", channel="web", voter=None)  # same voter: replaces the down-vote
    report = report_for(db_path, 0)
    assert report.marked_wrong == [] and report.wrong_clusters == []
    assert "Answers people marked wrong: none" in report.text()


def test_suggest_never_proposes_the_fact_people_marked_wrong(
    assistant: Assistant, db_path: Path, facts_dir: Path
) -> None:
    ids = _log(db_path, assistant, [WRONG, WRONG, "金水区有多少人才"])
    votes = FeedbackLog(db_path, hasher=lambda v: str(v))
    for n, qid in enumerate(ids):
        votes.vote(question_id=qid, vote="down", channel="web", voter=n)
    clusters = report_for(db_path, 0).wrong_clusters
    assert {c.question: c.count for c in clusters} == {WRONG: 2, "金水区有多少人才": 1}
    found = {s.cluster.question: s for s in suggest(assistant, clusters, facts_files=read_files(facts_dir))}
    assert found[WRONG].fact_id != "high_tech" and found[WRONG].kind in ("phrasing", "new_fact", "skip")
    talent = found["金水区有多少人才"]
    assert talent.fact_id != "gold_talent"
    assert talent.kind != "phrasing" or talent.answered >= 1  # a phrasing is only kept when it then answers
