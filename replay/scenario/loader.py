"""Load a scenario file: YAML, includes, validation, and every error at once.

`load_scenario(path)` returns a frozen `Scenario` with `include:` steps spliced in, or raises
`ScenarioError` listing each problem as `file:line:col: what is wrong` with a hint.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path as FsPath
from typing import Any

from pydantic import ValidationError

from replay.scenario.checks import Entry, Scope, check_header, check_steps
from replay.scenario.errors import Issue, ScenarioError, did_you_mean
from replay.scenario.model import VERBS, Scenario, Step
from replay.scenario.pydantic_issues import pydantic_issues
from replay.scenario.source import Path, Positions, parse_yaml

MERGED_SECTIONS = ("actors", "chats", "vars")
# Sections that belong to the scenario being run, not to a file it includes.
OWN_SECTIONS = frozenset(
    {"app", "defaults", "api_errors", "allow_n_plus_one", "load", "seed", "faker_seed"}
)


def display_path(path: FsPath, root: FsPath | None = None) -> str:
    """`path` relative to the project (the working directory) when it lies inside it."""
    root = (root or FsPath.cwd()).resolve()
    resolved = path.resolve()
    try:
        return resolved.relative_to(root).as_posix()
    except ValueError:
        return path.name if path.is_absolute() else path.as_posix()


def default_name(path: FsPath) -> str:
    return re.sub(r"[^a-z0-9_-]+", "_", path.stem.lower()).strip("_") or "scenario"


class _Loader:
    def __init__(self) -> None:
        self.issues: list[Issue] = []
        # section -> name -> (raw value, file that defines it)
        self.sections: dict[str, dict[str, tuple[Any, str]]] = {s: {} for s in MERGED_SECTIONS}

    # -- files -----------------------------------------------------------------------------

    def parse(self, path: FsPath, shown: str) -> tuple[dict[str, Any] | None, Positions]:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.issues.append(Issue(shown, 1, 1, f"cannot read the file: {reason}"))
            return None, Positions(shown)
        data, positions, issues = parse_yaml(text, shown)
        self.issues.extend(issues)
        if issues:
            return None, positions
        if data is None:
            self.issues.append(
                Issue(shown, 1, 1, "the file is empty", "a scenario needs at least steps:")
            )
            return None, positions
        if not isinstance(data, dict):
            kind = "a list" if isinstance(data, list) else repr(data)
            self.issues.append(
                Issue(
                    shown,
                    1,
                    1,
                    f"a scenario must be a mapping of keys, got {kind}",
                    "start with keys like  name:, actors:, steps:  (see docs/scenarios.md)",
                )
            )
            return None, positions
        return data, positions

    def header(self, data: dict[str, Any], positions: Positions) -> Scenario | None:
        """Validate everything but the steps, and merge actors, chats and vars."""
        body = {key: value for key, value in data.items() if key != "steps"}
        for section in MERGED_SECTIONS:
            if isinstance(body.get(section), dict):
                self._merge(section, body[section], positions)
        try:
            return Scenario.model_validate(body)
        except ValidationError as exc:
            self.issues.extend(pydantic_issues(exc, body, positions, Scenario))
            return None

    def _merge(self, section: str, values: dict[str, Any], positions: Positions) -> None:
        merged = self.sections[section]
        for name, value in values.items():
            if name in merged and merged[name][0] != value:
                other = merged[name][1]
                self.issues.append(
                    positions.issue(
                        (section, name),
                        f"{section[:-1]} {name!r} is defined differently here and in {other}",
                        "an included file may repeat a definition only unchanged; rename one",
                        key=True,
                    )
                )
                continue
            merged.setdefault(name, (value, positions.file))

    # -- steps and includes ----------------------------------------------------------------

    def expand(
        self, items: Any, positions: Positions, path: Path, stack: list[FsPath]
    ) -> list[Entry]:
        if not isinstance(items, list):
            self.issues.append(
                positions.issue(path, "steps must be a list", "write each step as '- verb: ...'")
            )
            return []
        entries: list[Entry] = []
        for index, item in enumerate(items):
            where = (*path, index)
            if isinstance(item, dict) and isinstance(item.get("include"), str):
                verbs = [v for v in VERBS if v in item]
                extra = [k for k in item if k not in {"include", "name"}]
                if len(verbs) == 1 and extra:
                    self.issues.append(
                        positions.issue(
                            (*where, extra[0]),
                            f"an include: step takes no {extra[0]!r}",
                            "the included steps say who acts and what they expect",
                            key=True,
                        )
                    )
                if len(verbs) == 1:
                    entries.extend(self.include(item["include"], positions, where, stack))
                    continue
            children = None
            if isinstance(item, dict) and "steps" in item:
                children = self.expand(item["steps"], positions, (*where, "steps"), stack)
            entries.append(Entry(item, positions, where, children))
        return entries

    def include(
        self, target: str, positions: Positions, where: Path, stack: list[FsPath]
    ) -> list[Entry]:
        path = (stack[-1].parent / target).resolve()
        spot = (*where, "include")
        if path in stack:
            chain = " -> ".join(display_path(p) for p in [*stack, path])
            self.issues.append(
                positions.issue(spot, f"include cycle: {chain}", "remove one of the includes")
            )
            return []
        if not path.is_file():
            # Files of the include chain are no answer: including one of them is a cycle.
            nearby = (
                sorted(p.name for p in path.parent.glob("*.y*ml") if p.resolve() not in stack)
                if path.parent.is_dir()
                else []
            )
            close = difflib.get_close_matches(path.name, nearby, n=1)
            hint = f"did you mean {close[0]!r}?" if close else None
            if hint is None:
                hint = "paths are relative to the including file"
            self.issues.append(
                positions.issue(spot, f"included file {target!r} does not exist", hint)
            )
            return []
        data, included = self.parse(path, display_path(path))
        if data is None:
            return []
        self.header(data, included)
        for key in sorted(set(data) & OWN_SECTIONS):
            self.issues.append(
                included.issue(
                    (key,),
                    f"an included file's {key}: would be ignored",
                    "included files bring steps, actors, chats and vars; move "
                    f"{key}: to the scenario that includes this file",
                    key=True,
                )
            )
        if "steps" not in data:
            self.issues.append(included.issue((), "the included file has no steps:"))
            return []
        return self.expand(data["steps"], included, ("steps",), [*stack, path])

    def build(self, entry: Entry) -> Step | None:
        raw = entry.raw
        if not isinstance(raw, dict):
            self.issues.append(
                entry.positions.issue(
                    entry.path,
                    f"a step must be a mapping, got {raw!r}",
                    "write a step like  - send: /start  or  - { as: alice, click: OK }",
                )
            )
            return None
        body = {key: value for key, value in raw.items() if key != "steps"}
        try:
            step = Step.model_validate(body)
        except ValidationError as exc:
            self.issues.extend(pydantic_issues(exc, body, entry.positions, Step, entry.path))
            return None
        if entry.children is not None:
            children = [self.build(child) for child in entry.children]
            if any(child is None for child in children):
                return None
            step = step.model_copy(update={"steps": children})
        step._file = entry.positions.file
        step._line = entry.positions.of_value(entry.path)[0]
        verb = next((v for v in VERBS if getattr(step, v) is not None), None)
        if verb is not None:  # a step without one is reported by check_steps
            step._verb_line, step._column = entry.positions.of_value((*entry.path, verb))
        return step


def load_scenario(path: str | FsPath) -> Scenario:
    """Load and check one scenario file; raises `ScenarioError` with every problem in it."""
    path = FsPath(path)
    loader = _Loader()
    shown = display_path(path)
    data, positions = loader.parse(path, shown)
    if data is None:
        raise ScenarioError(loader.issues)
    header = loader.header(data, positions)
    # A misspelt `steps:` is already reported as an unknown key with "did you mean".
    if "steps" not in data and not any(did_you_mean(str(key), ["steps"]) for key in data):
        loader.issues.append(
            Issue(shown, 1, 1, "the scenario has no steps:", "add a steps: list of what happens")
        )
    entries = loader.expand(data.get("steps", []), positions, ("steps",), [path.resolve()])
    steps = [loader.build(entry) for entry in entries]
    merged = {
        section: {n: v for n, (v, _) in loader.sections[section].items()}
        for section in MERGED_SECTIONS
    }
    scope = Scope(actors=merged["actors"], chats=merged["chats"], vars=merged["vars"])
    loader.issues.extend(check_header(data, positions, scope))
    loader.issues.extend(check_steps(entries, scope))
    if loader.issues or header is None:
        raise ScenarioError(loader.issues)
    final = header.model_copy(
        update={
            "steps": steps,
            "name": header.name or default_name(path),
            **_merged_models(header, merged),
        }
    )
    final._path = shown
    final._file = str(path.resolve())
    return final


def _merged_models(header: Scenario, merged: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Actors and chats of included files as models, in the order they were defined."""
    validated = Scenario.model_validate(
        {"actors": merged["actors"], "chats": merged["chats"], "vars": merged["vars"]}
    )
    return {"actors": validated.actors, "chats": validated.chats, "vars": validated.vars}
