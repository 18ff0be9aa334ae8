"""The maintainers' subcommands as the CLI calls them: parsed arguments in, exit code and output out."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from jinshui_qa.errors import ConfigError
from jinshui_qa.facts.loader import load
from jinshui_qa.maintenance.cli import add_parsers, data_dir, parse_days, parse_since, stale_warnings
from jinshui_qa.settings import DEFAULT_DATA_DIR
from jinshui_qa.storage.question_log import QuestionLog
from tests.support.district import MARKET, REPORT, SOURCES, TALENT, WriteFacts, reply


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="jinshui-qa")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


@pytest.fixture
def report_file(tmp_path: Path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


def test_build(facts_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "out.db"
    assert run("build", "--facts", str(facts_dir), "--db", str(db)) == 0
    fingerprint = load(facts_dir).fingerprint
    assert capsys.readouterr().out == (
        f"built {db}: 8 facts, 24 phrasings, 17 keywords, 9 figures, 4 topics ({fingerprint})\n"
    )


def test_build_into_the_data_directory(
    facts_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JQA_DATA_DIR", str(tmp_path / "env-data"))
    assert data_dir() == tmp_path / "env-data"
    assert run("build", "--facts", str(facts_dir)) == 0
    assert (tmp_path / "env-data" / "facts.db").is_file()
    assert run("build", "--facts", str(facts_dir), "--data-dir", str(tmp_path / "given")) == 0
    assert (tmp_path / "given" / "facts.db").is_file()
    monkeypatch.delenv("JQA_DATA_DIR")
    assert data_dir() == DEFAULT_DATA_DIR


def test_build_refuses_invalid_facts(
    write_facts: WriteFacts, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = write_facts(**{"talent.yaml": TALENT.replace("    audience: both\n", "    audience: [both\n", 1)})
    assert run("build", "--facts", str(facts), "--db", str(tmp_path / "x.db")) == 1
    err = capsys.readouterr().err
    assert err.startswith("talent.yaml:8: malformed YAML")
    assert not (tmp_path / "x.db").exists()


def test_build_with_a_missing_facts_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("build", "--facts", str(tmp_path / "nowhere"), "--db", str(tmp_path / "x.db")) == 1
    assert "does not exist" in capsys.readouterr().err


def absolute(write_facts: WriteFacts) -> Path:
    """The district set with its answers' relative periods made absolute (what the fidelity audit wants)."""
    talent = TALENT.replace("今年新增了1名", "2022年新增了1名").replace(
        "academician this year", "academician in 2022"
    )
    market = MARKET.replace("zh: 今年1~3月新增", "zh: 2022年1~3月新增")
    return write_facts(**{"talent.yaml": talent, "market.yaml": market})


