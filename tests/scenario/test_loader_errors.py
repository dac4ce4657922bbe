"""The loader rejects broken scenarios with file:line:column, what is wrong, and a hint."""

from __future__ import annotations

from typing import get_args

from replay.scenario import Issue, ScenarioError, load_scenario
from replay.scenario.model import ApiErrorKind
from replay.telegram.failures import ERROR_KINDS

from .conftest import LoadIssues, WriteFile

# -- the file as a whole ----------------------------------------------------------------------


def test_yaml_syntax_error_points_at_the_offending_token(issues: LoadIssues) -> None:
    found = issues(
        """\
        steps:
          - send: /start
           click: OK
        """
    )
    assert len(found) == 1
    issue = found[0]
    assert (issue.file, issue.line, issue.column) == ("s.yaml", 3, 4)
    assert issue.message.startswith("not valid YAML: ")
    assert "expected <block end>" in issue.message
    assert issue.hint == "check the indentation and quoting near this spot"


def test_unclosed_flow_sequence_is_reported_where_the_file_ends(issues: LoadIssues) -> None:
    found = issues("steps: [a, b\n")
    assert [(i.line, i.column) for i in found] == [(2, 1)]
    assert "expected ',' or ']'" in found[0].message


def test_a_list_at_the_top_is_not_a_scenario(issues: LoadIssues) -> None:
    assert issues("- send: /start\n") == [
        Issue(
            "s.yaml",
            1,
            1,
            "a scenario must be a mapping of keys, got a list",
            "start with keys like  name:, actors:, steps:  (see docs/scenarios.md)",
        )
    ]


def test_a_scalar_at_the_top_is_not_a_scenario(issues: LoadIssues) -> None:
    found = issues("hello\n")
    assert [(i.line, i.column, i.message) for i in found] == [
        (1, 1, "a scenario must be a mapping of keys, got 'hello'")
    ]


def test_an_empty_file_says_so(issues: LoadIssues) -> None:
    assert issues("") == [
        Issue("s.yaml", 1, 1, "the file is empty", "a scenario needs at least steps:")
    ]


def test_a_file_of_comments_only_is_empty(issues: LoadIssues) -> None:
    assert [i.message for i in issues("# nothing here yet\n")] == ["the file is empty"]


def test_error_text_is_file_line_column_message_then_hint() -> None:
    error = ScenarioError([Issue("a.yaml", 3, 5, "unknown key 'x'", "did you mean 'y'?")])
    assert str(error) == (
        "1 problem in scenario:\na.yaml:3:5: unknown key 'x'\n    hint: did you mean 'y'?"
    )


# -- keys and verbs ---------------------------------------------------------------------------


def test_unknown_top_level_key_suggests_the_close_one(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: /a
        descripton: typo
        """
    )
    assert found == [
        Issue("s.yaml", 4, 1, "unknown key 'descripton'", "did you mean 'description'?")
    ]


def test_unknown_top_level_key_without_a_close_one_lists_the_allowed(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        zzz: 1
        steps:
          - send: /a
        """
    )
    assert [(i.line, i.column, i.message) for i in found] == [(2, 1, "unknown key 'zzz'")]
    assert found[0].hint is not None
    assert found[0].hint.startswith("allowed keys here: version, name, description, app,")
    assert "steps" in found[0].hint


def test_unknown_step_key_suggests_the_close_one(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: /a
            expekt: {replies: 1}
        """
    )
    assert found == [Issue("s.yaml", 4, 5, "unknown key 'expekt'", "did you mean 'expect'?")]


def test_misspelt_verb_is_one_issue_with_did_you_mean(issues: LoadIssues) -> None:
    # Not also "step has no verb": the typo is the one problem.
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - clik: OK
        """
    )
    assert found == [Issue("s.yaml", 3, 5, "unknown key 'clik'", "did you mean 'click'?")]


def test_unknown_expect_key_suggests_the_close_one(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: /a
            expect:
              no_replay: true
        """
    )
    assert found == [Issue("s.yaml", 5, 7, "unknown key 'no_replay'", "did you mean 'no_reply'?")]


def test_a_wrong_plural_suggests_the_plural_key(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: /a
            expect: {replys: 1, max_querys: 3}
        """
    )
    assert [(i.message, i.hint) for i in found] == [
        ("unknown key 'replys'", "did you mean 'replies'?"),
        ("unknown key 'max_querys'", "did you mean 'max_queries'?"),
    ]


def test_two_verbs_in_one_step(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: /a
            click: OK
        """
    )
    assert found == [
        Issue(
            "s.yaml",
            4,
            5,
            "two verbs in one step: 'send' and 'click'",
            "a step does one thing; split it into two steps",
        )
    ]


def test_step_without_a_verb(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - name: nothing happens
        """
    )
    assert [(i.line, i.column, i.message) for i in found] == [(3, 5, "step has no verb")]
    assert found[0].hint == (
        "add one of: send, click, join, leave, member, set_state, advance, job, repeat, include"
    )


