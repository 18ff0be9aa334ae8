"""The command line under hostile or careless input: one line and a non-zero exit, never a traceback, and
nothing a user typed reaches the maintainer's terminal as a control sequence."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jinshui_qa.cli import main
from jinshui_qa.console.repl import run_console
from jinshui_qa.conversation.assistant import Assistant
from jinshui_qa.storage.feedback import read_votes
from jinshui_qa.storage.question_log import QuestionLog, read_questions
from tests.support.district import facts_dir, reply

__all__ = ["facts_dir"]
ANSI = "\x1b[2J\x1b]8;;http://evil\x07click\x1b]8;;\x07\r\x9b31m\u202eevil"


def jqa(*argv: str | bytes, stdin: bytes = b"", env: dict[str, str] | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:  # fmt: skip
    environ = {**os.environ, "PYTHONPATH": str(Path("src").resolve()), **(env or {})}
    environ.pop("JQA_FACTS_DIR", None)
    return subprocess.run([sys.executable, "-m", "jinshui_qa", *argv], input=stdin, capture_output=True,
                          env=environ, cwd=cwd, timeout=120, check=False)  # fmt: skip


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("jinshui-qa: "), (out, err)
    return err


def test_report_and_suggest_refuse_a_directory_or_a_missing_explicit_db(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in ("report", "suggest"):
        assert main([command, "--db", str(tmp_path)]) == 2
        assert "is a directory, not a question log" in one_line_error(capsys)
        assert main([command, "--db", str(tmp_path / "typo.db")]) == 2
        assert f"there is no question log at {tmp_path / 'typo.db'}" in one_line_error(capsys)
    (tmp_path / "file").write_text("x")
    assert main(["report", "--data-dir", str(tmp_path / "file")]) == 2
    assert "is not a directory" in one_line_error(capsys)
    assert main(["report", "--data-dir", str(tmp_path / "empty")]) == 0  # no log yet: nothing logged
    assert "No questions logged" in capsys.readouterr().out


def test_build_does_not_create_the_directories_of_an_explicit_db(
    tmp_path: Path, facts_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no" / "such" / "x.db"
    assert main(["build", "--facts", str(facts_dir), "--db", str(target)]) == 2
    assert f"the directory {target.parent} does not exist" in one_line_error(capsys)
    assert not (tmp_path / "no").exists()
    assert main(["build", "--facts", str(facts_dir), "--data-dir", str(tmp_path / "new" / "data")]) == 0
    assert (tmp_path / "new" / "data" / "facts.db").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "new" / "data").stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize(
    "argv", [["report", "--db", ""], ["suggest", "--data-dir", " "], ["build", "--db", ""]]
)
def test_an_empty_path_is_refused_not_taken_as_the_default(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2 and "expected a path, not an empty string" in capsys.readouterr().err


def test_ask_with_a_missing_facts_directory_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in (["ask", "hi"], ["eval"], ["chat"], ["suggest"]):
        assert main([*command, "--facts", str(tmp_path / "nope")]) == 2
        assert (
            one_line_error(capsys)
            == f"jinshui-qa: facts directory {tmp_path / 'nope'} (from --facts) does not exist\n"
        )


def test_report_escapes_control_characters_from_questions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with QuestionLog.in_dir(tmp_path) as log:
        for _ in range(2):
            log.record(channel="telegram", user_id=1, reply=reply(ANSI), latency_ms=1)
    for fmt in ([], ["--csv"], ["--json"]):
        assert main(["report", "--data-dir", str(tmp_path), *fmt]) == 0
        out = capsys.readouterr().out
        assert not any(c in out for c in "\x1b\x07\r\x9b\u202e"), fmt
        assert "evil" in out and ("\\u001b[2J" if fmt == ["--json"] else "\\x1b[2J") in out
    assert main(["report", "--data-dir", str(tmp_path), "--json"]) == 0
    parsed = json.loads(capsys.readouterr().out)  # still JSON, and the question is exactly what was asked
    assert ANSI in strings(parsed)


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [s for item in items for s in strings(item)]


def test_suggest_escapes_control_characters(
    tmp_path: Path, facts_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with QuestionLog.in_dir(tmp_path) as log:
        log.record(channel="telegram", user_id=1, reply=reply(f"金标准人才 {ANSI}"), latency_ms=1)
    assert main(["suggest", "--facts", str(facts_dir), "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "evil" in out and not any(c in out for c in "\x1b\x07\r\x9b\u202e")


def test_chat_reads_bytes_that_are_not_utf8_and_takes_a_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    stdin = b"\377\376 hi\n" + "金水区有几家高企\n".encode()  # printf '\377\376 hi\n金水区有几家高企\n'
    strict = {"PYTHONIOENCODING": "utf-8:strict", "PYTHONUTF8": "0", "LC_ALL": "C.UTF-8"}  # no lenient locale
    done = jqa("chat", "--data-dir", str(data), stdin=stdin, env=strict, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert b"Traceback" not in done.stderr and done.stderr == b""
    assert "723" in done.stdout.decode()  # the second line is answered
    rows = read_questions(data / "questions.db")
    assert [r.question for r in rows] == ["\ufffd\ufffd hi", "金水区有几家高企"]
    assert (data / "questions.db").stat().st_mode & 0o777 == 0o600


def test_good_after_another_command_rates_the_last_answer_and_names_it(
    assistant: Assistant, tmp_path: Path
) -> None:
    """/topics shows no answer: /good after it rates the answer before it, saying which; a message after
    a vote makes its own reply the one rated."""
    import io

    stdout = io.StringIO()
    stdin = io.StringIO("金水区科技型企业有几家\n/topics\n/good\n高企有几家\n/bad\n/good\n/quit\n")
    with QuestionLog.in_dir(tmp_path) as log:
        run_console(lambda: assistant, stdin=stdin, stdout=stdout, recorder=log)
    out = stdout.getvalue()
    assert "还没有可以评价的回答。" not in out and out.count("谢谢反馈！") == 3
    assert out.count("（评价的是上一个回答：「金水区科技型企业有几家」）") == 1
    votes = read_votes(tmp_path / "questions.db")
    rows = read_questions(tmp_path / "questions.db")
    assert {v.question_id: v.vote for v in votes} == {rows[0].question_id: "up", rows[1].question_id: "up"}


@pytest.mark.parametrize(
    "argv",
    [
        ["ask", ""],
        ["ask", "金" * 40_000],
        [b"ask", b"\xff\xfe\x80 bad utf-8"],
        ["check", "--facts", ""],
        ["check", "--stale", ""],
        ["report", "--since", ""],
        ["report", "--since", "\x1b[2J"],
        [b"report", b"--db", b"/tmp/\xff.db"],
        ["report", "--limit", "99999999999999999999999"],
        ["suggest", "--apply", ""],
        ["eval", ""],
        ["eval", "/dev/null"],
        ["eval", "/dev/zero"],  # read until memory ran out
        ["eval", "/tmp"],
        ["bot", "--healthcheck", "--data-dir", ""],
        [""],
    ],
)
def test_bad_arguments_never_end_in_a_traceback(argv: list[str | bytes], tmp_path: Path) -> None:
    done = jqa(*argv, cwd=tmp_path, env={"JQA_DATA_DIR": str(tmp_path / "data")})
    assert b"Traceback" not in done.stderr and b"internal error" not in done.stderr, done.stderr
    assert done.returncode in (0, 1, 2), (done.returncode, done.stderr)
    lines = done.stderr.decode(errors="replace").splitlines()
    assert (
        len([line for line in lines if not line.startswith(("usage:", " "))]) <= 1
    )  # one line (after usage)
