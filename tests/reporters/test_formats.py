"""Every reporter renders the same real run; each format is checked for what it promises."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from replay.reporters.base import FORMATS, reporter_for
from replay.reporters.console import shown_name
from replay.reporters.directory import render_directory
from replay.reporters.jsonformat import load_results
from replay.result import RunResult


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_every_step(fmt: str, twenty_step_run: RunResult) -> None:
    text = reporter_for(fmt).render(twenty_step_run)
    last = twenty_step_run.steps[-1]
    assert shown_name(last.index, last.name) in text


def test_json_round_trips(planted_run: RunResult) -> None:
    text = reporter_for("json").render(planted_run)
    assert load_results(text) == [planted_run]
    assert json.loads(text)["schema"] == 1  # the keys are checked in tests/runner


def test_json_of_several_runs_loads_back(
    twenty_step_run: RunResult, planted_run: RunResult
) -> None:
    text = reporter_for("json").render_many([twenty_step_run, planted_run])
    assert load_results(text) == [twenty_step_run, planted_run]


def test_junit_has_a_testcase_per_step_and_failures(twenty_step_run: RunResult) -> None:
    root = ET.fromstring(reporter_for("junit").render(twenty_step_run))
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert len(cases) == len(twenty_step_run.steps) == 20
    failed = [case for case in cases if case.find("failure") is not None]
    assert len(failed) == 1
    assert suite.get("failures") == "1"
    failure = failed[0].find("failure")
    assert failure is not None
    assert "Menu-missing" in (failure.get("message") or "")
    assert failed[0].get("file") == "tests/scenarios/twenty_steps.yaml"


def test_speedscope_has_one_profile_per_profiled_step(twenty_step_run: RunResult) -> None:
    document = json.loads(reporter_for("speedscope").render(twenty_step_run))
    assert document["$schema"] == "https://www.speedscope.app/file-format-schema.json"
    assert len(document["profiles"]) == 20
    frames = document["shared"]["frames"]
    for profile in document["profiles"]:
        opened = [e for e in profile["events"] if e["type"] == "O"]
        closed = [e for e in profile["events"] if e["type"] == "C"]
        assert len(opened) == len(closed) > 0
        assert all(0 <= e["frame"] < len(frames) for e in profile["events"])
        times = [e["at"] for e in profile["events"]]
        assert times == sorted(times)


def test_text_report_lists_failures_and_findings(planted_run: RunResult) -> None:
    text = reporter_for("text").render(planted_run)
    assert "N+1 findings" in text
    assert "lazy load: 6 ×" in text
    assert "fix:" in text


def test_html_is_self_contained(twenty_step_run: RunResult) -> None:
    html = reporter_for("html").render(twenty_step_run)
    assert "default-src 'none'" in html
    for reference in ('src="http', "src='http", 'href="http', "@import", "url("):
        assert reference not in html
    assert html.count('<details class="step') == 20


def test_html_escapes_bot_text(twenty_step_run: RunResult) -> None:
    html = reporter_for("html").render(twenty_step_run)
    assert "<b>html</b>" not in html
    assert "&lt;b&gt;html&lt;/b&gt;" in html


def test_html_shows_findings_with_hints(planted_run: RunResult) -> None:
    html = reporter_for("html").render(planted_run)
    assert html.count('class="finding warn"') == 5
    assert "selectinload" in html  # the lazy-load fix hint


def test_twenty_step_html_stays_small(twenty_step_run: RunResult) -> None:
    assert len(reporter_for("html").render(twenty_step_run).encode()) < 3 * 1024 * 1024


def test_report_directory_links_every_scenario(
    twenty_step_run: RunResult, planted_run: RunResult
) -> None:
    files = render_directory([twenty_step_run, planted_run])
    assert set(files) == {
        "index.html",
        "junit.xml",
        *(
            f"{name}{ext}"
            for name in ("twenty_steps", "planted_all")
            for ext in (".html", ".json", ".junit.xml")
        ),
    }
    index = files["index.html"]
    for name in ("twenty_steps", "planted_all"):
        for ext in (".html", ".json", ".junit.xml"):
            assert f'href="{name}{ext}"' in index
    assert "1/2 scenarios passed" in index


def test_profile_trees_start_at_the_step_not_at_replay(twenty_step_run: RunResult) -> None:
    # The sampled stacks begin at the thread's <module>; the kept tree starts at the step.
    for step in twenty_step_run.steps:
        assert step.profile is not None and step.profile.tree is not None
        tree = step.profile.tree
        assert tree.function == "step"
        names = {child.function for child in tree.children}
        assert "<module>" not in names and "MainThread" not in names
        assert all(not top.file.startswith(("replay/", ".venv/")) for top in step.profile.top)