def test_a_step_that_is_not_a_mapping(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: /a
          - just text
        """
    )
    assert [(i.line, i.column, i.message) for i in found] == [
        (4, 5, "a step must be a mapping, got 'just text'")
    ]


def test_duplicate_top_level_key(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: /a
        steps:
          - send: /b
        """
    )
    assert found == [
        Issue(
            "s.yaml",
            4,
            1,
            "duplicate key 'steps'",
            "a key may appear once per mapping; remove one of them",
        )
    ]


def test_duplicate_key_inside_a_step(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: /a
            expect: {replies: 1}
            expect: {replies: 2}
        """
    )
    assert [(i.line, i.column, i.message) for i in found] == [(5, 5, "duplicate key 'expect'")]


def test_repeat_without_steps(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - repeat: 3
        """
    )
    assert [(i.line, i.column, i.message) for i in found] == [
        (3, 5, "repeat: needs steps: (the steps to repeat)")
    ]


def test_steps_inside_a_step_without_repeat(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: /a
            steps:
              - send: /b
        """
    )
    assert [(i.line, i.column, i.message) for i in found] == [
        (4, 5, "steps: inside a step only goes with repeat: N")
    ]


def test_data_without_set_state(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: /a
            data: {x: 1}
        """
    )
    assert [(i.line, i.column, i.message) for i in found] == [
        (4, 5, "data: goes with set_state: (the FSM data to set)")
    ]


# -- values -------------------------------------------------------------------------------------


def test_max_queries_must_be_a_number(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: /a
            expect: {max_queries: lots}
        """
    )
    assert found == [
        Issue("s.yaml", 4, 27, "max_queries: expected a whole number, got 'lots'", None)
    ]


def test_repeat_must_be_a_number(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - repeat: x
            steps:
              - send: /a
        """
    )
    assert [(i.line, i.column, i.message) for i in found] == [
        (3, 13, "repeat: expected a whole number, got 'x'")
    ]


def test_repeat_must_be_at_least_one(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - repeat: 0
            steps:
              - send: /a
        """
    )
    assert [(i.line, i.column, i.message) for i in found] == [
        (3, 13, "repeat: input should be greater than or equal to 1, got 0")
    ]


def test_bad_duration_names_the_value_and_the_units(issues: LoadIssues) -> None:
    found = issues(
        """\
        steps:
          - advance: 6x
        """
    )
    assert [(i.line, i.column, i.message) for i in found] == [
        (
            2,
            14,
            "advance: bad duration '6x': write a number and a unit: "
            "500ms, 30s, 15m, 6h, 2d, 1w, or 1h30m",
        )
    ]


def test_bad_regex_in_reply_matches(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: /a
            expect:
              reply: {matches: '(unclosed'}
        """
    )
    assert [(i.line, i.column) for i in found] == [(5, 24)]
    assert found[0].message.startswith("matches: bad regular expression '(unclosed': ")
    assert "missing )" in found[0].message


def test_bad_regex_in_click(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - click: /[a/
        """
    )
    assert [(i.line, i.column) for i in found] == [(3, 12)]
    assert found[0].message.startswith("click: bad regular expression '/[a/': ")
    assert "unterminated character set" in found[0].message


def test_bad_regex_in_a_capture(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: /a
            capture:
              token: {reply: '[a'}
        """
    )
    assert [(i.line, i.column) for i in found] == [(5, 22)]
    assert found[0].message.startswith("reply: bad regular expression '[a': ")


def test_bad_n_plus_one_literal_suggests_the_close_one(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: /a
            expect: {n_plus_one: fial}
        """
    )
    assert found == [
        Issue(
            "s.yaml",
            4,
            26,
            "n_plus_one: expected 'fail', 'warn' or 'allow', got 'fial'",
            "did you mean 'fail'?",
        )
    ]


def test_bad_scenario_name(issues: LoadIssues) -> None:
    found = issues(
        """\
        name: Bad Name
        actors: {alice: {}}
        steps:
          - send: /a
        """
    )
    assert found == [
        Issue(
            "s.yaml",
            1,
            7,
            "name: 'Bad Name' is not a valid name",
            "use lowercase letters, digits, '_' and '-' only",
        )
    ]


def test_send_of_a_number_asks_for_text_or_a_mapping(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: [a, b]
        """
    )
    assert [(i.line, i.column) for i in found] == [(3, 11)]
    assert found[0].message == (
        "send: expected a text or a mapping (text, photo, document, ...), got a list"
    )


def test_call_count_that_is_not_a_count(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: /a
            expect: {calls: {sendMessage: lots}}
        """
    )
    assert [(i.line, i.column, i.message) for i in found] == [
        (4, 35, "sendMessage: bad call count 'lots': write N, '>=N' or '<=N' (also '>N', '<N')")
    ]


def test_call_count_cannot_be_negative(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: /a
            expect: {calls: {sendMessage: -1}}
        """
    )
    assert [(i.line, i.column, i.message) for i in found] == [
        (4, 35, "sendMessage: bad call count -1: a count cannot be negative")
    ]


# -- references -------------------------------------------------------------------------------


def test_unknown_actor_suggests_the_close_one(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}, bob: {}}
        steps:
          - as: alcie
            send: /a
        """
    )
    assert found == [Issue("s.yaml", 3, 9, "unknown actor 'alcie'", "did you mean 'alice'?")]


def test_unknown_actor_lists_the_actors_when_none_is_close(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}, bob: {}}
        steps:
          - as: zed
            send: /a
        """
    )
    assert found == [
        Issue("s.yaml", 3, 9, "unknown actor 'zed'", "the actors defined are: 'alice', 'bob'")
    ]


