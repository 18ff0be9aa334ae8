"""The exceptions jinshui-qa raises, all rooted in one class.

    JinshuiQAError
    ├── FactsError              something is wrong with the fact base
    │   ├── FactsDirMissing     the facts directory does not exist
    │   └── FactsInvalid        one or more files failed validation (carries every Problem)
    ├── ConfigError             a setting (token, URL, path) is missing or malformed
    ├── EvalSetInvalid          an evaluation file is missing, malformed or has no questions
    └── StoreError              the SQLite store or question log could not be used

Every message is one line a person can act on; none of them ever contains a secret.
"""

from __future__ import annotations

from jinshui_qa.records import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a facts file, reported as ``file:line: message``, or ``file: message`` for
    a problem of the whole file (line 0: a directory, a deleted file, a missing sources.yaml)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line > 0 else f"{self.file}: {self.message}"


class JinshuiQAError(Exception):
    """Base class of every error jinshui-qa raises on purpose."""


class FactsError(JinshuiQAError):
    """The fact base cannot be used."""


class FactsDirMissing(FactsError):
    """The facts directory does not exist."""


class FactsInvalid(FactsError):
    """Validation found problems; ``problems`` lists all of them, sorted."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        first = self.problems[0] if self.problems else "no details"
        more = len(self.problems) - 1
        suffix = f" (and {more} more)" if more > 0 else ""
        super().__init__(f"{first}{suffix}")


class ConfigError(JinshuiQAError):
    """A setting is missing or malformed."""


class EvalSetInvalid(JinshuiQAError):
    """An evaluation set that cannot be used: missing, malformed, or without questions."""


class StoreError(JinshuiQAError):
    """The SQLite store or the question log failed."""
