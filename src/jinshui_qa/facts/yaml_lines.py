"""YAML parsing that remembers line numbers, so every problem can be reported as ``file:line``.

``parse(text)`` returns plain data in which every mapping is a :class:`LDict` and every sequence an
:class:`LList`; both know the line they start on and the line of each key or item. Malformed YAML
raises :class:`YamlSyntaxError` with the parser's line and column. Pure: it takes text, not paths.
"""

from __future__ import annotations

from typing import Any

import yaml

from jinshui_qa.text import lazy_re

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present


class LDict(dict[Any, Any]):
    """A mapping that knows its own line and the line of each key."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[Any, int] = {}
        self.duplicate_keys: list[tuple[Any, int]] = []

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LList(list[Any]):
    """A sequence that knows its own line and the line of each item."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class YamlSyntaxError(ValueError):
    """The text is not valid YAML, or it is YAML no facts file may hold (an alias bomb, deep nesting,
    a value the parser cannot build such as ``2026-02-30``)."""

    def __init__(self, line: int, column: int, message: str, *, limit: bool = False) -> None:
        self.line = line
        self.column = column
        self.limit = limit  # refused by a bound of this module, not by the parser
        self.problem = message
        super().__init__(f"malformed YAML: {message} (line {line}, column {column})")


_INF = float("inf")
MAX_DEPTH = 64  # mappings and lists nested deeper than this are refused (a facts file needs about 6)
MAX_ALIAS_NODES = 10_000  # nodes an alias may add by repeating its anchor (a billion-laughs bomb needs 10^9)
_DEEP_FLOW = lazy_re.compile(
    r"(?:[\[{]\s*){" + str(MAX_DEPTH) + "}"
)  # the pure-Python scanner is quadratic in depth


def parse(text: str) -> Any:
    """Parse one YAML document into line-aware plain data (``None`` for an empty document).

    libyaml does the parsing when it is installed; on an error the pure-Python parser runs again,
    because its messages say more (and they are what ``jinshui-qa check`` prints) - except when
    libyaml refused the nesting, which the pure-Python parser would take seconds to find.
    Every failure, including the parser's own limits and values it cannot build, is a
    :class:`YamlSyntaxError` with a line; nothing else escapes.
    """
    try:
        return _parse(text, _Loader)
    except YamlSyntaxError as first:
        if (
            _Loader is yaml.SafeLoader
            or first.limit
            or "nesting depth" in str(first)
            or _DEEP_FLOW.search(text)
        ):
            raise
        try:
            return _parse(text, yaml.SafeLoader)
        except YamlSyntaxError:
            raise
        except RecursionError:
            raise first from None


def _parse(text: str, loader_class: type[yaml.SafeLoader]) -> Any:
    try:
        loader = loader_class(text)
    except yaml.reader.ReaderError as exc:  # a control character, caught as the text is read in
        raise _reader_error(text, exc) from None
    try:
        node = loader.get_single_node()
        return None if node is None else _Converter(loader).convert(node, 1)
    except yaml.reader.ReaderError as exc:
        raise _reader_error(text, exc) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlSyntaxError(line, column, exc.problem or str(exc)) from None
    except yaml.YAMLError as exc:  # unmarked errors: report at the top of the file
        raise YamlSyntaxError(1, 1, str(exc).splitlines()[0]) from None
    except RecursionError:  # the composer ran out of stack before the depth check could see it
        raise YamlSyntaxError(1, 1, f"nesting deeper than {MAX_DEPTH} levels", limit=True) from None
    finally:
        loader.dispose()


def _reader_error(text: str, exc: yaml.reader.ReaderError) -> YamlSyntaxError:
    before = text[: max(exc.position, 0)]
    line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
    what = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
    return YamlSyntaxError(line, column, f"control character {what} is not allowed ({exc.reason})")


class _Converter:
    """Nodes to LDict/LList/scalars, refusing recursive aliases, alias bombs and deep nesting."""

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.seen: set[int] = set()  # nodes converted at least once: seeing one again is an alias
        self.path: set[int] = set()  # the collection nodes being converted, outermost first
        self.repeated = 0

    def convert(self, node: yaml.Node, depth: int) -> Any:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        if id(node) in self.path:
            raise YamlSyntaxError(
                line, column, "an alias refers to its own anchor (a recursive alias)", limit=True
            )
        if depth > MAX_DEPTH:
            raise YamlSyntaxError(line, column, f"nesting deeper than {MAX_DEPTH} levels", limit=True)
        if id(node) in self.seen:
            self.repeated += 1
            if self.repeated > MAX_ALIAS_NODES:
                raise YamlSyntaxError(
                    line, column, f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes", limit=True
                )
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            self.path.add(id(node))
            try:
                return (
                    self._mapping(node, depth)
                    if isinstance(node, yaml.MappingNode)
                    else self._sequence(node, depth)
                )
            finally:
                self.path.discard(id(node))
        try:
            value = self.loader.construct_object(node, deep=True)
            if isinstance(value, float) and value in (_INF, -_INF) and "inf" not in node.value.lower():
                return node.value  # -2.5E+999: a number beyond a float's range, kept as typed (as 1e400 is)
            return value
        except (ValueError, TypeError, OverflowError) as exc:  # e.g. 2026-02-30 looks like a date but is none
            raise YamlSyntaxError(
                line, column, f"cannot read the value {node.value!r}: {exc}", limit=True
            ) from None

    def _mapping(self, node: yaml.MappingNode, depth: int) -> LDict:
        mapping = LDict()
        mapping.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = self.convert(key_node, depth + 1)
            if isinstance(key, dict | list):
                key = str(key)
            key_line = key_node.start_mark.line + 1
            if key in mapping:
                mapping.duplicate_keys.append((key, key_line))
            mapping[key] = self.convert(value_node, depth + 1)
            mapping.key_lines[key] = key_line
        return mapping

    def _sequence(self, node: yaml.SequenceNode, depth: int) -> LList:
        sequence = LList()
        sequence.line = node.start_mark.line + 1
        for item in node.value:
            sequence.append(self.convert(item, depth + 1))
            sequence.item_lines.append(item.start_mark.line + 1)
        return sequence