def test_actor_verb_without_any_actor(issues: LoadIssues) -> None:
    found = issues(
        """\
        steps:
          - send: /a
        """
    )
    assert [(i.line, i.column, i.message) for i in found] == [
        (2, 5, "'send' needs an actor, but the scenario defines none")
    ]


def test_unknown_chat_in_join_suggests_the_close_one(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        chats: {vip: {id: -100}}
        steps:
          - join: vpi
        """
    )
    assert found == [Issue("s.yaml", 4, 11, "unknown chat 'vpi'", "did you mean 'vip'?")]


def test_unknown_chat_in_member_lists_the_chats(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        chats: {vip: {id: -100}}
        steps:
          - member: {chat: zzz, status: left}
        """
    )
    assert [(i.line, i.message, i.hint) for i in found] == [
        (4, "unknown chat 'zzz'", "the chats defined are: 'vip'")
    ]


def test_undefined_variable_suggests_the_close_one(issues: LoadIssues) -> None:
    found = issues(
        """\
        vars: {token: abc}
        actors: {alice: {}}
        steps:
          - send: '/start {{ tokn }}'
        """
    )
    assert found == [
        Issue("s.yaml", 4, 11, "undefined variable {{ tokn }}", "did you mean 'token'?")
    ]


def test_undefined_variable_lists_the_names_when_none_is_close(issues: LoadIssues) -> None:
    found = issues(
        """\
        vars: {token: abc}
        actors: {alice: {}}
        steps:
          - send: '/start {{ zzzzzz }}'
        """
    )
    assert [(i.line, i.message) for i in found] == [(4, "undefined variable {{ zzzzzz }}")]
    assert found[0].hint == (
        "the variables defined are: 'token', 'vu', 'actors.alice.id', "
        "'actors.alice.first_name', 'actors.alice.username'"
    )


def test_template_naming_an_unknown_actor(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: '/ban {{ actors.alcie.id }}'
        """
    )
    assert found == [
        Issue(
            "s.yaml",
            3,
            11,
            "unknown actor 'alcie' in {{ actors.alcie.id }}",
            "did you mean 'alice'?",
        )
    ]


def test_variable_used_before_its_capture(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: '/start {{ token }}'
          - send: /token
            capture:
              token: {reply: 'start=(\\w+)'}
        """
    )
    assert found == [
        Issue(
            "s.yaml",
            3,
            11,
            "{{ token }} is used before it is captured",
            "it is captured by the step at s.yaml:4; move the capture earlier",
        )
    ]


def test_variable_used_after_its_capture_is_fine(write: WriteFile) -> None:
    path = write(
        """\
        actors: {alice: {}}
        steps:
          - send: /token
            capture:
              token: {reply: 'start=(\\w+)'}
          - send: '/start {{ token }}'
        """
    )
    assert [step.argument for step in load_scenario(path).steps] == [
        "/token",
        "/start {{ token }}",
    ]


def test_faker_provider_typo(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: '{{ faker.emial }}'
        """
    )
    assert found == [
        Issue("s.yaml", 3, 11, "Faker has no provider 'emial'", "did you mean 'email'?")
    ]


def test_a_template_expression_is_not_a_name(issues: LoadIssues) -> None:
    found = issues(
        """\
        vars: {n: 1}
        actors: {alice: {}}
        steps:
          - send: '{{ n + 1 }}'
        """
    )
    assert [(i.line, i.message) for i in found] == [(4, "{{ n + 1 }} is not a name")]


def test_load_shared_names_an_unknown_actor(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}, admin: {}}
        load: {users: 2, shared: [admni]}
        steps:
          - send: /a
        """
    )
    assert found == [Issue("s.yaml", 2, 27, "unknown actor 'admni'", "did you mean 'admin'?")]