def test_audit_reports_relative_time_in_answers(
    facts_dir: Path, report_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("audit", "--source", str(report_file), "--facts", str(facts_dir)) == 1
    out = capsys.readouterr().out.splitlines()
    assert "fidelity problems (3):" in out
    assert sum("without an absolute period" in line for line in out) == 3


def test_audit(write_facts: WriteFacts, report_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("audit", "--source", str(report_file), "--facts", str(absolute(write_facts))) == 0
    assert capsys.readouterr().out.splitlines() == [
        "unsupported numbers: none",
        "uncovered source figures (1):",
        "report.txt:9: 54  …专项债项目申报54个。今年1~3月新增市场…",
        "fidelity problems: none",
        "computed replies: 210 questions, 38 computations, 0 problem(s)",
        "audit: 8 facts, 40 numbers checked, 0 unsupported, 1 source figure(s) uncovered",
    ]


def test_audit_fails_on_an_unsupported_number(
    write_facts: WriteFacts, report_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edited = TALENT.replace("19.2万人。", "19.5万人。").replace("192,000", "195,000")
    facts = write_facts(
        **{"talent.yaml": edited.replace("{value: 19.2,", "{value: 19.5,")}
    )  # figure and answers
    assert run("audit", "--source", str(report_file), "--facts", str(facts)) == 1
    line = TALENT.splitlines().index("      zh: 按“金标准”认定，辖区人才达19.2万人。") + 1
    assert f"talent.yaml:{line}: gold_talent: 19.5万 (= 195,000)" in capsys.readouterr().out.splitlines()


def test_audit_without_the_source(
    facts_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("audit", "--source", str(tmp_path / "missing.txt"), "--facts", str(facts_dir)) == 2
    err = capsys.readouterr().err.splitlines()
    assert (
        err[0]
        == f"jinshui-qa: cannot read the source report {tmp_path / 'missing.txt'}: No such file or directory"
    )
    assert err[1] == "  the report is test-report: 《测试报道》, 测试日报 (Test Daily), 2022; no URL known"


def test_audit_names_where_the_report_was_published(
    write_facts: WriteFacts, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    published = SOURCES.replace("    year: 2022\n", "    year: 2022\n    date: 2022-03-28\n"
                                "    url: https://example.org/zzrb/20220328/1.html\n    title_en: A test report\n")  # fmt: skip
    facts = write_facts(**{"sources.yaml": published})
    assert run("audit", "--source", str(tmp_path / "missing.txt"), "--facts", str(facts)) == 2
    assert capsys.readouterr().err.splitlines()[1] == (
        "  the report is test-report: 《测试报道》 (A test report), 测试日报 (Test Daily), 2022-03-28; "
        "https://example.org/zzrb/20220328/1.html"
    )


def test_storage_errors_are_one_line(
    facts_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from jinshui_qa.cli import main

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 2\0" + b"x" * 200)
    assert main(["build", "--facts", str(facts_dir), "--db", str(tmp_path)]) == 2
    assert main(["report", "--db", str(junk)]) == 2
    assert main(["suggest", "--facts", str(facts_dir), "--db", str(junk)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"jinshui-qa: cannot write the fact store {tmp_path}: it is a directory (give a file name)",
        f"jinshui-qa: cannot read the question log {junk}: file is not a database",
        f"jinshui-qa: cannot read the question log {junk}: file is not a database",
    ]


def test_suggest_apply_on_read_only_facts_says_to_use_the_host(
    facts_dir: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from jinshui_qa.bootstrap import assistant_for
    from jinshui_qa.cli import main

    assistant = assistant_for(load(facts_dir))
    with QuestionLog(db_path) as log:
        log.record(channel="t", user_id=1, reply=assistant.reply("金水区人才一共多少"), latency_ms=1)
    # as the container mounts facts/ (read-only); root may write anywhere, so the check is what is faked
    monkeypatch.setattr("jinshui_qa.maintenance.cli.os.access", lambda path, mode: False)
    assert main(["suggest", "--facts", str(facts_dir), "--db", str(db_path), "--apply"]) == 2
    assert capsys.readouterr().err == (
        f"jinshui-qa: the facts in {facts_dir} are read-only; run `jinshui-qa suggest --apply` on the host "
        "checkout (the container mounts facts/ read-only)\n"
    )
    assert (facts_dir / "talent.yaml").read_text(encoding="utf-8") == TALENT


@pytest.mark.parametrize(("argv", "message"), [
    (["suggest", "--apply", "abc"], "argument --apply: --apply takes 'all' or suggestion numbers such as 1,3, not 'abc'"),
    (["suggest", "--apply", "0"], "argument --apply: --apply takes 'all' or suggestion numbers such as 1,3, not '0'"),
    (["report", "--since", "2999-01-01"], "argument --since: --since '2999-01-01' is in the future: nothing could have been asked since then"),
    (["report", "--limit", "-1"], "argument --limit: expected a whole number of at least 1, not '-1'"),
    (["suggest", "--min-score", "nan"], "argument --min-score: expected a score from 0 to 100, not 'nan'"),
])  # fmt: skip
def test_arguments_that_would_do_nothing_are_refused(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(*argv)
    assert exit_.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"jinshui-qa {argv[0]}: error: {message}"


def test_report_and_build_read_dot_env_like_the_bot(
    facts_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JQA_DATA_DIR", raising=False)
    monkeypatch.delenv("JQA_FACTS_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        f"JQA_DATA_DIR={tmp_path / 'from-env'}\nJQA_FACTS_DIR={facts_dir}\n", encoding="utf-8"
    )
    assert data_dir() == tmp_path / "from-env"
    assert run("build") == 0  # facts and data directory both from .env
    assert (tmp_path / "from-env" / "facts.db").is_file()
    monkeypatch.setenv("JQA_DATA_DIR", str(tmp_path / "from-environment"))  # the environment wins
    assert data_dir() == tmp_path / "from-environment"


def test_report_formats(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with QuestionLog(db_path) as log:
        log.record(channel="telegram", user_id=7, reply=reply("金水区人口有多少"), latency_ms=4)
        log.record(channel="telegram", user_id=7, reply=reply("金标准人才有多少", "answer"), latency_ms=6)
    assert run("report", "--db", str(db_path)) == 0
    text = capsys.readouterr().out
    assert "Questions: 2 from 1 users; latency median 5 ms, 95th percentile 6 ms" in text
    assert "     1  金水区人口有多少  [not_covered:人口] score 20" in text
    assert run("report", "--db", str(db_path), "--json") == 0
    assert json.loads(capsys.readouterr().out)["by_status"] == {"fallback": 1, "answer": 1}
    assert run("report", "--db", str(db_path), "--csv", "--since", "all") == 0
    assert capsys.readouterr().out.splitlines()[1] == "status,fallback,1,,,"
    with pytest.raises(SystemExit):
        run("report", "--json", "--csv")


def test_report_with_no_log_yet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("report", "--data-dir", str(tmp_path)) == 0
    assert capsys.readouterr().out.strip().endswith("No questions logged in this period.")
    assert not (tmp_path / "questions.db").exists()


def test_suggest_and_apply(facts_dir: Path, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from jinshui_qa.bootstrap import assistant_for

    assistant = assistant_for(load(facts_dir))
    with QuestionLog(db_path) as log:
        for question in ["金水区人才一共多少", "金水区人才一共多少", "今天天气怎么样"]:
            log.record(channel="t", user_id=1, reply=assistant.reply(question), latency_ms=1)
    argv = ("suggest", "--facts", str(facts_dir), "--db", str(db_path))
    assert run(*argv) == 0
    out = capsys.readouterr().out
    first = "  1. 2× 金水区人才一共多少\n       → add to gold_talent (talent.yaml, questions.zh): "
    assert first + "金水区人才一共多少" in out
    assert (
        "  2. 1× 今天天气怎么样\n       → needs a new fact (not covered: 天气)" in out
    )  # the thing no fact holds
    assert (facts_dir / "talent.yaml").read_text(encoding="utf-8") == TALENT  # listing changes nothing
    with pytest.raises(ConfigError, match="suggestion 2 needs a new fact, which --apply cannot write"):
        run(*argv, "--apply", "2")
    with pytest.raises(ConfigError, match="there is no suggestion 7"):
        run(*argv, "--apply", "1,7")
    assert (facts_dir / "talent.yaml").read_text(encoding="utf-8") == TALENT  # refused: nothing written
    capsys.readouterr()
    assert run(*argv, "--apply") == 0
    assert capsys.readouterr().out.endswith("added 1 phrasing(s) to talent.yaml; the facts validate\n")
    assert "        - 金水区人才一共多少\n" in (facts_dir / "talent.yaml").read_text(encoding="utf-8")
    assert run(*argv) == 0  # now answered: nothing left to suggest for that group
    assert "金水区人才一共多少  →" not in capsys.readouterr().out


def test_suggest_with_an_empty_log(
    facts_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("suggest", "--facts", str(facts_dir), "--data-dir", str(tmp_path)) == 0
    assert capsys.readouterr().out == "no unanswered questions to suggest for\n"


def test_stale_warnings(facts_dir: Path) -> None:
    base = load(facts_dir)
    line = TALENT.splitlines().index("  - id: academicians") + 1
    assert stale_warnings(base, parse_days("365d"), today=dt.date(2026, 11, 28)) == [
        f"talent.yaml:{line}: fact academicians: last verified 2024-01-15, 1048 days ago (more than 365)"
    ]
    assert stale_warnings(base, parse_days("3w"), today=dt.date(2026, 11, 28)) == stale_warnings(
        base, 21, dt.date(2026, 11, 28)
    )


def test_durations_and_dates() -> None:
    assert parse_days("365d") == 365
    assert parse_days("2w") == 14
    assert parse_days("36h") == 1.5
    assert parse_days("30") == 30
    now = 1_800_000_000.0
    assert parse_since("7d", now) == now - 7 * 86_400
    assert parse_since("all", now) == 0
    assert parse_since("2026-11-01", now) == dt.datetime(2026, 11, 1, tzinfo=dt.UTC).timestamp()
    for bad in ["soon", "7 days", "-3d", "1e400d", "99999999999999d"]:
        with pytest.raises(ConfigError):
            parse_since(bad, now)
    with pytest.raises(ConfigError, match="is in the future"):
        parse_since("2027-02-01", now)
    with pytest.raises(ConfigError):
        parse_days("a year")


def test_python_m_jinshui_qa_audit(write_facts: WriteFacts, report_file: Path) -> None:
    run_ = subprocess.run([sys.executable, "-m", "jinshui_qa", "audit", "--source", str(report_file),
                           "--facts", str(absolute(write_facts))], capture_output=True, text=True)  # fmt: skip
    assert run_.returncode == 0, run_.stderr
    assert (
        run_.stdout.splitlines()[-1]
        == "audit: 8 facts, 40 numbers checked, 0 unsupported, 1 source figure(s) uncovered"
    )
