"""The command line: exact output of ``check``, ``ask`` (text, --json, stdin, --dialog) and ``eval``."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import jinshui_qa.bootstrap
from jinshui_qa.cli import main
from jinshui_qa.conversation.assistant import Assistant
from tests.support.tiny import ALPHA, BETA, REAL_FACTS, WriteFacts, line_of

JSON_KEYS = {"question", "status", "fact_id", "reply", "score", "lang", "options", "source"}


@pytest.fixture
def real_assistant(assistant: Assistant, monkeypatch: pytest.MonkeyPatch, no_facts_env: None) -> Assistant:
    """Commands that would load the real facts reuse the session's assistant (building one takes 0.6 s)."""
    original = jinshui_qa.bootstrap.bootstrap

    def bootstrap(facts: str | os.PathLike[str] | None = None, **_: object) -> Assistant:
        if facts is None or Path(facts).resolve() == REAL_FACTS:
            return assistant
        return original(facts)

    monkeypatch.setattr(jinshui_qa.bootstrap, "bootstrap", bootstrap)
    return assistant


def feed_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def json_lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


# -- check -----------------------------------------------------------------------------------------------


def test_check_clean(write_facts: WriteFacts, capsys: pytest.CaptureFixture[str]) -> None:
    full = {
        "alpha.yaml": ALPHA.replace("高企数量]", "高企数量, 高企几家]").replace(
            "规模]", "规模, 科技企业数量]"
        ),
        "beta.yaml": BETA.replace("重点项目有多少]", "重点项目有多少, 重点项目数量]"),
    }
    assert main(["check", "--facts", str(write_facts(**full))]) == 0
    out, err = capsys.readouterr()
    assert out == "ok: 3 facts, 12 phrasings, 2 topics\n"
    assert err == ""


def test_check_wants_three_chinese_phrasings(
    write_facts: WriteFacts, capsys: pytest.CaptureFixture[str]
) -> None:
    # facts/README.md: "at least 3 zh and 1 en"; the tiny set has two of each fact's Chinese phrasings
    assert main(["check", "--facts", str(write_facts())]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"alpha.yaml:{line_of(ALPHA, '- id: hte_count')}: fact hte_count: needs at least 3 different zh question(s), has 2",
        f"alpha.yaml:{line_of(ALPHA, '- id: tech_count')}: fact tech_count: needs at least 3 different zh question(s), has 2",
        f"beta.yaml:{line_of(BETA, '- id: project_count')}: fact project_count: needs at least 3 different zh question(s), has 2",
    ]
    assert err == "3 problem(s) found\n"


def test_check_stale_is_refused_before_anything_runs(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["check", "--stale", "abc", "--facts", "/nonexistent"])  # the facts are never looked at
    assert exit_.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "jinshui-qa check: error: argument --stale: 'abc' is not a duration like 365d, 7d, 24h or 2w"
    )