def test_api_errors_name_an_unknown_actor(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        api_errors:
          - {error: blocked, actor: bob}
        steps:
          - send: /a
        """
    )
    assert [(i.line, i.message, i.hint) for i in found] == [
        (3, "unknown actor 'bob'", "the actors defined are: 'alice'")
    ]


def test_two_actors_with_one_id(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors:
          alice: {id: 5}
          bob: {id: 5}
        steps:
          - send: /a
        """
    )
    assert [(i.line, i.column, i.message) for i in found] == [
        (3, 13, "actors 'alice' and 'bob' have the same id 5")
    ]


# -- every problem at once --------------------------------------------------------------------


def test_every_problem_of_a_file_is_reported_at_once_sorted_by_line(issues: LoadIssues) -> None:
    found = issues(
        """\
        name: Bad Name
        actors: {alice: {}}
        steps:
          - send: '{{ tokn }}'
          - as: alcie
            send: /b
          - advance: 6x
          - send: /c
            expekt: {replies: 1}
        """
    )
    assert [(i.line, i.message) for i in found] == [
        (1, "name: 'Bad Name' is not a valid name"),
        (4, "undefined variable {{ tokn }}"),
        (5, "unknown actor 'alcie'"),
        (
            7,
            "advance: bad duration '6x': write a number and a unit: "
            "500ms, 30s, 15m, 6h, 2d, 1w, or 1h30m",
        ),
        (9, "unknown key 'expekt'"),
    ]


def test_unknown_api_error_kind_suggests_the_close_one(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        api_errors:
          - {error: blockd, method: sendMessage}
        steps:
          - send: /a
        """
    )
    assert [(i.line, i.column, i.hint) for i in found] == [(3, 13, "did you mean 'blocked'?")]
    assert found[0].message.startswith("error: expected 'blocked', 'forbidden', ")
    assert found[0].message.endswith(", got 'blockd'")


def test_api_error_kinds_of_the_language_are_those_the_offline_session_knows() -> None:
    assert set(get_args(ApiErrorKind)) == set(ERROR_KINDS)


def test_a_capture_needs_exactly_one_source(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: /a
            capture:
              none: {}
              both: {reply: 'a(.)', button: 'b'}
        """
    )
    assert [(i.line, i.column, i.message) for i in found] == [
        (5, 13, "none: a capture takes exactly one source (reply, button or call), got none"),
        (
            6,
            13,
            "both: a capture takes exactly one source (reply, button or call), "
            "got reply and button",
        ),
    ]


def test_send_mapping_needs_content(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - send: {reply_to: last}
          - send: {caption: look, text: hi}
        """
    )
    assert [(i.line, i.column, i.message) for i in found] == [
        (3, 11, "send: a message needs content: text, photo, document, contact or location"),
        (4, 11, "send: caption goes with photo or document (a text message has text)"),
    ]


def test_click_mapping_names_a_button(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - click: {}
        """
    )
    assert [(i.line, i.column, i.message) for i in found] == [
        (3, 12, "click: name the button with data (its callback data) or text (its label)")
    ]


def test_missing_required_key_points_at_its_mapping(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        chats: {vip: {}}
        steps:
          - member: {chat: vip}
        """
    )
    assert [(i.line, i.column, i.message) for i in found] == [
        (4, 13, "missing required key 'status'")
    ]


def test_a_repeat_step_takes_no_expect_or_actor(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - repeat: 2
            as: alice
            expect: {replies: 1}
            steps:
              - send: /a
        """
    )
    assert found == [
        Issue("s.yaml", 4, 5, "a repeat: step takes no 'as'", "put as: on the repeated steps"),
        Issue(
            "s.yaml",
            5,
            5,
            "a repeat: step takes no 'expect'",
            "put expect: on the repeated steps",
        ),
    ]


def test_an_unknown_key_on_a_repeat_step_is_reported_once(issues: LoadIssues) -> None:
    found = issues(
        """\
        actors: {alice: {}}
        steps:
          - repeat: 2
            expekt: {replies: 1}
            steps:
              - send: /a
        """
    )
    assert found == [Issue("s.yaml", 4, 5, "unknown key 'expekt'", "did you mean 'expect'?")]


def test_a_scenario_without_steps(issues: LoadIssues) -> None:
    assert issues("actors: {alice: {}}\n") == [
        Issue("s.yaml", 1, 1, "the scenario has no steps:", "add a steps: list of what happens")
    ]


def test_misspelt_steps_is_one_issue(issues: LoadIssues) -> None:
    found = issues("actors: {alice: {}}\nstep:\n  - send: /a\n")
    assert found == [Issue("s.yaml", 2, 1, "unknown key 'step'", "did you mean 'steps'?")]
