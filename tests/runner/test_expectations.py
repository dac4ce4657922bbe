"""Every `expect:` key, holding and not holding, with the exact failure text."""

from __future__ import annotations

import pytest

from replay.expectations import Observation, check, quote_text
from replay.scenario import Expect

from .conftest import RunSteps


def _failures(run: RunSteps, steps: str) -> tuple[str, ...]:
    """The failures of the last step (earlier steps must pass)."""
    result = run(steps)
    *before, last = result.steps
    assert [s.status for s in before] == ["passed"] * len(before), [s.failures for s in before]
    return last.failures


# -- reply -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rule",
    [
        "{contains: Alice}",
        "{equals: 'Hello, Alice! Ready?'}",
        "{matches: '^Hello, \\w+!'}",
        "{not_contains: Bob}",
        "{contains: Hello, not_contains: Bye, matches: 'Ready\\?$'}",
    ],
)
def test_reply_rules_that_hold(run: RunSteps, rule: str) -> None:
    assert _failures(run, f"- send: /start\n  expect: {{reply: {rule}}}\n") == ()


@pytest.mark.parametrize(
    ("rule", "failure"),
    [
        ("{contains: Bye}", "reply should contain 'Bye'; it was 'Hello, Alice! Ready?'"),
        ("{equals: Hello}", "reply should equal 'Hello'; it was 'Hello, Alice! Ready?'"),
        ("{matches: '^Bye'}", "reply should match /^Bye/; it was 'Hello, Alice! Ready?'"),
        (
            "{not_contains: Alice}",
            "reply should not contain 'Alice'; it was 'Hello, Alice! Ready?'",
        ),
    ],
)
def test_reply_rules_that_fail(run: RunSteps, rule: str, failure: str) -> None:
    assert _failures(run, f"- send: /start\n  expect: {{reply: {rule}}}\n") == (failure,)


def test_reply_checks_the_last_message_of_the_step(run: RunSteps) -> None:
    assert _failures(run, "- send: /many\n  expect: {reply: {equals: message 2}}\n") == ()


def test_reply_sees_edits(run: RunSteps) -> None:
    steps = "- send: /start\n- click: Yes\n  expect: {reply: {equals: You said yes}}\n"
    assert _failures(run, steps) == ()


def test_reply_when_the_bot_sent_nothing(run: RunSteps) -> None:
    assert _failures(run, "- send: /silent\n  expect: {reply: {contains: x}}\n") == (
        "expected a reply to alice, but the bot sent nothing",
    )


PLAN = "'Plan: monthly\\nEnds: 2030-01-01\\nStatus: active'"  # as the failures quote it


def test_matches_lets_a_dot_cross_line_breaks(run: RunSteps) -> None:
    assert _failures(run, "- send: /plan\n  expect: {reply: {matches: 'monthly.*active'}}\n") == ()


def test_a_failed_matches_shows_the_line_breaks_of_the_reply(run: RunSteps) -> None:
    steps = "- send: /plan\n  expect: {reply: {matches: '^Ends'}}\n"
    assert _failures(run, steps) == (f"reply should match /^Ends/; it was {PLAN}",)


def test_a_failed_contains_shows_the_line_breaks_of_the_reply(run: RunSteps) -> None:
    steps = "- send: /plan\n  expect: {reply: {contains: 'monthly Ends'}}\n"
    assert _failures(run, steps) == (f"reply should contain 'monthly Ends'; it was {PLAN}",)


def test_a_pattern_with_a_real_line_break_is_shown_on_one_line(run: RunSteps) -> None:
    steps = '- send: /plan\n  expect: {reply: {matches: "active\\nPlan"}}\n'
    assert _failures(run, steps) == (f"reply should match /active\\nPlan/; it was {PLAN}",)


def test_a_long_reply_is_cut_in_the_failure_keeping_its_line_breaks() -> None:
    assert quote_text("a\n" * 150) == repr("a\n" * 99 + "a…")


# -- toast ------------------------------------------------------------------------------------


def test_toast_holds(run: RunSteps) -> None:
    steps = "- send: /start\n- click: Yes\n  expect: {toast: {equals: Noted}}\n"
    assert _failures(run, steps) == ()


def test_toast_fails_saying_what_it_was(run: RunSteps) -> None:
    steps = "- send: /start\n- click: Yes\n  expect: {toast: {contains: Saved}}\n"
    assert _failures(run, steps) == ("toast should contain 'Saved'; it was 'Noted'",)


def test_toast_of_an_alert_says_it_was_an_alert(run: RunSteps) -> None:
    steps = "- click: {data: 'adm:vip', forge: true}\n  expect: {toast: {not_contains: Admins}}\n"
    assert _failures(run, steps) == (
        "toast should not contain 'Admins'; it was 'Admins only.' (an alert)",
    )


