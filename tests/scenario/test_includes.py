"""`include:` splices another file's steps in place; its actors and vars merge."""

from __future__ import annotations

from pathlib import Path

import pytest

from replay.scenario import Issue, ScenarioError, load_scenario

from .conftest import LoadIssues, WriteFile

FRAGMENT = """\
actors:
  alice: {}
  bob: {first_name: Bob}
vars: {plan: monthly}
steps:
  - as: bob
    send: /frag
  - send: '/plan {{ plan }}'
"""


def test_included_steps_are_spliced_in_place_with_their_own_source(write: WriteFile) -> None:
    write(FRAGMENT, "_frag.yaml")
    path = write(
        """\
        actors: {alice: {}}
        steps:
          - send: /one
          - include: _frag.yaml
          - send: /three
        """
    )
    scenario = load_scenario(path)
    assert [(step.argument, step.source) for step in scenario.steps] == [
        ("/one", ("s.yaml", 3)),
        ("/frag", ("_frag.yaml", 6)),
        ("/plan {{ plan }}", ("_frag.yaml", 8)),
        ("/three", ("s.yaml", 5)),
    ]
    assert scenario.steps[1].actor == "bob"


def test_included_actors_and_vars_merge_in_definition_order(write: WriteFile) -> None:
    write(FRAGMENT, "_frag.yaml")
    path = write(
        """\
        actors: {alice: {}}
        vars: {x: 1}
        steps:
          - include: _frag.yaml
          - send: '{{ plan }} {{ x }}'
        """
    )
    scenario = load_scenario(path)
    assert list(scenario.actors) == ["alice", "bob"]
    assert scenario.actors["bob"].first_name == "Bob"
    assert scenario.vars == {"x": 1, "plan": "monthly"}


def test_include_path_is_relative_to_the_including_file(write: WriteFile) -> None:
    write("steps:\n  - advance: 1h\n", "parts/_inner.yaml")
    write("steps:\n  - include: _inner.yaml\n  - advance: 2h\n", "parts/_outer.yaml")
    path = write("steps:\n  - include: parts/_outer.yaml\n")
    scenario = load_scenario(path)
    assert [(step.argument, step.source[1]) for step in scenario.steps] == [("1h", 2), ("2h", 3)]
    assert [step.source[0] for step in scenario.steps] == ["_inner.yaml", "_outer.yaml"]


def test_include_inside_repeat_is_expanded(write: WriteFile) -> None:
    write("steps:\n  - advance: 1m\n  - advance: 2m\n", "_two.yaml")
    path = write(
        """\
        steps:
          - repeat: 2
            steps:
              - include: _two.yaml
        """
    )
    (outer,) = load_scenario(path).steps
    assert outer.repeat == 2
    assert outer.steps is not None
    assert [step.argument for step in outer.steps] == ["1m", "2m"]


def test_include_cycle_is_reported_at_the_include_that_closes_it(
    write: WriteFile, issues: LoadIssues
) -> None:
    write("steps:\n  - advance: 1m\n  - include: a.yaml\n", "b.yaml")
    found = issues("steps:\n  - advance: 1m\n  - include: b.yaml\n", "a.yaml")
    assert found == [
        Issue(
            "b.yaml",
            3,
            14,
            "include cycle: a.yaml -> b.yaml -> a.yaml",
            "remove one of the includes",
        )
    ]


def test_a_file_including_itself_is_a_cycle(issues: LoadIssues) -> None:
    found = issues("steps:\n  - include: s.yaml\n")
    assert [(i.line, i.message) for i in found] == [(2, "include cycle: s.yaml -> s.yaml")]


