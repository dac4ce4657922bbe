"""The `replay` command line, through click's CliRunner: exit codes, output, files."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from replay.cli import cli

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
PASSING = "tests/scenarios/passing.yaml"
FAILING = "tests/scenarios/failing.yaml"
GENERATED = "tests/scenarios/generated.yaml"
HANGING = "tests/scenarios/hanging.yaml"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def _json_of(result: Result) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _copy(tmp_path: Path, *names: str) -> Path:
    for name in names:
        shutil.copy(SCENARIOS / name, tmp_path / name)
    return tmp_path


# -- help -------------------------------------------------------------------------------------


def test_group_help_lists_every_command() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for name in cli.commands:
        assert f"  {name} " in result.stdout


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_naming_its_options(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Usage: cli {command} ")
    options = [param for param in cli.commands[command].params if isinstance(param, click.Option)]
    for option in options:
        for flag in option.opts:
            assert flag in result.stdout, f"{command} --help does not mention {flag}"


def test_version() -> None:
    result = invoke("--version")
    assert (result.exit_code, result.stdout) == (0, "replay, version 0.1.0\n")


# -- run --------------------------------------------------------------------------------------


def test_run_a_passing_scenario_prints_the_step_table() -> None:
    result = invoke("run", PASSING, "--no-profile")
    assert result.exit_code == 0, result.output
    assert "greeting  tests/scenarios/passing.yaml" in result.stdout
    for name in ("alice starts", "alice answers yes", "alice opens the menu"):
        assert name in result.stdout
    assert "greeting: passed · 3/3 steps passed" in result.stdout


def test_run_a_failing_scenario_exits_1_with_the_failure() -> None:
    result = invoke("run", FAILING, "--no-profile")
    assert result.exit_code == 1
    assert "1 silence [failed]  (tests/scenarios/failing.yaml:9)" in result.stdout
    assert "- expected 1 message(s) to alice, got 0" in result.stdout
    assert "failing: failed · 2/3 steps passed" in result.stdout


def test_run_a_bad_scenario_exits_2_with_file_line_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("actors: {alice: {}}\nsteps:\n  - send: /a\n    expect: {max_queries: lots}\n")
    result = invoke("run", bad)
    assert result.exit_code == 2
    assert "bad.yaml:4:27: max_queries: expected a whole number, got 'lots'" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_run_a_missing_path_exits_2(tmp_path: Path) -> None:
    result = invoke("run", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert "nope.yaml: no such file or directory" in result.stderr
    assert "Traceback" not in result.output


def test_run_without_paths_is_a_usage_error() -> None:
    result = invoke("run")
    assert result.exit_code == 2
    assert "name a scenario file or directory" in result.stderr


def test_run_a_directory_runs_every_scenario_but_fragments(tmp_path: Path) -> None:
    _copy(tmp_path, "passing.yaml", "_menu.yaml", "generated.yaml")
    result = invoke("run", tmp_path, "--no-profile", "--format", "json")
    assert result.exit_code == 0, result.output
    data = _json_of(result)
    assert [run["scenario"] for run in data["runs"]] == ["generated", "greeting"]


def test_run_an_empty_directory_exits_2(tmp_path: Path) -> None:
    (tmp_path / "_only_a_fragment.yaml").write_text("steps:\n  - advance: 1s\n")
    result = invoke("run", tmp_path)
    assert result.exit_code == 2
    assert "no scenario files (*.yaml) in this directory" in result.stderr


def test_run_format_json_is_schema_1() -> None:
    result = invoke("run", PASSING, "--no-profile", "--format", "json")
    assert result.exit_code == 0, result.output
    data = _json_of(result)
    assert (data["schema"], data["scenario"], data["status"]) == (1, "greeting", "passed")
    assert [step["name"] for step in data["steps"]] == [
        "alice starts",
        "alice answers yes",
        "alice opens the menu",
    ]


def test_run_output_writes_the_file_and_a_summary(tmp_path: Path) -> None:
    out = tmp_path / "reports" / "run.json"
    result = invoke("run", FAILING, "--no-profile", "--format", "json", "--output", out)
    assert result.exit_code == 1
    data = json.loads(out.read_text())
    assert (data["schema"], data["status"], len(data["steps"])) == (1, "failed", 3)
    assert "failing: failed · 2/3 steps passed" in result.stdout
    assert "wrote " in result.stdout
    assert sorted(p.name for p in out.parent.iterdir()) == ["run.json"]


def test_run_output_is_not_written_when_the_scenario_is_bad(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("steps:\n  - advance: 6x\n")
    out = tmp_path / "out" / "run.json"
    result = invoke("run", bad, "--format", "json", "--output", out)
    assert result.exit_code == 2
    assert not out.parent.exists()


def test_run_also_writes_json_and_junit_files(tmp_path: Path) -> None:
    json_file, junit_file = tmp_path / "r.json", tmp_path / "r.xml"
    result = invoke("run", PASSING, "--no-profile", "--json", json_file, "--junit", junit_file)
    assert result.exit_code == 0, result.output
    assert json.loads(json_file.read_text())["scenario"] == "greeting"
    assert len(ET.fromstring(junit_file.read_text()).findall("./testsuite/testcase")) == 3


def test_run_fail_fast_stops_at_the_first_failure() -> None:
    result = invoke("run", FAILING, "--no-profile", "--fail-fast", "--format", "json")
    assert result.exit_code == 1
    assert [(s["name"], s["status"]) for s in _json_of(result)["steps"]] == [
        ("alice starts", "passed"),
        ("silence", "failed"),
    ]


def test_run_timeout_applies_to_every_step() -> None:
    result = invoke("run", HANGING, "--no-profile", "--timeout", "0.2s", "--format", "json")
    assert result.exit_code == 1
    (step,) = _json_of(result)["steps"]
    assert step["status"] == "error"
    assert step["failures"][0].startswith("step did not finish within 0.2 s and was cancelled")


def test_run_timeout_must_be_a_duration() -> None:
    result = invoke("run", PASSING, "--timeout", "6x")
    assert result.exit_code == 2
    assert "bad duration '6x'" in result.stderr


def _greeting(*options: str) -> str:
    result = invoke("run", GENERATED, "--no-profile", "--format", "json", *options)
    assert result.exit_code == 0, result.output
    (step,) = _json_of(result)["steps"]
    reply: str = step["replies"][0]
    return reply


def test_run_seed_changes_generated_actor_names() -> None:
    default, again = _greeting(), _greeting("--seed", "3")
    other = _greeting("--seed", "4")
    assert default == again  # the scenario's faker_seed is 3
    assert default != other
    assert default.startswith("Hello, ")


def test_run_app_overrides_the_scenarios_app(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "app: tests.bots.nothing_here:create_app\nactors: {alice: {}}\nsteps:\n  - send: /start\n"
    )
    assert invoke("run", scenario, "--no-profile").exit_code == 2
    result = invoke("run", scenario, "--no-profile", "--app", "tests.bots.basic:create_app")
    assert result.exit_code == 0, result.output


def test_run_app_of_a_missing_module_exits_2(tmp_path: Path) -> None:
    result = invoke("run", PASSING, "--app", "tests.bots.nothing_here:create_app")
    assert result.exit_code == 2
    assert (
        "error: app 'tests.bots.nothing_here:create_app': no module named "
        "'tests.bots.nothing_here'"
    ) in result.stderr
    assert "Traceback" not in result.output


def test_run_app_of_a_missing_attribute_exits_2() -> None:
    result = invoke("run", PASSING, "--app", "tests.bots.basic:create_ap")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: app 'tests.bots.basic:create_ap': module 'tests.bots.basic' has no "
        "'create_ap'; did you mean 'create_app'?\n"
    )


def test_run_app_without_a_colon_exits_2() -> None:
    result = invoke("run", PASSING, "--app", "tests.bots.basic")
    assert result.exit_code == 2
    assert "must have the form module:function" in result.stderr


# -- validate and list ------------------------------------------------------------------------


def test_validate_prints_ok_lines() -> None:
    result = invoke("validate", PASSING, FAILING)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "ok  tests/scenarios/passing.yaml  (greeting, 3 steps)\n"
        "ok  tests/scenarios/failing.yaml  (failing, 3 steps)\n"
    )


def test_validate_lists_every_issue_of_every_file(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "actors: {alice: {}}\nsteps:\n  - clik: OK\n  - advance: 6x\n"
    )
    (tmp_path / "b.yaml").write_text("steps:\n  - repeat: 3\n")
    _copy(tmp_path, "passing.yaml", "_menu.yaml")
    result = invoke("validate", tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith("3 problems in scenario:\n")
    for spot in ("a.yaml:3:5: unknown key 'clik'", "a.yaml:4:14: advance: bad duration '6x'"):
        assert spot in result.stderr
    assert "b.yaml:2:5: repeat: needs steps: (the steps to repeat)" in result.stderr
    assert "Traceback" not in result.output


def test_list_shows_name_steps_and_description(tmp_path: Path) -> None:
    _copy(tmp_path, "passing.yaml", "_menu.yaml", "failing.yaml")
    (tmp_path / "broken.yaml").write_text("steps:\n  - advance: 6x\n  - clik: x\n")
    result = invoke("list", tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "broken      - steps  INVALID: 2 problem(s); run replay validate",
        "failing     3 steps  The bot stays silent where a reply is expected.",
        "greeting    3 steps  Alice says hello and answers the bot's question.",
    ]


# -- schema and report ------------------------------------------------------------------------


def test_schema_prints_the_json_schema() -> None:
    result = invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "as" in schema["$defs"]["Step"]["properties"]


@pytest.fixture
def saved_run(tmp_path: Path) -> Path:
    path = tmp_path / "run.json"
    result = invoke("run", FAILING, "--no-profile", "--format", "json", "-o", path)
    assert result.exit_code == 1, result.output
    return path


def test_report_renders_a_saved_run_as_text(saved_run: Path) -> None:
    result = invoke("report", saved_run, "--format", "text")
    assert result.exit_code == 0, result.output
    assert "1 silence [failed]  (tests/scenarios/failing.yaml:9)" in result.stdout
    assert "- expected 1 message(s) to alice, got 0" in result.stdout


def test_report_renders_a_saved_run_as_junit(saved_run: Path) -> None:
    result = invoke("report", saved_run, "--format", "junit")
    assert result.exit_code == 0, result.output
    declaration, body = result.stdout.split("\n", 1)
    assert declaration == '<?xml version="1.0" encoding="UTF-8"?>'
    root = ET.fromstring(body)
    (suite,) = root.findall("testsuite")
    assert (suite.get("name"), suite.get("tests"), suite.get("failures")) == ("failing", "3", "1")
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == [
        "00 alice starts",
        "01 silence",
        "02 alice starts again",
    ]
    failures = [case.find("failure") for case in cases]
    assert failures[0] is None
    assert failures[2] is None
    failure = failures[1]
    assert failure is not None
    assert failure.get("message") == "expected 1 message(s) to alice, got 0"


def test_report_renders_a_saved_run_as_the_same_json(saved_run: Path) -> None:
    result = invoke("report", saved_run, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(saved_run.read_text())


def test_report_of_a_file_that_is_no_result_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_text('{"hello": 1}')
    result = invoke("report", path)
    assert result.exit_code == 2
    assert "notes.json is not a replay result file" in result.stderr
    assert "Traceback" not in result.output
