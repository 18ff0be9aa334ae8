"""``jinshui-qa report``: counts, similar questions grouped, slowest ones; text, JSON, CSV and /stats."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from jinshui_qa.conversation.assistant import Option
from jinshui_qa.maintenance.clusters import cluster_questions
from jinshui_qa.maintenance.usage_report import report_for, stats_text
from jinshui_qa.storage.question_log import QuestionLog
from tests.support.district import reply

OPTIONS = (Option("high_tech", "高新技术企业"), Option("key_labs", "重点实验室"))
T0 = 1_764_288_000.0  # 2025-11-28 00:00 UTC
DAY = 86_400.0


@pytest.fixture
def logged(db_path: Path) -> Path:
    """A week of questions: answers, unanswered ones in two similar groups, a clarification, smalltalk."""
    now = [T0]
    log = QuestionLog(db_path, clock=lambda: now[0])
    rows = [
        ("金标准人才有多少", "answer", 1, 12.0, {}),
        ("金标准人才有多少", "answer", 2, 10.0, {}),
        ("重点项目有多少个", "answer", 1, 30.0, {"fact_id": "key_projects", "topic": "projects",
                                                "score": 60.0}),
        ("金水区人口有多少", "fallback", 1, 5.0, {}),
        ("金水区人口有多少？", "fallback", 2, 6.0, {}),
        ("金水区的人口有多少", "fallback", 3, 7.0, {}),
        ("今天天气怎么样", "fallback", 3, 250.0, {"reason": "no_match", "score": 21.0}),
        ("企业有多少", "clarify", 4, 9.0, {"options": OPTIONS, "reason": "vague", "score": 50.0}),
        ("你好", "smalltalk", 4, 1.0, {"reason": "greeting", "score": 100.0}),
        ("", "fallback", 4, 0.5, {"reason": "empty", "score": 0.0}),
    ]  # fmt: skip
    for question, status, user, latency, fields in rows:
        now[0] += 3600
        log.record(channel="telegram" if user < 4 else "console", user_id=user,
                   reply=reply(question, status, **fields), latency_ms=latency)  # fmt: skip
    now[0] = T0 - 30 * DAY  # outside the report's week
    log.record(channel="telegram", user_id=9, reply=reply("很久以前的问题"), latency_ms=999)
    log.close()
    return db_path


EXPECTED_TEXT = """\
Question log, 2025-11-21 00:00 to 2025-11-28 12:00 UTC (7.5 days)
Questions: 10 from 4 users; latency median 8 ms, 95th percentile 250 ms
By status: fallback 5 (50%), answer 3 (30%), clarify 1 (10%), smalltalk 1 (10%)
By topic: talent 2, projects 1
By channel: telegram 7, console 3

Top unanswered questions (4; top 2 groups):
     3  金水区人口有多少  [not_covered:人口] score 20
        also: 金水区人口有多少？ | 金水区的人口有多少
     1  今天天气怎么样  [no_match] score 21

Low-confidence questions (2; top 2 groups):
     1  企业有多少  [vague] score 50
     1  重点项目有多少个  [key_projects] score 60

Answers people marked wrong: none