def test_include_of_a_missing_file(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - include: missing.yaml
        """
    )
    # The including file itself is never offered as "did you mean" (that would be a cycle).
    assert found == [
        Issue(
            "s.yaml",
            3,
            14,
            "included file 'missing.yaml' does not exist",
            "paths are relative to the including file",
        )
    ]


def test_include_of_a_missing_file_suggests_a_close_name(
    write: WriteFile, issues: LoadIssues
) -> None:
    write(FRAGMENT, "_frag.yaml")
    found = issues("actors: {alice: {}}\nsteps:\n  - include: _frag.yml\n")
    assert [(i.line, i.column, i.message, i.hint) for i in found] == [
        (3, 14, "included file '_frag.yml' does not exist", "did you mean '_frag.yaml'?")
    ]


def test_same_actor_defined_identically_in_both_files_is_fine(write: WriteFile) -> None:
    write("actors:\n  alice: {first_name: Alice}\nsteps:\n  - send: /x\n", "_same.yaml")
    path = write("actors:\n  alice: {first_name: Alice}\nsteps:\n  - include: _same.yaml\n")
    scenario = load_scenario(path)
    assert list(scenario.actors) == ["alice"]
    assert scenario.actors["alice"].first_name == "Alice"


def test_conflicting_actor_definitions_are_an_error_in_the_included_file(
    write: WriteFile, issues: LoadIssues
) -> None:
    write("actors:\n  alice: {first_name: Other}\nsteps:\n  - send: /x\n", "_conf.yaml")
    found = issues("actors: {alice: {}}\nsteps:\n  - include: _conf.yaml\n")
    assert found == [
        Issue(
            "_conf.yaml",
            2,
            3,
            "actor 'alice' is defined differently here and in s.yaml",
            "an included file may repeat a definition only unchanged; rename one",
        )
    ]


def test_conflicting_vars_are_an_error(write: WriteFile, issues: LoadIssues) -> None:
    write("vars: {plan: yearly}\nsteps:\n  - advance: 1m\n", "_vars.yaml")
    found = issues("vars: {plan: monthly}\nsteps:\n  - include: _vars.yaml\n")
    assert [(i.file, i.line, i.message) for i in found] == [
        ("_vars.yaml", 1, "var 'plan' is defined differently here and in s.yaml")
    ]


def test_problems_inside_an_included_file_point_into_it(
    write: WriteFile, issues: LoadIssues
) -> None:
    write("steps:\n  - advance: 1m\n  - advance: 6x\n", "_bad.yaml")
    found = issues("steps:\n  - include: _bad.yaml\n")
    assert [(i.file, i.line, i.column) for i in found] == [("_bad.yaml", 3, 14)]


def test_an_include_step_takes_no_other_keys(issues: LoadIssues, write: WriteFile) -> None:
    write(FRAGMENT, "_frag.yaml")
    found = issues("actors: {alice: {}}\nsteps:\n  - include: _frag.yaml\n    as: alice\n")
    assert found == [
        Issue(
            "s.yaml",
            4,
            5,
            "an include: step takes no 'as'",
            "the included steps say who acts and what they expect",
        )
    ]


def test_included_file_without_steps(write: WriteFile, issues: LoadIssues) -> None:
    write("actors: {carol: {}}\n", "_nosteps.yaml")
    found = issues("steps:\n  - include: _nosteps.yaml\n")
    assert [(i.file, i.line, i.message) for i in found] == [
        ("_nosteps.yaml", 1, "the included file has no steps:")
    ]


def test_an_included_files_defaults_are_refused_not_ignored(tmp_path: Path) -> None:
    (tmp_path / "_part.yaml").write_text(
        "defaults:\n  expect: { max_queries: 1 }\nsteps:\n  - send: hi\n"
    )
    (tmp_path / "main.yaml").write_text("actors: { a: {} }\nsteps:\n  - include: _part.yaml\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "main.yaml")
    (issue,) = info.value.issues
    assert (issue.file, issue.line, issue.column) == ("_part.yaml", 1, 1)
    assert issue.message == "an included file's defaults: would be ignored"
    assert issue.hint is not None and "move defaults:" in issue.hint
