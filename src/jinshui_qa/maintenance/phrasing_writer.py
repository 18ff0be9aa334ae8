"""``suggest --apply``'s writing half: phrasings appended to the facts' YAML files, safely.

``add_phrasings`` edits one file's text with a ruamel.yaml round trip (comments and layout kept, and the
file's own line endings: a CRLF file stays CRLF). ``apply`` writes the edited files only when the edited
fact base validates, and only over the exact content the suggestions were made from: each file's SHA-256
is checked again just before it is replaced (atomically, via a temporary file and ``os.replace``); a file
edited meanwhile, or a target fact renamed meanwhile, stops it with ``changed meanwhile: file`` and
leaves every file as it was.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import io
import os
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruamel.yaml import YAML

from jinshui_qa.errors import FactsInvalid, Problem
from jinshui_qa.facts.loader import read_fact_file, read_files
from jinshui_qa.facts.schema import Lang
from jinshui_qa.facts.validation import build_factbase

if TYPE_CHECKING:
    from jinshui_qa.maintenance.suggest import Suggestion

_LAYOUTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (2, 4, 0))


class ChangedMeanwhile(Exception):
    """A file is no longer what the suggestions were made from."""

    def __init__(self, name: str, why: str = "") -> None:
        self.problem = Problem(name, 0, f"changed meanwhile: {name}{why}; run `jinshui-qa suggest` again")
        super().__init__(str(self.problem))


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _yaml(text: str) -> tuple[YAML, Any]:
    """A round-trip YAML set to the file's own indentation: the layout that reproduces it unchanged."""
    best: tuple[int, YAML, Any] | None = None
    for mapping, sequence, offset in _LAYOUTS:
        yaml = YAML()
        yaml.preserve_quotes = True
        yaml.width = 4096
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        data = yaml.load(text)
        changed = sum(1 for _ in difflib.unified_diff(text.splitlines(), _dump(yaml, data).splitlines(), n=0))
        if best is None or changed < best[0]:
            best = (changed, yaml, data)
        if not changed:
            break
    assert best is not None
    return best[1], best[2]


def add_phrasings(text: str, additions: Iterable[tuple[str, Lang, str]]) -> str:
    """``text`` of a topic file with each (fact id, language, phrasing) appended to that fact's questions.

    The result keeps the file's line endings (CRLF when most lines end so) and a leading BOM; raises
    KeyError when a fact is not in the file.
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    crlf = text.count("\r\n") * 2 > text.count("\n")
    yaml, data = _yaml(text.removeprefix(bom).replace("\r\n", "\n"))
    facts = {fact.get("id"): fact for fact in data.get("facts") or [] if hasattr(fact, "get")}
    for fact_id, lang, phrasing in additions:
        if fact_id not in facts:
            raise KeyError(f"fact {fact_id} is not in this file")
        facts[fact_id]["questions"][lang].append(phrasing)
    out = _dump(yaml, data)
    return bom + (out.replace("\n", "\r\n") if crlf else out)


def edited_files(files: Mapping[str, str], suggestions: Iterable[Suggestion]) -> dict[str, str]:
    """The new text of every file the phrasing suggestions touch; ChangedMeanwhile when a file or a
    target fact is missing from ``files``."""
    by_file: dict[str, list[tuple[str, Lang, str]]] = defaultdict(list)
    for s in suggestions:
        if s.kind == "phrasing" and s.file and s.fact_id and s.phrasing:
            by_file[s.file].append((s.fact_id, s.lang, s.phrasing))
    edited: dict[str, str] = {}
    for name, additions in by_file.items():
        if name not in files:
            raise ChangedMeanwhile(name, " (the file is gone)")
        try:
            edited[name] = add_phrasings(files[name], additions)
        except KeyError as exc:
            raise ChangedMeanwhile(name, f" ({exc.args[0]})") from None
    return edited


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _replace(path: Path, text: str, expected: str) -> None:
    """Replace ``path`` with ``text`` atomically, but only while it still holds ``expected``."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(text.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        if _digest(_current(path)) != _digest(expected):  # the last look before replacing
            raise ChangedMeanwhile(path.name)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _current(path: Path) -> str:
    try:
        return read_fact_file(path, path.parent)
    except FactsInvalid:
        return "\0unreadable"


def apply(
    facts_dir: str | os.PathLike[str],
    suggestions: Iterable[Suggestion],
    based_on: Mapping[str, str] | None = None,
) -> tuple[list[str], list[Problem]]:
    """Write the phrasing suggestions into the YAML files; returns (files changed, problems).

    ``based_on`` (name -> text) is what the suggestions were made from; a file that differs from it now
    is ``changed meanwhile``. Nothing is written when the edited fact base would not validate or a file
    changed; when the directory fails to validate after writing (someone else edited it meanwhile),
    every changed file still holding our text is restored.
    """
    directory = Path(facts_dir)
    suggestions = list(suggestions)
    originals = read_files(directory)
    try:
        for name in {s.file for s in suggestions if s.kind == "phrasing" and s.file}:
            if based_on is not None and originals.get(name) != based_on.get(name):
                raise ChangedMeanwhile(name)
        build_factbase(originals)  # never hand ruamel.yaml a file the bounded parser refuses
        edited = edited_files(originals, suggestions)
    except ChangedMeanwhile as exc:
        return [], [exc.problem]
    except FactsInvalid as exc:
        return [], exc.problems
    if not edited:
        return [], []
    try:
        build_factbase({**originals, **edited})
    except FactsInvalid as exc:
        return [], exc.problems
    written: list[str] = []
    try:
        for name, text in edited.items():
            _replace(directory / name, text, originals[name])
            written.append(name)
        build_factbase(read_files(directory))
    except (ChangedMeanwhile, FactsInvalid) as exc:
        for name in written:
            with contextlib.suppress(ChangedMeanwhile):  # edited again since we wrote it: leave theirs
                _replace(directory / name, originals[name], edited[name])
        return [], [exc.problem] if isinstance(exc, ChangedMeanwhile) else exc.problems
    return sorted(edited), []