Slowest questions:
      250 ms  今天天气怎么样  [fallback]
       30 ms  重点项目有多少个  [answer]
       12 ms  金标准人才有多少  [answer]"""


def test_text_report(logged: Path) -> None:
    report = report_for(logged, T0 - 7 * DAY, T0 + 12 * 3600, limit=3)
    assert report.text() == EXPECTED_TEXT


def test_json_report(logged: Path) -> None:
    data = report_for(logged, T0 - 7 * DAY, T0 + 12 * 3600).to_json()
    assert data["since"] == "2025-11-21T00:00:00+00:00"
    assert (data["total"], data["users"], data["unanswered_total"]) == (10, 4, 4)
    assert data["by_status"] == {"fallback": 5, "answer": 3, "clarify": 1, "smalltalk": 1}
    first = data["unanswered"][0]
    assert (first["question"], first["count"], first["reason"]) == ("金水区人口有多少", 3, "not_covered:人口")
    assert data["low_confidence"][0]["facts"] == ["high_tech", "key_labs"]
    assert data["slowest"][0] == {"question": "今天天气怎么样", "latency_ms": 250.0, "status": "fallback",
                                  "fact_id": None, "at": "2025-11-28T07:00:00+00:00"}  # fmt: skip


def test_csv_report(logged: Path) -> None:
    rows = list(csv.reader(io.StringIO(report_for(logged, T0 - 7 * DAY, T0 + DAY).to_csv())))
    assert rows[0] == ["section", "label", "count", "score", "latency_ms", "detail"]
    assert ["status", "fallback", "5", "", "", ""] in rows
    assert ["topic", "talent", "2", "", "", ""] in rows
    unanswered = [r for r in rows if r[0] == "unanswered"]
    assert unanswered[0][:3] == ["unanswered", "金水区人口有多少", "3"]
    assert unanswered[0][5] == "not_covered:人口; 金水区人口有多少？ | 金水区的人口有多少"
    assert next(r[1] for r in rows if r[0] == "slowest") == "今天天气怎么样"


def test_empty_period(db_path: Path) -> None:
    report = report_for(db_path, T0, T0 + DAY)
    assert report.text().endswith("No questions logged in this period.")
    assert (
        report_for(db_path, 0, T0).text().splitlines()[0]
        == "Question log, everything up to 2025-11-28 00:00 UTC"
    )
    assert report.to_json()["total"] == 0
    assert (
        stats_text(db_path, "en", now=T0)
        == "Last 7 days: 0 questions from 0 users; answered 0 (-), unanswered 0, clarified 0."
    )


def test_stats_text(logged: Path) -> None:
    now = T0 + 12 * 3600
    assert stats_text(logged, "zh", now=now, topic_titles={"talent": "人才"}) == (
        "近7天：10个问题，4位用户；已回答3（30%），未答出4，需澄清1。\n问得最多的主题：人才。\n未答出最多：金水区人口有多少（3次）"
    )
    assert stats_text(logged, "en", now=now) == (
        "Last 7 days: 10 questions from 4 users; answered 3 (30%), unanswered 4, clarified 1.\n"
        "Top topic: talent.\nMost asked unanswered: 金水区人口有多少 (3×)"
    )


def test_clusters_group_similar_questions_only(db_path: Path) -> None:
    with QuestionLog(db_path) as log:
        for q in [
            "金水区有多少人口",
            "金水区人口多少",
            "金水区人口有多少",
            "二七区的房价",
            "二七区房价多少",
            "How big is Jinshui?",
        ]:
            log.record(channel="t", user_id=1, reply=reply(q), latency_ms=1)
    from jinshui_qa.storage.question_log import read_questions

    groups = cluster_questions(read_questions(db_path))
    assert sorted(sorted(g.questions) for g in groups) == [
        ["How big is Jinshui?"],
        ["二七区房价多少", "二七区的房价"],
        ["金水区人口多少", "金水区人口有多少", "金水区有多少人口"],
    ]


def test_clusters_keep_a_changed_subject_apart_and_typos_together(db_path: Path) -> None:
    questions = ["二手房价格", "二手房价格多少", "二手车价格", "高新技术企业有几家", "高薪技术企业有几家",
                 "有多少家科技型企业", "科技型企业有多少家"]  # fmt: skip
    with QuestionLog(db_path) as log:
        for q in questions:
            log.record(channel="t", user_id=1, reply=reply(q), latency_ms=1)
    from jinshui_qa.storage.question_log import read_questions

    groups = cluster_questions(read_questions(db_path))
    assert sorted(sorted(g.questions) for g in groups) == [
        ["二手房价格", "二手房价格多少"],  # one character (房 -> 车) changes the subject
        ["二手车价格"],
        ["有多少家科技型企业", "科技型企业有多少家"],  # word order
        ["高新技术企业有几家", "高薪技术企业有几家"],  # a homophone typo (薪/新, xin)
    ]


def test_a_file_that_is_not_a_question_log_is_a_store_error(tmp_path: Path) -> None:
    from jinshui_qa.errors import StoreError

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 50)
    with pytest.raises(
        StoreError, match=r"^cannot read the question log .*junk\.db: file is not a database$"
    ):
        report_for(junk, 0)