def test_toast_when_the_callback_was_answered_without_text(run: RunSteps) -> None:
    steps = (
        "- as: admin\n  click: {data: 'adm:vip', forge: true}\n"
        "  expect: {toast: {contains: VIP}}\n"
    )
    assert _failures(run, steps) == (
        "toast should contain 'VIP'; the bot answered the callback query without text",
    )


def test_toast_when_no_callback_query_was_answered(run: RunSteps) -> None:
    assert _failures(run, "- send: /start\n  expect: {toast: {contains: Noted}}\n") == (
        "expected a toast, but the bot did not answer a callback query in this step",
    )


# -- replies, no_reply, buttons -----------------------------------------------------------------


def test_replies_counts_messages_sent_in_the_step(run: RunSteps) -> None:
    assert _failures(run, "- send: /many\n  expect: {replies: 3}\n") == ()


def test_replies_mismatch(run: RunSteps) -> None:
    assert _failures(run, "- send: /start\n  expect: {replies: 2}\n") == (
        "expected 2 message(s) to alice, got 1",
    )


def test_replies_do_not_count_edits(run: RunSteps) -> None:
    assert _failures(run, "- send: /start\n- click: Yes\n  expect: {replies: 0}\n") == ()


def test_no_reply_holds(run: RunSteps) -> None:
    assert _failures(run, "- send: /silent\n  expect: {no_reply: true}\n") == ()


def test_no_reply_fails_naming_what_was_sent(run: RunSteps) -> None:
    assert _failures(run, "- send: /start\n  expect: {no_reply: true}\n") == (
        "expected no reply to alice, but the bot sent ['Hello, Alice! Ready?']",
    )


def test_no_reply_shows_the_line_breaks_of_what_was_sent(run: RunSteps) -> None:
    assert _failures(run, "- send: /plan\n  expect: {no_reply: true}\n") == (
        "expected no reply to alice, but the bot sent "
        "['Plan: monthly\\nEnds: 2030-01-01\\nStatus: active']",
    )


def test_no_reply_false_requires_a_message(run: RunSteps) -> None:
    assert _failures(run, "- send: /silent\n  expect: {no_reply: false}\n") == (
        "expected a reply to alice, but the bot sent nothing",
    )


def test_a_message_to_another_chat_is_not_a_reply_to_the_actor(run: RunSteps) -> None:
    # /blocked 1001 messages the admin, then answers alice: one reply each.
    steps = "- send: /blocked 1001\n  expect: {replies: 1, reply: {equals: delivered}}\n"
    assert _failures(run, steps) == ()


def test_buttons_subset_holds(run: RunSteps) -> None:
    assert _failures(run, "- send: /start\n  expect: {buttons: [Docs, Yes]}\n") == ()


def test_buttons_missing(run: RunSteps) -> None:
    assert _failures(run, "- send: /start\n  expect: {buttons: [Yes, Maybe]}\n") == (
        "expected buttons ['Maybe'] on the last message; buttons there: 'Yes', 'No', 'Docs'",
    )


def test_buttons_of_a_reply_keyboard(run: RunSteps) -> None:
    assert _failures(run, "- send: /menu\n  expect: {buttons: [Help]}\n") == ()


def test_buttons_when_the_bot_sent_nothing(run: RunSteps) -> None:
    assert _failures(run, "- send: /silent\n  expect: {buttons: [A]}\n") == (
        "expected buttons ['A'] on a message to alice, but the bot sent nothing",
    )


# -- calls --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "calls",
    [
        "{editMessageText: 1, answerCallbackQuery: 1}",
        "{answer_callback_query: 1}",
        "{EditMessageText: 1}",
        "{editMessageText: '>=1', sendMessage: '<=0'}",
        "{sendMessage: 0}",
    ],
)
def test_calls_that_hold(run: RunSteps, calls: str) -> None:
    assert _failures(run, f"- send: /start\n- click: Yes\n  expect: {{calls: {calls}}}\n") == ()


@pytest.mark.parametrize(
    ("calls", "failure"),
    [
        (
            "{sendMessage: 2}",
            "expected exactly 2 sendMessage call(s), got 1; calls made: sendMessage ×1",
        ),
        (
            "{answer_callback_query: '>=1'}",
            "expected >=1 answerCallbackQuery call(s), got 0; calls made: sendMessage ×1",
        ),
        (
            "{sendMessage: '<=0'}",
            "expected <=0 sendMessage call(s), got 1; calls made: sendMessage ×1",
        ),
    ],
)
def test_calls_that_fail(run: RunSteps, calls: str, failure: str) -> None:
    assert _failures(run, f"- send: /start\n  expect: {{calls: {calls}}}\n") == (failure,)


def test_calls_of_a_method_that_does_not_exist_say_so() -> None:
    # The loader rejects such a key in a file; an Expect built in code still explains itself.
    failures = check(Expect(calls={"sendMesage": 1}), Observation(actor="alice", chat_id=1))
    assert failures == [
        "expected exactly 1 sendMesage call(s), got 0 "
        "('sendMesage' is not a Bot API method; did you mean 'sendMessage'?)"
    ]


