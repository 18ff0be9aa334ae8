"""YAML parsing that remembers line numbers, so every problem can be reported as ``file:line``.

``parse(text)`` returns plain data in which every mapping is a :class:`LDict` and every sequence an
:class:`LList`; both know the line they start on and the line of each key or item. Malformed YAML
raises :class:`YamlSyntaxError` with the parser's line and column. Pure: it takes text, not paths.
"""

from __future__ import annotations

from typing import Any

import yaml

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
    """The text is not valid YAML."""

    def __init__(self, line: int, column: int, message: str) -> None:
        self.line = line
        self.column = column
        super().__init__(f"malformed YAML: {message} (line {line}, column {column})")


def parse(text: str) -> Any:
    """Parse one YAML document into line-aware plain data (``None`` for an empty document).

    libyaml does the parsing when it is installed; on an error the pure-Python parser runs again,
    because its messages say more (and they are what ``jinshui-qa check`` prints).
    """
    try:
        return _parse(text, _Loader)
    except YamlSyntaxError:
        if _Loader is yaml.SafeLoader:
            raise
        return _parse(text, yaml.SafeLoader)


def _parse(text: str, loader_class: type[yaml.SafeLoader]) -> Any:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _convert(node, loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlSyntaxError(line, column, exc.problem or str(exc)) from None
    except yaml.YAMLError as exc:  # unmarked errors: report at the top of the file
        raise YamlSyntaxError(1, 1, str(exc).splitlines()[0]) from None
    finally:
        loader.dispose()


def _convert(node: yaml.Node, loader: yaml.SafeLoader) -> Any:
    if isinstance(node, yaml.MappingNode):
        mapping = LDict()
        mapping.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = _convert(key_node, loader)
            if isinstance(key, dict | list):
                key = str(key)
            key_line = key_node.start_mark.line + 1
            if key in mapping:
                mapping.duplicate_keys.append((key, key_line))
            mapping[key] = _convert(value_node, loader)
            mapping.key_lines[key] = key_line
        return mapping
    if isinstance(node, yaml.SequenceNode):
        sequence = LList()
        sequence.line = node.start_mark.line + 1
        for item in node.value:
            sequence.append(_convert(item, loader))
            sequence.item_lines.append(item.start_mark.line + 1)
        return sequence
    return loader.construct_object(node, deep=True)
