"""Run scenarios against tests/bots/planted.py, whose planted SQL lines are marked in the file."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from replay import RunResult, run_scenario

PLANTED = Path(__file__).resolve().parent.parent / "bots" / "planted.py"

HEADER = "app: tests.bots.planted:create_app\nactors: {alice: {}}\n"

RunSteps = Callable[..., RunResult]


def site(tag: str) -> str:
    """`tests/bots/planted.py:<line>` of the line marked `# PLANTED: <tag>`."""
    marker = f"# PLANTED: {tag}"
    lines = [
        number
        for number, text in enumerate(PLANTED.read_text().splitlines(), 1)
        if text.rstrip().endswith(marker)
    ]
    assert len(lines) == 1, f"{marker!r} is on lines {lines}"
    return f"tests/bots/planted.py:{lines[0]}"


@pytest.fixture
def run(tmp_path: Path) -> RunSteps:
    """`run(steps_yaml, header=HEADER, **options)` with the profiler off unless asked for."""

    def run_steps(steps: str, header: str = HEADER, **options: Any) -> RunResult:
        path = tmp_path / "s.yaml"
        text = textwrap.dedent(header) + "steps:\n" + textwrap.indent(textwrap.dedent(steps), "  ")
        path.write_text(text, encoding="utf-8")
        options.setdefault("profile", False)
        return run_scenario(path, **options)

    return run_steps
