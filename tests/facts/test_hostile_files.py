"""Hostile or unlucky facts files: each is a ``file:line: message`` problem, never a hang or a traceback."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from jinshui_qa.cli import main
from jinshui_qa.errors import FactsDirMissing, FactsInvalid
from jinshui_qa.facts import loader
from jinshui_qa.facts.loader import load, read_fact_file, read_files
from tests.support.tiny import ALPHA, BETA, WriteFacts, line_of


def problems_of(directory: Path) -> list[str]:
    """The problems ``load`` reports, from a thread: a test of a file that blocks must not hang."""
    result: list[BaseException | None] = []

    def run() -> None:
        try:
            load(directory)
            result.append(None)
        except BaseException as exc:
            result.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(10)
    assert result, "loading the facts blocked"
    assert isinstance(result[0], FactsInvalid), result[0]
    return [str(p) for p in result[0].problems]


# -- only regular files inside the directory ----------------------------------------------------------


def test_a_link_out_of_the_directory_is_refused(write_facts: WriteFacts) -> None:
    directory = write_facts()
    (directory / "passwd.yaml").symlink_to("/etc/passwd")
    assert problems_of(directory) == [
        "passwd.yaml: refused: a link to /etc/passwd, outside the facts directory"
    ]


def test_a_fifo_is_refused_without_blocking(write_facts: WriteFacts) -> None:
    directory = write_facts()
    os.mkfifo(directory / "x.yaml")
    assert problems_of(directory) == ["x.yaml: refused: not a regular file"]


def test_a_device_behind_a_link_is_refused(write_facts: WriteFacts) -> None:
    directory = write_facts()
    (directory / "zero.yaml").symlink_to("/dev/zero")
    assert problems_of(directory) == ["zero.yaml: refused: a link to /dev/zero, outside the facts directory"]
    inside = write_facts()
    (inside / "device").symlink_to("/dev/zero")  # a link inside the directory to a link out of it
    (inside / "zero.yaml").symlink_to(inside / "device")
    assert problems_of(inside) == ["zero.yaml: refused: a link to /dev/zero, outside the facts directory"]


def test_a_directory_named_yaml_is_refused(write_facts: WriteFacts) -> None:
    directory = write_facts()
    (directory / "more.yaml").mkdir()
    assert problems_of(directory) == ["more.yaml: is a directory, not a file"]


def test_a_link_inside_the_directory_is_read(write_facts: WriteFacts) -> None:
    directory = write_facts(**{"beta.yaml": None})
    (directory / "beta.txt").write_text(BETA, encoding="utf-8")
    (directory / "beta.yaml").symlink_to("beta.txt")
    assert [f.id for f in load(directory).facts] == ["hte_count", "tech_count", "project_count"]


def test_a_file_over_the_cap_is_refused(write_facts: WriteFacts, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = write_facts()
    cap = len(BETA.encode()) - 1
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", cap)
    sources = (directory / "sources.yaml").stat().st_size
    assert problems_of(directory) == [
        f"alpha.yaml: refused: {len(ALPHA.encode()):,} bytes, more than the {cap:,} allowed",
        f"beta.yaml: refused: {len(BETA.encode()):,} bytes, more than the {cap:,} allowed",
        f"sources.yaml: refused: {sources:,} bytes, more than the {cap:,} allowed",
    ]
    assert read_fact_file(directory / "beta.yaml", directory, max_bytes=len(BETA.encode())) == BETA


def test_reading_a_directory_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(FactsDirMissing, match="does not exist"):
        read_files(tmp_path / "nonexistent")
    with pytest.raises(FactsDirMissing, match="does not exist"):
        load(tmp_path / "nonexistent")


# -- YAML the parser would take too far -----------------------------------------------------------------

BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{c}: &{c} [{','.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (BOMB, 1, "aliases expand to more than 10,000 nodes"),
        ("a: &a [*a]\n", 1, "an alias refers to its own anchor (a recursive alias)"),
        ("topic: x\nfacts: " + "[" * 5000 + "]" * 5000 + "\n", 2, "nesting depth"),
        ("topic: x\nfacts: " + "[" * 20000 + "]" * 20000 + "\n", 2, "nesting depth"),
        ("topic: x\nfacts: " + "[" * 200 + "]" * 200 + "\n", 2, "nesting deeper than 64 levels"),
        ("topic: x\nfacts:\n" + "".join(" " * i + "- k:\n" for i in range(0, 2400, 2)), 0, "nesting"),
        ("topic: x\nfacts: [a\x01b]\n", 2, "control character #x0001 is not allowed"),
        ("topic: x\nfacts: [a\x85b\ufeffc]\n\x7f\n", 3, "control character #x007f"),
    ],
    ids=[
        "alias-bomb",
        "recursive-alias",
        "deep-5000",
        "deep-20000",
        "deep-200",
        "deep-block",
        "control",
        "c1",
    ],
)
def test_yaml_beyond_the_bounds_is_a_problem_with_its_line(
    write_facts: WriteFacts, text: str, line: int, message: str
) -> None:
    problems = problems_of(write_facts(**{"beta.yaml": text}))
    assert len(problems) == 1, problems
    where = f"beta.yaml:{line}:" if line else "beta.yaml:"  # 0: the line the parser gave up on, any
    assert problems[0].startswith(where) and ": malformed YAML: " in problems[0], problems
    assert message in problems[0] and int(problems[0].split(":")[1]) >= (line or 2), problems


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "verified: 2026-11-28",
            "verified: 2026-02-30",
            "cannot read the value '2026-02-30': day is out of range",
        ),
        (
            "verified: 2026-11-28",
            "verified: 2026-11-28 25:00:00",
            "cannot read the value '2026-11-28 25:00:00'",
        ),
        ("verified: 2026-11-28", "verified: 2026-13-01", "cannot read the value '2026-13-01'"),
    ],
    ids=["february-30", "hour-25", "month-13"],
)
def test_a_value_the_parser_rejects_late_is_a_problem_with_its_line(
    write_facts: WriteFacts, old: str, new: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = write_facts(**{"beta.yaml": BETA.replace(old, new)})
    line = line_of(BETA, old)
    (problem,) = problems_of(directory)
    assert problem.startswith(f"beta.yaml:{line}: malformed YAML: {message}"), problem
    assert main(["check", "--facts", str(directory)]) == 1
    assert capsys.readouterr().out.startswith(f"beta.yaml:{line}: malformed YAML: {message}")


# -- one broken file, one problem ---------------------------------------------------------------------


def test_a_malformed_file_does_not_make_related_ids_vanish(write_facts: WriteFacts) -> None:
    alpha = ALPHA.replace("related: [tech_count]", "related: [tech_count, project_count]")
    broken = BETA.replace("audience: investor", "audience: [investor")
    line = line_of(BETA, "audience: investor") + 1  # where the parser notices the missing ]
    assert problems_of(write_facts(**{"alpha.yaml": alpha, "beta.yaml": broken})) == [
        f"beta.yaml:{line}: malformed YAML: expected ',' or ']', but got ':' (line {line}, column 10)"
    ]
    gone = BETA.replace("  - id: project_count", "  - id: Project-Count")  # this fact cannot be built
    assert problems_of(write_facts(**{"alpha.yaml": alpha, "beta.yaml": gone})) == [
        "beta.yaml:5: fact Project-Count: 'id' must be lower_snake_case text, got 'Project-Count'"
    ]
    assert problems_of(
        write_facts(**{"alpha.yaml": alpha, "beta.yaml": BETA.replace("project_count", "other")})
    ) == [
        f"alpha.yaml:{line_of(ALPHA, '- id: hte_count')}: fact hte_count: related id 'project_count' does not exist"
    ]


def test_a_malformed_sources_file_does_not_make_every_source_unknown(write_facts: WriteFacts) -> None:
    problems = problems_of(write_facts(**{"sources.yaml": "reports: [\n"}))
    assert len(problems) == 1 and problems[0].startswith("sources.yaml:2: malformed YAML"), problems


def test_an_unreadable_file_is_reported_with_the_other_files_problems(write_facts: WriteFacts) -> None:
    alpha = ALPHA.replace("related: [tech_count]", "related: [tech_count, project_count]")
    directory = write_facts(
        **{"alpha.yaml": alpha.replace("verified: 2026-11-28", "verified: 2026-02-30", 1)}
    )
    (directory / "beta.yaml").unlink()
    os.mkfifo(directory / "beta.yaml")  # project_count lives here: no false "related id does not exist"
    line = ALPHA.splitlines().index("    verified: 2026-11-28") + 1  # the first fact's
    assert problems_of(directory) == [
        f"alpha.yaml:{line}: malformed YAML: cannot read the value '2026-02-30': day is out of range for month "
        f"(line {line}, column 15)",
        "beta.yaml: refused: not a regular file",
    ]
