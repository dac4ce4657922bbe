"""What a valid scenario loads into: defaults, merged expectations, YAML 1.2 scalars."""

from __future__ import annotations

import pydantic
import pytest

from replay.scenario import Expect
from replay.scenario.model import merged_expect, step_timeout

from .conftest import LoadOk


def test_defaults_of_a_minimal_scenario(load: LoadOk) -> None:
    scenario = load("actors: {alice: {}}\nsteps:\n  - send: /start\n", "vip_flow.yaml")
    assert scenario.name == "vip_flow"
    assert scenario.version == 1
    assert scenario.faker_seed == 0
    assert scenario.description == ""
    assert scenario.app is None
    assert scenario.path == "vip_flow.yaml"
    (step,) = scenario.steps
    assert (step.verb, step.argument, step.actor, step.name) == ("send", "/start", None, None)


def test_default_name_is_the_stem_made_a_valid_name(load: LoadOk) -> None:
    scenario = load("steps:\n  - advance: 1s\n", "My Flow.v2.yaml")
    assert scenario.name == "my_flow_v2"


def test_an_explicit_name_wins_over_the_stem(load: LoadOk) -> None:
    assert load("name: checkout-1\nsteps:\n  - advance: 1s\n", "x.yaml").name == "checkout-1"


def test_actors_keep_their_order_the_first_is_the_default(load: LoadOk) -> None:
    scenario = load("actors: {zed: {}, alice: {}}\nsteps:\n  - send: /a\n")
    assert list(scenario.actors) == ["zed", "alice"]


def test_yaml_12_booleans_only_true_and_false(load: LoadOk) -> None:
    scenario = load(
        """\
        actors:
          alice: {admin: true, blocked: false}
        steps:
          - click: Yes
          - click: No
          - send: on
          - send: off
            expect: {no_reply: True}
        """
    )
    assert [step.argument for step in scenario.steps] == ["Yes", "No", "on", "off"]
    assert scenario.actors["alice"].admin is True
    assert scenario.actors["alice"].blocked is False
    expect = scenario.steps[3].expect
    assert expect is not None
    assert expect.no_reply is True


def test_step_keys_of_every_verb(load: LoadOk) -> None:
    scenario = load(
        """\
        actors: {alice: {}}
        chats: {vip: {id: -100, title: VIP}}
        steps:
          - send: {photo: true, caption: look}
          - click: {data: 'answer:yes'}
          - join: vip
          - leave: vip
          - member: {chat: vip, status: kicked}
          - set_state: 'Survey:age'
            data: {name: Bob}
          - advance: 1h30m
          - job: ping
          - repeat: 2
            steps:
              - send: /a
        """
    )
    assert [step.verb for step in scenario.steps] == [
        "send",
        "click",
        "join",
        "leave",
        "member",
        "set_state",
        "advance",
        "job",
        "repeat",
    ]
    assert scenario.steps[5].data == {"name": "Bob"}
    assert scenario.chats["vip"].type == "channel"


def test_step_timeout_falls_back_from_step_to_defaults_to_options(load: LoadOk) -> None:
    scenario = load(
        """\
        defaults: {timeout: 2s}
        steps:
          - advance: 1s
            timeout: 500ms
          - advance: 1s
        """
    )
    first, second = scenario.steps
    assert step_timeout(first, scenario, 10.0) == 0.5
    assert step_timeout(second, scenario, 10.0) == 2.0


# -- defaults.expect --------------------------------------------------------------------------

DEFAULTS = """\
actors: {alice: {}}
defaults:
  expect: {max_queries: 25, n_plus_one: fail, state: 'Menu:main'}
steps:
  - send: /a
  - send: /b
    expect: {max_queries: 8, replies: 1}
  - send: /c
    expect: {state: null}
"""


def test_defaults_expect_applies_to_a_step_without_expect(load: LoadOk) -> None:
    scenario = load(DEFAULTS)
    merged = merged_expect(scenario.steps[0], scenario)
    assert merged == Expect(max_queries=25, n_plus_one="fail", state="Menu:main")
    assert merged.model_fields_set == {"max_queries", "n_plus_one", "state"}


def test_a_steps_own_keys_win_over_defaults(load: LoadOk) -> None:
    scenario = load(DEFAULTS)
    merged = merged_expect(scenario.steps[1], scenario)
    assert (merged.max_queries, merged.replies, merged.n_plus_one, merged.state) == (
        8,
        1,
        "fail",
        "Menu:main",
    )


def test_state_null_is_kept_distinct_from_not_set(load: LoadOk) -> None:
    scenario = load(DEFAULTS)
    merged = merged_expect(scenario.steps[2], scenario)
    assert merged.state is None
    assert "state" in merged.model_fields_set
    own = scenario.steps[2].expect
    assert own is not None
    assert "state" in own.model_fields_set
    unset = load("actors: {alice: {}}\nsteps:\n  - send: /a\n    expect: {replies: 1}\n")
    assert "state" not in merged_expect(unset.steps[0], unset).model_fields_set


def test_no_defaults_and_no_expect_is_an_empty_expect(load: LoadOk) -> None:
    scenario = load("actors: {alice: {}}\nsteps:\n  - send: /a\n")
    merged = merged_expect(scenario.steps[0], scenario)
    assert merged == Expect()
    assert merged.model_fields_set == set()


def test_scenario_is_frozen(load: LoadOk) -> None:
    scenario = load("steps:\n  - advance: 1s\n")
    with pytest.raises(pydantic.ValidationError):
        scenario.name = "other"  # type: ignore[misc]


# -- where a step is --------------------------------------------------------------------------


def test_a_step_knows_the_column_of_its_verbs_value(load: LoadOk) -> None:
    scenario = load("steps:\n  - job: nightly\n  - {name: second, job: cleanup}\n")
    assert [step.column for step in scenario.steps] == [10, 25]


def test_verb_source_points_at_the_verbs_value_on_its_own_line(load: LoadOk) -> None:
    scenario = load("steps:\n  - name: nightly run\n    timeout: 5s\n    job: nightly\n")
    (step,) = scenario.steps
    assert step.source == ("s.yaml", 2)
    assert step.verb_source == ("s.yaml", 4, 10)


def test_a_bare_number_of_seconds_is_a_duration() -> None:
    from replay.scenario.durations import parse_duration

    assert parse_duration("60").total_seconds() == 60
    assert parse_duration("1.5").total_seconds() == 1.5
