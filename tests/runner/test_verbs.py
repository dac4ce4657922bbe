"""Each verb of the scenario language, run through tests/bots/basic.py's real Dispatcher."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from replay import run_scenario
from replay.scenario import Issue, ScenarioError

from .conftest import HEADER, RunSteps

ECHO_HEADER = HEADER.replace("tests.bots.basic:create_app", "tests.runner.echo_app:create_app")

# -- send -------------------------------------------------------------------------------------


def test_send_text_goes_to_the_first_actor_by_default(run: RunSteps) -> None:
    result = run("- send: /start\n")
    (step,) = result.steps
    assert (step.index, step.name, step.actor, step.verb, step.status) == (
        0,
        "0 send /start",
        "alice",
        "send",
        "passed",
    )
    assert step.replies == ("Hello, Alice! Ready?",)
    assert [call.method for call in step.calls] == ["sendMessage"]
    assert step.source == "s.yaml:9"


def test_send_as_another_actor(run: RunSteps) -> None:
    result = run("- {as: admin, send: /admin}\n- send: /admin\n")
    assert [(s.actor, s.replies) for s in result.steps] == [
        ("admin", ("Admin panel",)),
        ("alice", ("Admins only.",)),
    ]


def test_send_command_with_arguments(run: RunSteps) -> None:
    result = run("- send: /start deep123\n")
    assert result.steps[0].replies == ("Hello, Alice (deep123)! Ready?",)


def test_send_photo(run: RunSteps) -> None:
    result = run("- send: {photo: true}\n")
    assert (result.steps[0].name, result.steps[0].replies) == (
        "0 send photo=True",
        ("Nice photo",),
    )


def test_send_document_by_file_name(run: RunSteps) -> None:
    result = run("- send: {document: report.pdf}\n")
    assert result.steps[0].replies == ("Got report.pdf",)


def test_send_contact_of_the_actor(run: RunSteps) -> None:
    result = run("- send: {contact: true}\n")
    assert result.steps[0].replies == ("Phone +10000000000",)


def test_send_contact_with_a_phone_number(run: RunSteps) -> None:
    result = run("- send: {contact: {phone_number: '+4915100000'}}\n")
    assert result.steps[0].replies == ("Phone +4915100000",)


def test_send_location(run: RunSteps) -> None:
    result = run("- send: {location: {latitude: 52.5, longitude: 13.4}}\n", ECHO_HEADER)
    assert result.steps[0].replies == ("at 52.5,13.4",)


def test_send_location_basic_bot_ignores_it(run: RunSteps) -> None:
    result = run("- send: {location: {latitude: 1, longitude: 2}}\n  expect: {handled: false}\n")
    assert (result.steps[0].status, result.steps[0].replies) == ("passed", ())


def test_send_reply_to_the_bots_last_message(run: RunSteps) -> None:
    result = run("- send: /menu\n- send: {text: thanks, reply_to: last}\n", ECHO_HEADER)
    # Message ids count per chat: alice's /menu is #1, the bot's "Menu" #2.
    assert result.steps[1].replies == ("thanks -> #2: Menu",)


# -- click ------------------------------------------------------------------------------------


def test_click_by_label(run: RunSteps) -> None:
    result = run("- send: /start\n- click: Yes\n")
    step = result.steps[1]
    assert (step.name, step.status, step.replies) == ("1 click Yes", "passed", ("You said yes",))
    assert [call.method for call in step.calls] == ["editMessageText", "answerCallbackQuery"]
    assert step.calls[1].params["text"] == "Noted"


def test_click_by_regex(run: RunSteps) -> None:
    result = run("- send: /start\n- click: /^N/\n")
    assert result.steps[1].replies == ("You said no",)


def test_click_by_callback_data(run: RunSteps) -> None:
    result = run("- send: /start\n- click: {data: 'answer:no'}\n")
    assert (result.steps[1].name, result.steps[1].replies) == (
        "1 click data=answer:no",
        ("You said no",),
    )


def test_click_by_text_mapping(run: RunSteps) -> None:
    result = run("- send: /start\n- click: {text: 'Yes'}\n")
    assert result.steps[1].replies == ("You said yes",)


def test_click_presses_the_newest_message_with_the_button(run: RunSteps) -> None:
    result = run("- send: /start\n- send: /start\n- click: Yes\n")
    edit = result.steps[2].calls[0]
    # alice #1, bot #2, alice #3, bot #4: the newest keyboard is on #4.
    assert (edit.method, edit.params["message_id"]) == ("editMessageText", 4)


def test_click_on_a_missing_button_fails_listing_the_buttons(run: RunSteps) -> None:
    result = run("- send: /start\n- click: Nope\n- send: /start\n")
    step = result.steps[1]
    assert step.status == "failed"
    assert step.failures == ("no button 'Nope' in the chat; buttons there: 'Yes', 'No', 'Docs'",)
    assert step.calls == ()
    assert result.steps[2].status == "passed"  # the run goes on


def test_click_with_no_keyboard_in_the_chat(run: RunSteps) -> None:
    result = run("- click: Yes\n")
    assert result.steps[0].failures == (
        "no button 'Yes' in the chat; the bot's messages in this chat have no buttons",
    )


def test_click_regex_that_matches_no_button(run: RunSteps) -> None:
    result = run("- send: /start\n- click: /^Z/\n")
    assert result.steps[1].failures == (
        "no button matching /^Z/ in the chat; buttons there: 'Yes', 'No', 'Docs'",
    )


def test_click_on_a_url_button_fails(run: RunSteps) -> None:
    result = run("- send: /start\n- click: Docs\n")
    assert result.steps[1].failures == (
        "'Docs' is a url button; pressing it sends nothing to the bot",
    )


def test_click_on_a_reply_keyboard_button_says_to_send_it(run: RunSteps) -> None:
    result = run("- send: /menu\n- click: Help\n- send: Help\n")
    assert result.steps[1].failures == (
        "'Help' is a reply-keyboard button: press it with  send: Help",
    )
    assert result.steps[2].replies == ("Help text",)


def test_an_edit_without_markup_removes_the_keyboard(run: RunSteps) -> None:
    result = run("- send: /start\n- click: Yes\n- click: No\n")
    assert result.steps[2].failures == (
        "no button 'No' in the chat; the bot's messages in this chat have no buttons",
    )


# -- forged clicks ----------------------------------------------------------------------------


def test_a_forged_click_sends_data_no_button_has(run: RunSteps) -> None:
    result = run("- send: /start\n- click: {data: 'adm:vip', forge: true}\n")
    step = result.steps[1]
    assert (step.name, step.status) == ("1 click data=adm:vip forge=True", "passed")
    answer = step.calls[0]
    assert (answer.method, answer.params["text"], answer.params["show_alert"]) == (
        "answerCallbackQuery",
        "Admins only.",
        True,
    )


def test_a_forged_click_is_shown_as_such_in_the_transcript(run: RunSteps) -> None:
    result = run("- send: /start\n- click: {data: 'adm:vip', forge: true}\n")
    action = result.steps[1].transcript[0]
    assert (action.text, action.action) == ("[forged callback data 'adm:vip']", "pressed")


def test_a_forged_click_is_attached_to_the_newest_bot_message(run: RunSteps) -> None:
    result = run(
        "- {as: admin, send: /start}\n- {as: admin, send: /start}\n"
        "- {as: admin, click: {data: 'adm:vip', forge: true}}\n"
    )
    edit = result.steps[2].calls[0]
    # admin #1, bot #2, admin #3, bot #4: the newest bot message is #4.
    assert (edit.method, edit.params["message_id"]) == ("editMessageText", 4)
    assert result.steps[2].replies == ("VIP panel",)


def test_a_forged_click_in_a_chat_without_bot_messages_uses_an_earlier_one(
    run: RunSteps,
) -> None:
    result = run("- {as: admin, click: {data: 'adm:vip', forge: true}}\n")
    step = result.steps[0]
    assert (step.status, step.replies) == ("passed", ("VIP panel",))
    assert step.calls[0].params["message_id"] == 1


def test_a_forged_click_with_data_nothing_handles_is_unhandled(run: RunSteps) -> None:
    result = run("- send: /start\n- click: {data: 'adm:nuke', forge: true}\n")
    assert result.steps[1].failures == (
        "no handler matched this update (the bot ignored it); if that is intended, "
        "add  expect: { handled: false }",
    )


# -- chats and members ------------------------------------------------------------------------


def test_join_sends_a_join_request_the_bot_approves(run: RunSteps) -> None:
    result = run("- join: vip\n  expect: {calls: {approveChatJoinRequest: 1}}\n")
    step = result.steps[0]
    assert step.status == "passed"
    assert step.replies == ("Welcome to VIP",)
    approve = step.calls[0]
    assert (approve.method, approve.params["chat_id"]) == ("approveChatJoinRequest", -1001)


def test_leave_is_a_chat_member_update(run: RunSteps) -> None:
    result = run("- leave: vip\n")
    assert result.steps[0].replies == ("status left",)


@pytest.mark.parametrize("status", ["member", "kicked", "administrator"])
def test_member_sets_the_status(run: RunSteps, status: str) -> None:
    result = run(f"- member: {{chat: vip, status: {status}}}\n")
    assert result.steps[0].replies == (f"status {status}",)


# -- FSM ------------------------------------------------------------------------------------------


def test_the_bots_fsm_is_read_after_each_step(run: RunSteps) -> None:
    result = run("- send: /survey\n- send: Zed\n- send: '42'\n")
    assert [(s.state, s.replies) for s in result.steps] == [
        ("Survey:name", ("What is your name?",)),
        ("Survey:age", ("How old are you?",)),
        (None, ("Thanks, Zed (42)",)),
    ]


def test_set_state_with_data(run: RunSteps) -> None:
    result = run(
        """\
        - set_state: 'Survey:age'
          data: {name: Zed}
          expect: {state: 'Survey:age', data: {name: Zed}}
        - send: '7'
        """
    )
    first, second = result.steps
    assert (first.verb, first.actor, first.status, first.replies) == (
        "set_state",
        "alice",
        "passed",
        (),
    )
    assert second.replies == ("Thanks, Zed (7)",)


# -- time ------------------------------------------------------------------------------------


def _dates(reply: str) -> list[int]:
    inside = reply.split("(", 1)[1].split(")", 1)[0]
    return [int(part) for part in inside.split()]


def test_advance_moves_the_clock_handlers_and_jobs_see(run: RunSteps) -> None:
    before = time.time()
    result = run(
        """\
        - send: /token
          capture: {d1: {call: {method: sendMessage, field: date}}}
        - advance: 6h
        - send: /token
          capture: {d2: {call: {method: sendMessage, field: date}}}
        - advance: 1d
        - job: ping
          capture: {d3: {call: {method: sendMessage, field: date}}}
        - send: '/start {{ d1 }} {{ d2 }} {{ d3 }}'
        """
    )
    assert result.status == "passed", result.steps
    d1, d2, d3 = _dates(result.steps[-1].replies[0])
    assert 6 * 3600 <= d2 - d1 < 6 * 3600 + 60
    assert 24 * 3600 <= d3 - d2 < 24 * 3600 + 60
    assert abs(d1 - before) < 60
    advance = result.steps[1]
    assert (advance.name, advance.actor, advance.verb) == ("1 advance 6h", None, "advance")
    assert abs(time.time() - before) < 60  # the clock is back after the run


# -- jobs ------------------------------------------------------------------------------------


def test_job_runs_with_the_offline_bot(run: RunSteps) -> None:
    result = run("- job: ping\n")
    step = result.steps[0]
    assert (step.name, step.actor, step.status) == ("0 job ping", None, "passed")
    assert [(c.method, c.params["chat_id"], c.params["text"]) for c in step.calls] == [
        ("sendMessage", -1001, "ping")
    ]
    assert step.transcript[0].text == "job ping -> 1"


def test_unknown_job_is_a_scenario_error_before_anything_runs(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(HEADER + "steps:\n  - send: /start\n  - job: pong\n  - job: nightly_cleanup\n")
    with pytest.raises(ScenarioError) as info:
        run_scenario(path, profile=False)
    assert info.value.issues == [
        Issue("s.yaml", 10, 10, "the app has no job 'pong'", "did you mean 'ping'?"),
        Issue(
            "s.yaml",
            11,
            10,
            "the app has no job 'nightly_cleanup'",
            "the jobs defined are: 'ping'",
        ),
    ]


# -- repeat and include -------------------------------------------------------------------------


def test_repeat_reports_every_iteration(run: RunSteps) -> None:
    result = run(
        """\
        - repeat: 2
          steps:
            - send: /many
              expect: {replies: 3}
            - repeat: 2
              steps:
                - send: /silent
                  expect: {no_reply: true}
        - send: /start
        """
    )
    assert [(s.index, s.name, s.status) for s in result.steps] == [
        (0, "0 send /many [1/2]", "passed"),
        (1, "1 send /silent [1/2] [1/2]", "passed"),
        (2, "2 send /silent [1/2] [2/2]", "passed"),
        (3, "3 send /many [2/2]", "passed"),
        (4, "4 send /silent [2/2] [1/2]", "passed"),
        (5, "5 send /silent [2/2] [2/2]", "passed"),
        (6, "6 send /start", "passed"),
    ]


def test_named_repeated_step_keeps_its_name_with_the_suffix(run: RunSteps) -> None:
    result = run("- repeat: 2\n  steps:\n    - {name: status check, send: /silent}\n")
    assert [s.name for s in result.steps] == ["status check [1/2]", "status check [2/2]"]


def test_included_steps_run_in_place(run: RunSteps, tmp_path: Path) -> None:
    (tmp_path / "_fragment.yaml").write_text(
        "steps:\n  - send: /menu\n  - send: Help\n", encoding="utf-8"
    )
    result = run("- send: /start\n- include: _fragment.yaml\n- send: /silent\n")
    assert [(s.name, s.source, s.replies) for s in result.steps] == [
        ("0 send /start", "s.yaml:9", ("Hello, Alice! Ready?",)),
        ("1 send /menu", "_fragment.yaml:2", ("Menu",)),
        ("2 send Help", "_fragment.yaml:3", ("Help text",)),
        ("3 send /silent", "s.yaml:11", ()),
    ]


# -- captures ------------------------------------------------------------------------------------


def test_capture_group_one_of_a_reply(run: RunSteps) -> None:
    result = run(
        """\
        - send: /token
          capture: {token: {reply: 'start=(\\w+)'}}
        - send: '/start {{ token }}'
        """
    )
    assert result.steps[1].replies == ("Hello, Alice (tok123abc)! Ready?",)


def test_capture_without_a_group_takes_the_whole_match(run: RunSteps) -> None:
    result = run(
        """\
        - send: /token
          capture: {link: {reply: 'start=\\w+'}}
        - send: '/start {{ link }}'
        """
    )
    assert result.steps[1].replies == ("Hello, Alice (start=tok123abc)! Ready?",)


def test_capture_stops_at_the_end_of_the_line(run: RunSteps) -> None:
    result = run(
        """\
        - send: /plan
          capture: {ends: {reply: 'Ends: (.*)'}}
        - send: '/start {{ ends }}'
        """
    )
    assert result.steps[1].replies == ("Hello, Alice (2030-01-01)! Ready?",)


def test_capture_from_a_button_label(run: RunSteps) -> None:
    result = run(
        """\
        - send: /start
          capture: {choice: {button: '^N(o)$'}}
        - send: '/start {{ choice }}'
        """
    )
    assert result.steps[1].replies == ("Hello, Alice (o)! Ready?",)


def test_capture_from_a_call_parameter(run: RunSteps) -> None:
    result = run(
        """\
        - send: /start
          capture: {chat: {call: {method: sendMessage, field: chat_id}}}
        - send: '/blocked {{ chat }}'
        """
    )
    assert result.steps[1].replies == ("hi", "delivered")


def test_capture_from_a_call_result(run: RunSteps) -> None:
    result = run(
        """\
        - send: /start
          capture: {sent: {call: {method: sendMessage, field: message_id}}}
        - send: '/start {{ sent }}'
        """
    )
    assert result.steps[1].replies == ("Hello, Alice (2)! Ready?",)


def test_a_capture_that_finds_nothing_fails_the_step(run: RunSteps) -> None:
    result = run(
        """\
        - send: /token
          capture:
            code: {reply: 'code=(\\d+)'}
            label: {button: 'Y(es)'}
            edit: {call: {method: editMessageText, field: text}}
        """
    )
    assert result.steps[0].status == "failed"
    assert result.steps[0].failures == (
        "capture 'code': no reply matched /code=(\\d+)/; "
        "replies: ['Your link: https://t.me/replay_bot?start=tok123abc']",
        "capture 'label': no button matched /Y(es)/; buttons: []",
        "capture 'edit': no editMessageText call with 'text'; calls made: ['sendMessage']",
    )


def test_using_a_capture_that_failed_names_the_variable(run: RunSteps) -> None:
    result = run(
        """\
        - send: /token
          capture: {code: {reply: 'code=(\\d+)'}}
        - send: '/start {{ code }}'
        """
    )
    step = result.steps[1]
    assert step.status == "failed"
    assert step.failures == (
        "undefined variable {{ code }} (defined now: actors.admin.<field>, "
        "actors.alice.<field>, actors.bob.<field>, chats.vip.<field>, faker.<provider>, vu)",
    )
    assert step.calls == ()


def test_send_reply_to_last_without_a_bot_message_fails(run: RunSteps) -> None:
    result = run("- send: {text: thanks, reply_to: last}\n", ECHO_HEADER)
    step = result.steps[0]
    assert (step.status, step.calls) == ("failed", ())
    assert step.failures == (
        "reply_to: last, but the bot has sent no message in this chat to reply to",
    )


def test_join_of_a_templated_chat_name_that_is_unknown_fails(run: RunSteps) -> None:
    header = HEADER + "vars: {target: vpi}\n"
    result = run("- join: '{{ target }}'\n", header)
    step = result.steps[0]
    assert step.status == "failed"
    assert step.failures == ("unknown chat 'vpi'; the chats defined are: 'vip'",)
