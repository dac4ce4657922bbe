"""YAML with the line and column of every node kept, for errors that point at the spot.

PyYAML's composer gives nodes with marks; we build the plain Python value ourselves and keep,
for every path (`("steps", 3, "expect", "max_queries")`), where its key and its value start.
Duplicate keys, which PyYAML silently resolves to the last one, are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from replay.scenario.errors import Issue

Path = tuple[str | int, ...]


class ScenarioLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false are booleans.

    YAML 1.1 reads yes/no/on/off as booleans, so a button labelled `Yes` would become `True`;
    scenario files are full of such labels.
    """


ScenarioLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
ScenarioLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


@dataclass(slots=True)
class Positions:
    """Where each path of a document starts, as 1-based (line, column)."""

    file: str
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def of_value(self, path: Path) -> tuple[int, int]:
        """The value at `path`, or the nearest enclosing node that exists."""
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, (1, 1))

    def of_key(self, path: Path) -> tuple[int, int]:
        return self.keys.get(path) or self.of_value(path)

    def issue(
        self, path: Path, message: str, hint: str | None = None, *, key: bool = False
    ) -> Issue:
        line, column = self.of_key(path) if key else self.of_value(path)
        return Issue(self.file, line, column, message, hint)


class _Builder:
    def __init__(self, positions: Positions) -> None:
        self.positions = positions
        self.constructor = SafeConstructor()
        self.issues: list[Issue] = []

    def build(self, node: Node, path: Path) -> Any:
        self.positions.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, MappingNode):
            self.constructor.flatten_mapping(node)
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.constructor.construct_object(key_node, deep=True)
                if not isinstance(key, str | int | float | bool) and key is not None:
                    self.issues.append(self.positions.issue(path, "a key must be plain text"))
                    continue
                child = (*path, key if isinstance(key, str | int) else str(key))
                mark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                if key in result:
                    self.issues.append(
                        Issue(
                            self.positions.file,
                            *mark,
                            f"duplicate key {key!r}",
                            "a key may appear once per mapping; remove one of them",
                        )
                    )
                self.positions.keys[child] = mark
                result[key] = self.build(value_node, child)
            return result
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        if isinstance(node, ScalarNode):
            return self.constructor.construct_object(node, deep=True)
        return None  # pragma: no cover - the composer makes only these three kinds


def parse_yaml(text: str, file: str) -> tuple[Any, Positions, list[Issue]]:
    """Parse one YAML document: (data, positions, issues); data is None on a syntax error."""
    positions = Positions(file)
    try:
        node = yaml.compose(text, Loader=ScenarioLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        hint = "check the indentation and quoting near this spot"
        if exc.context:
            problem = f"{exc.context}, {problem}"
        return None, positions, [Issue(file, line, column, f"not valid YAML: {problem}", hint)]
    except yaml.YAMLError as exc:
        return None, positions, [Issue(file, 1, 1, f"not valid YAML: {exc}")]
    if node is None:
        return None, positions, []
    builder = _Builder(positions)
    try:
        data = builder.build(node, ())
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, positions, [Issue(file, line, column, f"not valid YAML: {exc.problem}")]
    return data, positions, builder.issues