def test_check_the_real_facts(capsys: pytest.CaptureFixture[str], no_facts_env: None) -> None:
    assert main(["check"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("ok: ") and out.count("\n") == 1


def test_check_broken(write_facts: WriteFacts, capsys: pytest.CaptureFixture[str]) -> None:
    beta = (
        BETA.replace("    keywords:", "    colour: red\n    keywords:")
        .replace("section: projects", "section: weather")
        .replace("zh: 今年谋划重点项目150个。", 'zh: ""')
    )
    assert main(["check", "--facts", str(write_facts(**{"beta.yaml": beta}))]) == 1
    out, err = capsys.readouterr()
    fact = line_of(beta, "- id: project_count")
    empty = line_of(beta, 'zh: ""')
    assert out.splitlines() == [
        f"beta.yaml:{fact}: fact project_count: unknown source section 'weather'",
        f"beta.yaml:{line_of(beta, 'colour: red')}: fact project_count: unknown key 'colour'",
        f"beta.yaml:{empty}: fact project_count.answer: 'zh' is empty",
    ]
    assert err == "3 problem(s) found\n"


def test_check_malformed_yaml(write_facts: WriteFacts, capsys: pytest.CaptureFixture[str]) -> None:
    beta = BETA.replace("  id: beta\n", "  id: beta\n\tbad: tab\n")
    assert main(["check", "--facts", str(write_facts(**{"beta.yaml": beta}))]) == 1
    out, _ = capsys.readouterr()
    line = line_of(beta, "bad: tab")
    assert (
        out == f"beta.yaml:{line}: malformed YAML: found character '\\t' that cannot start any token "
        f"(line {line}, column 1)\n"
    )


def test_check_missing_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_facts_env: None
) -> None:
    missing = tmp_path / "nope"
    assert main(["check", "--facts", str(missing)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"jinshui-qa: facts directory {missing} (from --facts) does not exist\n"


def test_missing_directory_from_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "gone"
    monkeypatch.setenv("JQA_FACTS_DIR", str(missing))
    for command in (["check"], ["ask", "高企有几家"], ["eval"]):
        assert main(command) == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert err == f"jinshui-qa: facts directory {missing} (from $JQA_FACTS_DIR) does not exist\n"


def test_ask_refuses_invalid_facts(write_facts: WriteFacts, capsys: pytest.CaptureFixture[str]) -> None:
    """No answer from a half-loaded base: one line on stderr, nothing on stdout."""
    beta = BETA.replace("section: projects", "section: weather")
    directory = write_facts(**{"beta.yaml": beta})
    assert main(["ask", "--facts", str(directory), "金水区高新技术企业有多少家"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("jinshui-qa: the facts are invalid: beta.yaml:")
    assert "unknown source section 'weather'" in err


# -- ask -------------------------------------------------------------------------------------------------


def test_ask_text(real_assistant: Assistant, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "高企", "有几家"]) == 0
    out, _ = capsys.readouterr()
    assert out == real_assistant.reply("高企 有几家").text + "\n"
    assert out.splitlines()[-1].startswith("来源：《")


def test_ask_json_answer(real_assistant: Assistant, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "How many high-tech enterprises does Jinshui have?"]) == 0
    (obj,) = json_lines(capsys.readouterr().out)
    assert set(obj) >= JSON_KEYS
    assert obj["question"] == "How many high-tech enterprises does Jinshui have?"
    assert (obj["status"], obj["fact_id"], obj["lang"], obj["options"]) == (
        "answer",
        "high_tech_enterprises",
        "en",
        [],
    )
    assert isinstance(obj["reply"], str) and isinstance(obj["source"], str)
    assert obj["reply"].endswith("Source: " + obj["source"])
    assert "Zhengzhou Daily" in obj["source"]
    assert isinstance(obj["score"], float)


def test_ask_json_score_is_0_to_100(
    real_assistant: Assistant, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 2: ``score`` (0 to 100), for every kind of reply."""
    questions = [
        "高企有几家",
        "金水区有多少家科技型企业",
        "How many high-tech enterprises does Jinshui have?",
        "项目",
        "二七区有多少家科技型企业",
        "你好",
        "",
    ]
    feed_stdin(monkeypatch, "\n".join(questions).encode() + b"\n")
    assert main(["ask", "--json"]) == 0
    scores = {str(o["question"]): o["score"] for o in json_lines(capsys.readouterr().out)}
    assert set(scores) == set(questions)
    assert {q: s for q, s in scores.items() if not (isinstance(s, int | float) and 0 <= s <= 100)} == {}


def test_ask_json_clarify(real_assistant: Assistant, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "项目"]) == 0
    (obj,) = json_lines(capsys.readouterr().out)
    assert (obj["status"], obj["fact_id"], obj["source"], obj["lang"]) == ("clarify", None, None, "zh")
    options = obj["options"]
    assert isinstance(options, list) and 2 <= len(options) <= 3
    for option in options:
        assert set(option) == {"fact_id", "title"}
        assert option["title"] == real_assistant.base.fact(option["fact_id"]).title.zh
        assert option["title"] in obj["reply"]


def test_ask_json_fallback(real_assistant: Assistant, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "二七区有多少家科技型企业"]) == 0
    (obj,) = json_lines(capsys.readouterr().out)
    assert (obj["status"], obj["fact_id"], obj["options"]) == ("fallback", None, [])
    assert obj["reason"] == "other_place:二七区"
    assert obj["source"] and obj["reply"].endswith("来源：" + obj["source"])  # of the figure it shows instead
    assert isinstance(obj["reply"], str) and "二七区" in obj["reply"]


def test_ask_stdin_lines_are_independent(
    real_assistant: Assistant, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    feed_stdin(monkeypatch, "高企有几家\n在全市占比多少\n\n".encode())
    assert main(["ask", "--json"]) == 0
    first, second, third = json_lines(capsys.readouterr().out)
    assert first["fact_id"] == "high_tech_enterprises"
    assert second["fact_id"] != "high_tech_enterprises"
    assert (third["question"], third["status"]) == ("", "fallback")


def test_ask_stdin_text_mode_prints_one_line_per_question(
    real_assistant: Assistant, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    feed_stdin(monkeypatch, "高企有几家\r\n项目\n你好\n".encode())
    assert main(["ask"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert lines[0] == real_assistant.reply("高企有几家").text.replace("\n", " ")
    assert lines[1].startswith("您想问的是哪一个？ 1. ")


def test_ask_dialog(
    real_assistant: Assistant, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    feed_stdin(
        monkeypatch, "今年谋划了多少重点项目\n总投资呢\n高企有几家\n在全市占比多少\n项目\n2\n".encode()
    )
    assert main(["ask", "--dialog", "--json"]) == 0
    got = [(o["status"], o["fact_id"]) for o in json_lines(capsys.readouterr().out)]
    clarify = real_assistant.reply("项目")
    assert got == [
        ("answer", "key_projects_count"),
        ("answer", "key_projects_total_investment"),
        ("answer", "high_tech_enterprises"),
        ("answer", "high_tech_enterprises"),
        ("clarify", None),
        ("answer", clarify.options[1].fact_id),
    ]


def test_ask_empty_stdin(
    real_assistant: Assistant, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    feed_stdin(monkeypatch, b"")
    assert main(["ask", "--json"]) == 0
    assert capsys.readouterr().out == ""


def test_ask_stdin_goes_on_after_any_line(
    real_assistant: Assistant, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line that trips the router (an Arabic-Indic digit next to Chinese) must not end the run."""
    feed_stdin(monkeypatch, "高企有٣家\n高企有几家\n".encode())
    assert main(["ask", "--json"]) == 0
    first, second = json_lines(capsys.readouterr().out)
    assert first["status"] in ("answer", "clarify", "fallback")
    assert second["fact_id"] == "high_tech_enterprises"


def test_ask_with_tiny_facts(write_facts: WriteFacts, capsys: pytest.CaptureFixture[str]) -> None:
    """--facts DIR is what the assistant serves: the tiny set's figure (150 key projects, not the real 233)."""
    assert main(["ask", "--json", "--facts", str(write_facts()), "重点项目有多少"]) == 0
    (obj,) = json_lines(capsys.readouterr().out)
    assert (obj["status"], obj["fact_id"]) == ("answer", "project_count")
    assert "150" in str(obj["reply"])


def test_module_entry_with_noisy_stdin(tmp_path: Path) -> None:
    """``python -m jinshui_qa ask --json``: one JSON object per input line, in order, whatever the bytes."""
    lines = [
        b"",
        "金".encode() * 34_000,  # about 100 kB of UTF-8
        b"\x00\x01\x02\x1b[31m\x7f\x0b\x0c",
        "😀🎉👍🏻".encode(),
        b"\xff\xfe\x80\xc3(\xa0\xa1\xed\xa0\x80",
        "高企有几家".encode(),
    ]
    env = {k: v for k, v in os.environ.items() if k != "JQA_FACTS_DIR"}
    env["PYTHONIOENCODING"] = "utf-8"
    run = subprocess.run(
        [sys.executable, "-m", "jinshui_qa", "ask", "--json"],
        input=b"\n".join(lines) + b"\n",
        capture_output=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    assert run.stderr == b""
    objects = json_lines(run.stdout.decode("utf-8"))
    assert len(objects) == len(lines)
    assert [o["status"] for o in objects] == ["fallback"] * 5 + ["answer"]
    assert objects[-1]["fact_id"] == "high_tech_enterprises"
    assert objects[0]["question"] == "" and objects[0]["reason"] == "empty"
    assert objects[1]["reason"] == "too_long" and len(str(objects[1]["question"])) == 301
    assert objects[3]["question"] == "😀🎉👍🏻"
    assert "\ufffd" in str(objects[4]["question"])
    for obj in objects:
        assert set(obj) >= JSON_KEYS and obj["reply"]


# -- eval ------------------------------------------------------------------------------------------------

TINY_EVAL = """\
questions:
  - {q: "金水区的高企有多少家", expect: high_tech_enterprises}
  - {q: "二七区高企有多少家", expect: fallback}
  - {q: "你好", expect: smalltalk}
dialogues:
  - name: projects
    turns:
      - {q: "今年谋划了多少重点项目", expect: key_projects_count}
      - {q: "总投资呢", expect: key_projects_total_investment}
"""


@pytest.fixture
def tiny_eval(tmp_path: Path) -> Path:
    path = tmp_path / "eval.yaml"
    path.write_text(TINY_EVAL, encoding="utf-8")
    return path


def test_eval_passes(real_assistant: Assistant, tiny_eval: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "eval",
                str(tiny_eval),
                "--min-accuracy",
                "0.95",
                "--max-false-answers",
                "0",
                "--min-dialogue",
                "0.9",
            ]
        )
        == 0
    )
    out, err = capsys.readouterr()
    assert "evaluation set: eval.yaml" in out
    assert "in-scope top-1 accuracy   100.00%  (1/1)" in out
    assert "out-of-scope answered       0.00%  (0/1)" in out
    assert "follow-up dialogue turns  100.00%  (1/1)" in out
    assert "misses (0):" in out
    assert err == ""


def test_eval_refuses_a_rate_that_is_no_rate(
    real_assistant: Assistant, tiny_eval: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", str(tiny_eval), "--min-accuracy", "101"]) == 2
    _, err = capsys.readouterr()
    assert err == "jinshui-qa: 101.0 is not a rate: give a fraction (0.97) or a percentage (97)\n"


@pytest.mark.parametrize("bar", ["0.97", "97"])
def test_eval_reads_a_percentage_like_a_fraction(
    real_assistant: Assistant, tmp_path: Path, capsys: pytest.CaptureFixture[str], bar: str
) -> None:
    path = tmp_path / "half.yaml"
    path.write_text('questions:\n  - {q: "高企有几家", expect: high_tech_enterprises}\n'
                    '  - {q: "高企有几家", expect: tech_enterprises}\n', encoding="utf-8")  # fmt: skip
    assert main(["eval", str(path), "--min-accuracy", bar]) == 1
    _, err = capsys.readouterr()
    assert err == "FAIL: accuracy 50.00% < 97.00%\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such evaluation file"),
        ("questions: [", "not valid YAML"),
        ("questions: []\n", "the evaluation set has no questions"),
        ("- just a list\n", "must be a mapping"),
        ("questions:\n  - {q: 1}\n", "lacks `q`, `expect` or `turns`"),
    ],
)
def test_eval_file_problems_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    path = tmp_path / "eval.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert main(["eval", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and message in err and err.startswith("jinshui-qa: ")


def test_eval_json(real_assistant: Assistant, tiny_eval: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(tiny_eval), "--json", "--max-false-answers", "0"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["in_scope"], report["accuracy"], report["out_of_scope"], report["false_answer_rate"]) == (
        1,
        1.0,
        1,
        0.0,
    )
    assert (report["dialogue_turns"], report["dialogue_accuracy"]) == (1, 1.0)
    assert report["failures"] == []
    assert report["misses"] == []
    assert sum(report["fallback_reasons"].values()) == 1


def test_eval_counts_misses(
    real_assistant: Assistant, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "wrong.yaml"
    path.write_text('questions:\n  - {q: "高企有几家", expect: tech_enterprises}\n', encoding="utf-8")
    assert main(["eval", str(path), "--json", "--min-accuracy", "0.5"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["accuracy"] == 0.0
    assert [(m["question"], m["expect"], m["got"]) for m in report["misses"]] == [
        ("高企有几家", "tech_enterprises", "high_tech_enterprises")
    ]


def test_eval_on_tiny_facts(
    write_facts: WriteFacts, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tiny-eval.yaml"
    path.write_text('questions:\n  - {q: "二七区高企数量", expect: fallback}\n', encoding="utf-8")
    assert main(["eval", str(path), "--facts", str(write_facts()), "--max-false-answers", "0"]) == 0
    assert "out-of-scope answered       0.00%  (0/1)" in capsys.readouterr().out


def test_ask_with_bytes_that_are_not_utf8_in_its_arguments(no_facts_env: None) -> None:
    """Found by a new user: ``ask "$(printf '\\377\\376高企')"`` ended in an internal error."""
    argv = [sys.executable, "-m", "jinshui_qa", "ask", "--json", b"\xff\xfe" + "高企有几家".encode()]
    run = subprocess.run(argv, capture_output=True)
    assert run.returncode == 0, run.stderr
    reply = json.loads(run.stdout)
    assert reply["question"].startswith("\ufffd\ufffd") and reply["fact_id"] == "high_tech_enterprises"
