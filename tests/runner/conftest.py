"""Run small scenarios against the fixture bots: YAML text in, `RunResult` out."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from replay import RunResult, run_scenario

ROOT = Path(__file__).resolve().parent.parent.parent
BASIC = ROOT / "tests" / "bots" / "basic.py"

HEADER = """\
app: tests.bots.basic:create_app
actors:
  alice: {first_name: Alice}
  admin: {id: 1001, first_name: Ada, admin: true}
  bob: {first_name: Bob, blocked: true}
chats:
  vip: {id: -1001, type: channel, title: VIP}
"""

RunSteps = Callable[..., RunResult]


def line_of(path: Path, fragment: str) -> int:
    """The 1-based line of `path` that contains `fragment` (exactly one must)."""
    lines = [n for n, text in enumerate(path.read_text().splitlines(), 1) if fragment in text]
    assert len(lines) == 1, f"{fragment!r} is on lines {lines} of {path}"
    return lines[0]


def scenario_text(steps: str, header: str = HEADER) -> str:
    return textwrap.dedent(header) + "steps:\n" + textwrap.indent(textwrap.dedent(steps), "  ")


@pytest.fixture
def run(tmp_path: Path) -> RunSteps:
    """`run(steps_yaml, header=HEADER, **options)`: the steps after the header, run.

    The profiler is off unless a test turns it on: most tests look at what the bot did.
    """

    def run_steps(steps: str, header: str = HEADER, **options: Any) -> RunResult:
        path = tmp_path / "s.yaml"
        path.write_text(scenario_text(steps, header), encoding="utf-8")
        options.setdefault("profile", False)
        return run_scenario(path, **options)

    return run_steps
