"""A tour of every command with bad arguments, each in its own process as a person would run it.

None may end in a Python traceback: every problem is one line on standard error (argparse's usage
line plus its error for a malformed argument) and a non-zero exit status. The commands this suite's
owner maintains must not hit the last-resort "internal error" line either.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456:" + "A" * 35


def tour(tmp: Path) -> list[tuple[list[str], bytes | None]]:
    """(argv, standard input) of every command with something wrong."""
    junk = tmp / "junk.db"
    junk.write_bytes(b"this is not a database" * 50)
    binary = tmp / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    broken = tmp / "broken"
    broken.mkdir()
    (broken / "sources.yaml").write_text("reports: [\n", encoding="utf-8")
    a_file = tmp / "a-file"
    a_file.write_text("x", encoding="utf-8")
    nowhere = str(tmp / "nowhere")
    return [
        ([], None),
        (["nonsense"], None),
        (["check", "--facts", nowhere], None),
        (["check", "--facts", str(a_file)], None),
        (["check", "--facts", str(broken)], None),
        (["check", "--stale", "abc"], None),
        (["check", "--stale", "-3d"], None),
        (["ask", "--facts", nowhere, "高企有几家"], None),
        (["ask", "--facts", str(broken), "高企有几家"], None),
        (["ask", "--json"], bytes(range(256)) + b"\n\n" + b"x" * 10_000 + b"\n"),
        (["chat", "--facts", nowhere], None),
        (["chat"], b"/nonsense\n/lang fr\n\xff\xfe\n/debug\n\n"),
        (["eval", nowhere], None),
        (["eval", str(binary)], None),
        (["eval", "--min-accuracy", "abc"], None),
        (["build", "--db", str(tmp)], None),
        (["build", "--db", str(a_file / "facts.db")], None),
        (["build", "--facts", nowhere], None),
        (["build", "--facts", str(broken)], None),
        (["report", "--db", str(junk)], None),
        (["report", "--db", str(binary)], None),
        (["report", "--since", "yesterday"], None),
        (["report", "--since", "2999-01-01"], None),
        (["report", "--limit", "0"], None),
        (["report", "--json", "--csv"], None),
        (["suggest", "--db", str(junk)], None),
        (["suggest", "--apply", "abc"], None),
        (["suggest", "--min-score", "200"], None),
        (["suggest", "--min-count", "x"], None),
        (["audit"], None),
        (["audit", "--source", nowhere], None),
        (["audit", "--source", str(binary)], None),
        (["audit", "--source", str(tmp)], None),
        (["bot"], None),
        (["bot", "--port", "0"], None),
        (["bot", "--env-file", nowhere], None),
        (["bot", "--healthcheck"], None),
        (["bot", "--healthcheck", "--env-file", nowhere], None),
        (["bot", "--webhook", "http://insecure.example.com/x"], None),
        (["bot", "--facts", nowhere], None),
    ]


def run(argv: list[str], stdin: bytes | None, tmp: Path) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "JQA_"))}
    env |= {"PYTHONPATH": str(ROOT / "src"), "JQA_DATA_DIR": str(tmp / "data")}
    if argv[:1] == ["bot"] and "--webhook" not in argv and "--env-file" not in argv:
        env["TELEGRAM_BOT_TOKEN"] = "not-a-token" if argv == ["bot"] else TOKEN
    return subprocess.run([sys.executable, "-m", "jinshui_qa", *argv], input=stdin or b"", env=env, cwd=tmp,
                          capture_output=True, timeout=120, check=False)  # fmt: skip


def test_no_command_ends_in_a_traceback(tmp_path: Path) -> None:
    cases = tour(tmp_path)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda case: run(*case, tmp_path), cases))
    problems = []
    for (argv, _), result in zip(cases, results, strict=True):
        output = (result.stdout + result.stderr).decode("utf-8", errors="replace")
        bad_input_only = argv in (["chat"], ["ask", "--json"])  # odd input, fine arguments: answered, exit 0
        if "Traceback" in output or (argv[:1] != ["eval"] and "internal error" in output):
            problems.append(f"jinshui-qa {' '.join(argv)}:\n{output}")
        elif bad_input_only:
            if result.returncode != 0 or result.stderr.strip():
                problems.append(f"jinshui-qa {' '.join(argv)}: exit status {result.returncode}\n{output}")
        elif result.returncode == 0:
            problems.append(f"jinshui-qa {' '.join(argv)}: exit status 0 for a bad argument\n{output}")
        elif not result.stderr.strip():
            problems.append(f"jinshui-qa {' '.join(argv)}: no message on standard error")
    assert problems == [], "\n\n".join(problems)


@pytest.mark.parametrize("argv", [["check", "--stale", "abc"], ["report", "--db", "junk.db"], ["bot"]])
def test_each_message_is_one_line(argv: list[str], tmp_path: Path) -> None:
    (tmp_path / "junk.db").write_bytes(b"this is not a database" * 50)
    result = run(argv, None, tmp_path)
    lines = [line for line in result.stderr.decode().splitlines() if not line.startswith(("usage:", " "))]
    assert len(lines) == 1 and lines[0].startswith("jinshui-qa"), result.stderr
