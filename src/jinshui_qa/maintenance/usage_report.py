"""``jinshui-qa report``: what citizens asked and what the bot could not answer, from the question log.

Counts by status, topic and channel; the top unanswered and low-confidence questions, grouped by what
they ask (:func:`cluster_questions`: shared neighbouring syllables of their content words, so a homophone
typo joins a group and a changed subject does not); answers people marked wrong (👎, with their
comments, from ``storage.feedback``); the slowest questions.
Rendered as terminal text, JSON or CSV, and as a two-line summary for the Telegram ``/stats`` command.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import sqlite3
import statistics
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from jinshui_qa.errors import StoreError
from jinshui_qa.facts.schema import Lang
from jinshui_qa.maintenance.clusters import SIMILAR_AT, Cluster, cluster_questions
from jinshui_qa.maintenance.wrong_answers import WrongAnswer, marked_wrong
from jinshui_qa.storage.feedback import Tally, read_votes, tallies
from jinshui_qa.storage.question_log import LoggedQuestion, read_questions

LOW_SCORE = 65.0
NOT_UNANSWERED = frozenset({"empty", "too_long", "numbers"})  # no real question: 「0」 asks nothing


def is_unanswered(row: LoggedQuestion) -> bool:
    """A fallback to a real question (not an empty or overlong message, nor numbers alone)."""
    return row.status == "fallback" and row.reason.partition(":")[0] not in NOT_UNANSWERED


def is_low_confidence(row: LoggedQuestion, low_score: float = LOW_SCORE) -> bool:
    """A clarifying question, or an answer scored under ``low_score``."""
    return row.status == "clarify" or (row.status == "answer" and row.score < low_score)


@dataclass
class UsageReport:
    """Everything ``jinshui-qa report`` shows, as plain data."""

    since: float
    until: float
    total: int = 0
    users: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_topic: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    median_ms: float = 0.0
    p95_ms: float = 0.0
    unanswered_total: int = 0
    low_confidence_total: int = 0
    unanswered: list[Cluster] = field(default_factory=list)
    low_confidence: list[Cluster] = field(default_factory=list)
    slowest: list[LoggedQuestion] = field(default_factory=list)
    marked_wrong_total: int = 0
    marked_wrong: list[WrongAnswer] = field(default_factory=list)
    wrong_clusters: list[Cluster] = field(default_factory=list)  # for `suggest`: like unanswered questions

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["wrong_clusters"]
        for key in ("since", "until"):
            data[key] = _iso(data[key])
        for cluster in data["unanswered"] + data["low_confidence"]:
            cluster["last_seen"] = _iso(cluster["last_seen"])
            del cluster["questions"]
        data["slowest"] = [{"question": r.question, "latency_ms": r.latency_ms, "status": r.status,
                            "fact_id": r.fact_id, "at": _iso(r.ts)} for r in self.slowest]  # fmt: skip
        return data

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["section", "label", "count", "score", "latency_ms", "detail"])
        for section, counts in (
            ("status", self.by_status),
            ("topic", self.by_topic),
            ("channel", self.by_channel),
        ):
            writer.writerows([section, label, n, "", "", ""] for label, n in counts.items())
        for section, clusters in (("unanswered", self.unanswered), ("low_confidence", self.low_confidence)):
            for c in clusters:
                detail = "; ".join(filter(None, [c.reason, " ".join(c.facts), " | ".join(c.examples)]))
                writer.writerow([section, c.question, c.count, c.score, "", detail])
        writer.writerows(["slowest", r.question, 1, r.score, r.latency_ms, r.status] for r in self.slowest)
        writer.writerows(["marked_wrong", w.question, w.down, "", "", "; ".join([f"{w.fact_id} up {w.up}", *w.comments])]
                         for w in self.marked_wrong)  # fmt: skip
        return out.getvalue()

    def text(self) -> str:
        days = (self.until - self.since) / 86_400
        head = f"Question log, {_stamp(self.since)} to {_stamp(self.until)} UTC ({days:g} days)"
        if self.since <= 0:
            head = f"Question log, everything up to {_stamp(self.until)} UTC"
        if not self.total:
            return f"{head}\nNo questions logged in this period."
        statuses = ", ".join(f"{k} {v} ({100 * v / self.total:.0f}%)" for k, v in self.by_status.items())
        lines = [head, f"Questions: {self.total} from {self.users} users; "
                       f"latency median {self.median_ms:g} ms, 95th percentile {self.p95_ms:g} ms",
                 "By status: " + statuses,
                 "By topic: " + (", ".join(f"{k} {v}" for k, v in self.by_topic.items()) or "-"),
                 "By channel: " + ", ".join(f"{k} {v}" for k, v in self.by_channel.items())]  # fmt: skip
        sections = (("Top unanswered questions", self.unanswered_total, self.unanswered),
                    ("Low-confidence questions", self.low_confidence_total, self.low_confidence))  # fmt: skip
        for title, total, clusters in sections:
            lines += ["", f"{title} ({total}; top {len(clusters)} groups):" if clusters else f"{title}: none"]
            for c in clusters:
                tag = c.reason or ", ".join(c.facts)
                lines.append(f"  {c.count:>4}  {c.question}  [{tag}] score {c.score:g}")
                if c.examples:
                    lines.append(f"        also: {' | '.join(c.examples)}")
        title = "Answers people marked wrong"
        lines += ["", f"{title} ({self.marked_wrong_total}; top {len(self.marked_wrong)}):" if self.marked_wrong
                  else f"{title}: none"]  # fmt: skip
        for w in self.marked_wrong:
            lines.append(f"  👎{w.down:<3} 👍{w.up:<3} {w.question}  [{w.fact_id}]")
            if w.comments:
                lines.append(f"        comments: {' | '.join(w.comments[:5])}")
        lines += ["", "Slowest questions:" if self.slowest else "Slowest questions: none"]
        lines += [f"  {r.latency_ms:>7g} ms  {r.question}  [{r.status}]" for r in self.slowest]
        return "\n".join(lines)

    def stats_text(self, lang: Lang = "zh", topic_titles: Mapping[str, str] | None = None) -> str:
        """A short summary for admins (Telegram ``/stats``); ``topic_titles`` maps topic ids to titles."""
        days = round((self.until - self.since) / 86_400)
        answered = self.by_status.get("answer", 0)
        unanswered = self.unanswered_total
        share = f"{100 * answered / self.total:.0f}%" if self.total else "-"
        top = self.unanswered[0] if self.unanswered else None
        topic = next(iter(self.by_topic), None)
        topic = (topic_titles or {}).get(topic, topic) if topic else None
        if lang == "zh":
            text = (f"近{days}天：{self.total}个问题，{self.users}位用户；已回答{answered}（{share}），"
                    f"未答出{unanswered}，需澄清{self.by_status.get('clarify', 0)}。")  # fmt: skip
            text += f"\n问得最多的主题：{topic}。" if topic else ""
            return text + (f"\n未答出最多：{top.question}（{top.count}次）" if top else "")
        text = (f"Last {days} days: {self.total} questions from {self.users} users; "
                f"answered {answered} ({share}), unanswered {unanswered}, "
                f"clarified {self.by_status.get('clarify', 0)}.")  # fmt: skip
        text += f"\nTop topic: {topic}." if topic else ""
        return text + (f"\nMost asked unanswered: {top.question} ({top.count}×)" if top else "")


def build_report(rows: list[LoggedQuestion], since: float, until: float, *, limit: int = 10,
                 low_score: float = LOW_SCORE, threshold: float = SIMILAR_AT,
                 votes: Mapping[str, Tally] | None = None) -> UsageReport:  # fmt: skip
    """Summarise the rows logged between ``since`` and ``until`` (``votes``: tallies by question id)."""
    report = UsageReport(since, until, total=len(rows), users=len({r.user_hash for r in rows if r.user_hash}))
    report.by_status = dict(Counter(r.status for r in rows).most_common())
    report.by_topic = dict(Counter(r.topic for r in rows if r.status == "answer" and r.topic).most_common())
    report.by_channel = dict(Counter(r.channel for r in rows).most_common())
    latencies = sorted(r.latency_ms for r in rows)
    if latencies:
        report.median_ms = round(statistics.median(latencies), 1)
        report.p95_ms = round(latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 1)
    unanswered = [r for r in rows if is_unanswered(r)]
    low = [r for r in rows if is_low_confidence(r, low_score)]
    report.unanswered_total, report.low_confidence_total = len(unanswered), len(low)
    report.unanswered = cluster_questions(unanswered, threshold)[:limit]
    report.low_confidence = cluster_questions(low, threshold)[:limit]
    report.slowest = sorted(rows, key=lambda r: (-r.latency_ms, r.ts))[:limit]
    wrong = marked_wrong(rows, votes or {})
    report.marked_wrong_total, report.marked_wrong = len(wrong), wrong[:limit]
    down = [
        r
        for r in rows
        if r.status == "answer" and (t := (votes or {}).get(r.question_id or "")) and t.marked_wrong
    ]
    report.wrong_clusters = cluster_questions(down, threshold)[:limit]
    for cluster in report.wrong_clusters:
        cluster.reason = "marked_wrong"
    return report


def report_for(
    db_path: str | os.PathLike[str], since: float, until: float | None = None, **kwargs: Any
) -> UsageReport:
    """Read the log at ``db_path`` and summarise it; :class:`StoreError` when it is not a question log."""
    until = time.time() if until is None else until
    try:
        rows = read_questions(db_path, since, until)
        votes = tallies(read_votes(db_path, since))
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise StoreError(f"cannot read the question log {db_path}: {reason}") from None
    except (KeyError, TypeError, ValueError) as exc:  # a database, but not a question log
        raise StoreError(f"cannot read the question log {db_path}: not a question log ({exc})") from None
    return build_report(rows, since, until, votes=votes, **kwargs)


def stats_text(db_path: str | os.PathLike[str], lang: Lang = "zh", *, days: float = 7.0,
               now: float | None = None, topic_titles: Mapping[str, str] | None = None) -> str:  # fmt: skip
    """The ``/stats`` summary of the last ``days`` days of the log at ``db_path``."""
    now = time.time() if now is None else now
    return report_for(db_path, now - days * 86_400, now, limit=1).stats_text(lang, topic_titles)


def _iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="seconds")


def _stamp(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d %H:%M")