# -- state and data -----------------------------------------------------------------------------


def test_state_holds(run: RunSteps) -> None:
    assert _failures(run, "- send: /survey\n  expect: {state: 'Survey:name'}\n") == ()


def test_state_mismatch(run: RunSteps) -> None:
    assert _failures(run, "- send: /survey\n  expect: {state: 'Survey:age'}\n") == (
        "expected FSM state 'Survey:age', got 'Survey:name'",
    )


def test_state_null_holds_when_no_state(run: RunSteps) -> None:
    assert _failures(run, "- send: /start\n  expect: {state: null}\n") == ()


def test_state_null_fails_when_a_state_is_set(run: RunSteps) -> None:
    assert _failures(run, "- send: /survey\n  expect: {state: null}\n") == (
        "expected no FSM state, got 'Survey:name'",
    )


def test_state_expected_but_none_set(run: RunSteps) -> None:
    assert _failures(run, "- send: /start\n  expect: {state: 'Survey:name'}\n") == (
        "expected FSM state 'Survey:name', got no state",
    )


def test_state_not_given_is_not_checked(run: RunSteps) -> None:
    assert _failures(run, "- send: /survey\n  expect: {replies: 1}\n") == ()


def test_data_subset_holds(run: RunSteps) -> None:
    assert _failures(run, "- send: /survey\n- send: Zed\n  expect: {data: {name: Zed}}\n") == ()


def test_data_missing_and_different_keys(run: RunSteps) -> None:
    steps = "- send: /survey\n- send: Zed\n  expect: {data: {name: Ann, age: 3}}\n"
    assert _failures(run, steps) == (
        "FSM data: 'name' is 'Zed', not 'Ann'; 'age' missing (data: {'name': 'Zed'})",
    )


# -- handled and error --------------------------------------------------------------------------


def test_an_unhandled_update_fails_by_default(run: RunSteps) -> None:
    assert _failures(run, "- send: hello there\n") == (
        "no handler matched this update (the bot ignored it); if that is intended, "
        "add  expect: { handled: false }",
    )


def test_handled_false_accepts_an_ignored_update(run: RunSteps) -> None:
    assert _failures(run, "- send: hello there\n  expect: {handled: false}\n") == ()


def test_handled_false_fails_when_a_handler_took_it(run: RunSteps) -> None:
    assert _failures(run, "- send: /start\n  expect: {handled: false}\n") == (
        "expected no handler to match the update, but one did",
    )


def test_handled_true_fails_when_nothing_took_it(run: RunSteps) -> None:
    assert _failures(run, "- send: hello there\n  expect: {handled: true}\n") == (
        "expected a handler to take the update, but none matched it",
    )


@pytest.mark.parametrize(
    ("command", "name"),
    [
        ("/caught", "ValueError"),
        ("/raise", "Boom"),
        ("/raise", "tests.bots.basic.Boom"),
        ("/raise", "Exception"),
    ],
)
def test_error_expected_and_raised(run: RunSteps, command: str, name: str) -> None:
    result = run(f"- send: {command}\n  expect: {{error: {name}}}\n")
    assert (result.steps[0].status, result.steps[0].failures) == ("passed", ())


def test_error_expected_but_another_raised(run: RunSteps) -> None:
    assert _failures(run, "- send: /caught\n  expect: {error: KeyError}\n") == (
        "expected KeyError, but the step raised ValueError: caught by the error router",
    )


def test_error_expected_but_nothing_raised(run: RunSteps) -> None:
    assert _failures(run, "- send: /start\n  expect: {error: Boom}\n") == (
        "expected the step to raise Boom, but it did not",
    )


# -- defaults ---------------------------------------------------------------------------------


def test_defaults_expect_apply_and_a_step_overrides_them(run: RunSteps) -> None:
    header = (
        "app: tests.bots.basic:create_app\n"
        "actors: {alice: {first_name: Alice}}\n"
        "defaults:\n"
        "  expect: {replies: 1, state: null}\n"
    )
    result = run(
        "- send: /start\n- send: /many\n- send: /many\n  expect: {replies: 3}\n"
        "- send: /survey\n  expect: {state: 'Survey:name'}\n",
        header,
    )
    assert [(s.status, s.failures) for s in result.steps] == [
        ("passed", ()),
        ("failed", ("expected 1 message(s) to alice, got 3",)),
        ("passed", ()),
        ("passed", ()),
    ]


def test_a_missing_reply_is_reported_once_for_reply_and_no_reply_false(run: RunSteps) -> None:
    steps = "- send: /silent\n  expect: {reply: {contains: x}, no_reply: false}\n"
    assert _failures(run, steps) == ("expected a reply to alice, but the bot sent nothing",)
