"""Read the facts directory from disk and hand its text to :func:`build_factbase`.

Where the facts live: ``--facts DIR``, else ``$JQA_FACTS_DIR``, else the checkout's ``facts/``.
The same loader serves ``check``, ``build``, ``ask``, ``chat`` and the bot, so whatever passes
``jinshui-qa check`` is exactly what the bot will serve.
"""

from __future__ import annotations

import os
from pathlib import Path

from jinshui_qa.errors import FactsDirMissing, FactsInvalid, Problem
from jinshui_qa.facts.schema import FactBase
from jinshui_qa.facts.validation import build_factbase

CHECKOUT_FACTS = Path(__file__).resolve().parents[3] / "facts"


def facts_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The facts directory to use; raises FactsDirMissing naming where it looked and why."""
    if explicit:
        path, why = Path(explicit), "--facts"
    elif os.environ.get("JQA_FACTS_DIR"):
        path, why = Path(os.environ["JQA_FACTS_DIR"]), "$JQA_FACTS_DIR"
    else:
        path, why = CHECKOUT_FACTS, "the checkout's facts/"
    if not path.is_dir():
        state = "is not a directory" if path.exists() else "does not exist"
        raise FactsDirMissing(f"facts directory {path} (from {why}) {state}")
    return path


def read_files(directory: Path) -> dict[str, str]:
    """Every ``*.yaml`` file of the directory, by name; unreadable files become problems."""
    files: dict[str, str] = {}
    problems: list[Problem] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            raw = path.read_bytes()
            files[path.name] = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            problems.append(Problem(path.name, line, f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
        except OSError as exc:
            problems.append(Problem(path.name, 0, f"cannot read: {exc.strerror}"))
    if problems:
        raise FactsInvalid(problems)
    return files


def load(directory: str | os.PathLike[str] | None = None) -> FactBase:
    """Load and validate the fact base; raises FactsDirMissing or FactsInvalid, never half-loads."""
    return build_factbase(read_files(facts_dir(directory)))
