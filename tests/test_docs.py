"""The scenarios shown in the README and the docs are valid, and the README's example runs:
documentation a new user copies must not lie."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from replay.runner import run_scenario
from replay.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def yaml_scenarios() -> list[tuple[str, str]]:
    found = []
    for document in DOCUMENTS:
        blocks = re.findall(r"```yaml\n(.*?)```", document.read_text(encoding="utf-8"), re.S)
        for number, block in enumerate(blocks):
            if re.search(r"^steps:", block, re.M):
                found.append((f"{document.name}#{number}", block))
    return found


@pytest.mark.parametrize(("where", "text"), yaml_scenarios(), ids=lambda v: str(v)[:30])
def test_documented_scenario_is_valid(where: str, text: str, tmp_path: Path) -> None:
    path = tmp_path / "documented.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_scenario(path).steps, where


def test_there_are_documented_scenarios() -> None:
    assert len(yaml_scenarios()) >= 3


def test_the_readme_example_passes(tmp_path: Path) -> None:
    where, text = next(item for item in yaml_scenarios() if item[0].startswith("README"))
    path = tmp_path / "readme.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_scenario(path, profile=False)
    assert result.passed, [step.failures for step in result.steps]
