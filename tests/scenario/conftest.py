"""Helpers for loader tests: scenario text goes into a tmp file, issues come back."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from replay.scenario import Issue, Scenario, ScenarioError, load_scenario

WriteFile = Callable[..., Path]
LoadIssues = Callable[..., list[Issue]]
LoadOk = Callable[..., Scenario]


@pytest.fixture
def write(tmp_path: Path) -> WriteFile:
    """`write(text, name="s.yaml")` puts dedented `text` in tmp_path and returns the path."""

    def write_file(text: str, name: str = "s.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write_file


@pytest.fixture
def issues(write: WriteFile) -> LoadIssues:
    """`issues(text)`: the issues `load_scenario` raises for `text` (it must raise)."""

    def load_issues(text: str, name: str = "s.yaml") -> list[Issue]:
        path = write(text, name)
        with pytest.raises(ScenarioError) as info:
            load_scenario(path)
        return list(info.value.issues)

    return load_issues


@pytest.fixture
def load(write: WriteFile) -> LoadOk:
    """`load(text)`: the scenario `load_scenario` returns for `text`."""

    def load_ok(text: str, name: str = "s.yaml") -> Scenario:
        return load_scenario(write(text, name))

    return load_ok
