"""Loading a YAML configuration file into a pydantic model, with errors that name the line.

The file is composed into YAML nodes, whose marks know their line; a pydantic error location such as
``("units", 3, "code")`` is walked down that node tree to the deepest node that exists, so the
message reads ``config/organisation.sample.yaml line 42: units[3].code: Field required``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)
Loc = Sequence[int | str]


class ConfigError(ValueError):
    """A configuration file is invalid; ``problems`` holds ``(line, message)`` pairs, by line."""

    def __init__(self, path: str, problems: list[tuple[int | None, str]]) -> None:
        self.path = path
        self.problems = sorted(problems, key=lambda p: (p[0] or 0, p[1]))
        super().__init__("\n".join(_line(path, line) + msg for line, msg in self.problems))


def _line(path: str, line: int | None) -> str:
    return f"{path} line {line}: " if line is not None else f"{path}: "


def format_loc(loc: Loc) -> str:
    """``("units", 3, "code")`` -> ``units[3].code``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class YamlDocument:
    """A parsed YAML file: its plain data and the node tree that maps locations to lines."""

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        try:
            self.root = yaml.compose(text, Loader=yaml.SafeLoader)
            self.data = yaml.safe_load(text)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else None
            raise ConfigError(path, [(line, f"YAML syntax: {exc.problem or exc}")]) from None
        if self.root is not None:
            self._check_duplicate_keys(self.root)

    def line_of(self, loc: Loc) -> int | None:
        """1-based line of the deepest node along ``loc`` (the parent, when a key is missing)."""
        node = self.root
        if node is None:
            return None
        for part in loc:
            child = _child(node, part)
            if child is None:
                break
            node = child
        return node.start_mark.line + 1

    def error(self, loc: Loc, message: str) -> ConfigError:
        """A :class:`ConfigError` for one problem at ``loc``."""
        return ConfigError(self.path, [(self.line_of(loc), f"{format_loc(loc)}: {message}")])

    def check(self, problems: list[tuple[Loc, str]]) -> None:
        """Raise one :class:`ConfigError` listing ``problems`` (location, message), if any."""
        if problems:
            raise ConfigError(self.path, [(self.line_of(loc), f"{format_loc(loc)}: {msg}")
                                          for loc, msg in problems])

    def validate(self, model: type[M]) -> M:
        """Validate the data as ``model``; on failure raise a :class:`ConfigError` naming lines."""
        if not isinstance(self.data, dict):
            raise ConfigError(self.path, [(1, "expected a mapping at the top level")])
        try:
            return model.model_validate(self.data)
        except ValidationError as exc:
            problems: list[tuple[int | None, str]] = []
            for err in exc.errors():
                loc = tuple(err["loc"])
                where = format_loc(loc) or "(top level)"
                problems.append((self.line_of(loc), f"{where}: {err['msg']}"))
            raise ConfigError(self.path, problems) from None

    def _check_duplicate_keys(self, node: yaml.Node) -> None:
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        raise ConfigError(self.path, [(key.start_mark.line + 1,
                                                       f"duplicate key {key.value!r}")])
                    seen.add(key.value)
                self._check_duplicate_keys(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                self._check_duplicate_keys(item)


def _child(node: yaml.Node, part: int | str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return value  # type: ignore[no-any-return]
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]  # type: ignore[no-any-return]
    return None


def read_yaml(path: str | Path) -> YamlDocument:
    """Read and parse a YAML file (a missing file is a :class:`ConfigError` too)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(path), [(None, f"cannot read: {exc.strerror}")]) from None
    return YamlDocument(text, str(path))
