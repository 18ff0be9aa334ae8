"""An evaluation file beyond the parser's bounds is a one-line error, never a traceback or a hang."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinshui_qa.cli import main


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"questions": ' + "[" * 20000 + "]" * 20000 + "}",
            ":1: not valid YAML (exceeded maximum nesting depth)",
        ),
        ("questions: " + "[" * 300 + "]" * 300 + "\n", ":1: not valid YAML (nesting deeper than 64 levels)"),
        (
            "questions: &a [*a]\n",
            ":1: not valid YAML (an alias refers to its own anchor (a recursive alias))",
        ),
        ("questions:\n  - {q: \x07}\n", ":2: not valid YAML (control character #x0007 is not allowed"),
    ],
    ids=["deep-json", "deep-yaml", "recursive-alias", "control"],
)
def test_an_eval_file_beyond_the_bounds_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "eval.json"
    path.write_text(content, encoding="utf-8")
    assert main(["eval", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1, err
    assert err.startswith(f"jinshui-qa: {path}{message}"), err
