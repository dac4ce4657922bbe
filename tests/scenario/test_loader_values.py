"""Values the loader checks beyond their type: FSM states, Bot API methods, forged clicks."""

from __future__ import annotations

from replay.scenario import Issue

from .conftest import LoadIssues, LoadOk

STATE_HINT = "FSM states are written 'Group:state', e.g. 'Survey:name'"

# -- FSM states -------------------------------------------------------------------------------


def test_set_state_without_a_group_is_an_error_with_the_form(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - set_state: survey_name
        """
    )
    assert found == [
        Issue("s.yaml", 3, 16, "set_state: 'survey_name' is not an FSM state", STATE_HINT)
    ]


def test_expect_state_without_a_group_is_an_error_with_the_form(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: /a
            expect: {state: name}
        """
    )
    assert found == [Issue("s.yaml", 4, 21, "state: 'name' is not an FSM state", STATE_HINT)]


def test_defaults_expect_state_is_checked_too(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        defaults: {expect: {state: menu}}
        steps:
          - send: /a
        """
    )
    assert found == [Issue("s.yaml", 2, 28, "state: 'menu' is not an FSM state", STATE_HINT)]


def test_templated_states_and_state_null_are_left_alone(load: LoadOk) -> None:
    scenario = load(
        """\
        actors: {alice: {}}
        vars: {where: 'Survey:age'}
        steps:
          - set_state: '{{ where }}'
            expect: {state: '{{ where }}'}
          - send: /a
            expect: {state: null}
        """
    )
    assert [step.verb for step in scenario.steps] == ["set_state", "send"]


# -- Bot API method names -----------------------------------------------------------------------


def test_unknown_method_in_calls_suggests_the_close_one(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: /a
            expect: {calls: {sendMesage: 1}}
        """
    )
    assert found == [
        Issue(
            "s.yaml", 4, 22, "unknown Bot API method 'sendMesage'", "did you mean 'sendMessage'?"
        )
    ]


def test_unknown_snake_case_method_suggests_the_api_spelling(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: /a
            expect: {calls: {send_mesage: 1}}
        """
    )
    assert [(i.message, i.hint) for i in found] == [
        ("unknown Bot API method 'send_mesage'", "did you mean 'sendMessage'?")
    ]


def test_unknown_method_without_a_close_one_says_how_methods_are_written(
    issues: LoadIssues,
) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: /a
            expect: {calls: {zzz: 1}}
        """
    )
    assert [(i.message, i.hint) for i in found] == [
        (
            "unknown Bot API method 'zzz'",
            "write the method as the Bot API names it (sendMessage) or as aiogram does "
            "(send_message)",
        )
    ]


def test_unknown_method_in_defaults_calls(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        defaults:
          expect: {calls: {answerCallback: 1}}
        steps:
          - send: /a
        """
    )
    assert [(i.line, i.column, i.message) for i in found] == [
        (3, 20, "unknown Bot API method 'answerCallback'")
    ]


def test_unknown_method_in_api_errors(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        api_errors:
          - {error: blocked, method: sendMessge}
        steps:
          - send: /a
        """
    )
    assert found == [
        Issue(
            "s.yaml", 3, 30, "unknown Bot API method 'sendMessge'", "did you mean 'sendMessage'?"
        )
    ]


def test_methods_in_every_spelling_load(load: LoadOk) -> None:
    scenario = load(
        """\
        actors: {alice: {}}
        api_errors:
          - {error: blocked, method: send_message}
          - {error: retry_after, method: SendPhoto}
        steps:
          - send: /a
            expect: {calls: {sendMessage: 1, answer_callback_query: 0, EditMessageText: 0}}
        """
    )
    assert [rule.method for rule in scenario.api_errors] == ["send_message", "SendPhoto"]


# -- forged clicks ------------------------------------------------------------------------------


def test_forge_needs_data(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - click: {forge: true}
          - click: {text: Delete, forge: true}
        """
    )
    message = "click: forge: true sends crafted callback data: give data: (and no text:)"
    assert [(i.line, i.column, i.message) for i in found] == [(3, 12, message), (4, 12, message)]


def test_forge_with_data_loads(load: LoadOk) -> None:
    scenario = load("actors: {alice: {}}\nsteps:\n  - click: {data: 'adm:vip', forge: true}\n")
    click = scenario.steps[0].click
    assert (click.data, click.forge) == ("adm:vip", True)  # type: ignore[union-attr]
