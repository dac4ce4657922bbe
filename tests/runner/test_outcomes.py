"""What becomes of errors, hangs and Bot API failures, and how a run stops early."""

from __future__ import annotations

from pathlib import Path

import pytest

from replay.errors import ReplayError, SetupError
from replay.runner import run_scenario

from .conftest import BASIC, HEADER, RunSteps, line_of

ECHO_APP = Path(__file__).resolve().parent / "echo_app.py"

TELEGRAM_FORBIDDEN = (
    "TelegramForbiddenError: Telegram server says - "
    "Forbidden: bot can't initiate conversation with a user"
)


def test_a_raising_job_is_an_error_at_the_bots_line(run: RunSteps) -> None:
    header = HEADER + "api_errors:\n  - {error: forbidden, method: sendMessage, chat: vip}\n"
    result = run("- job: ping\n- send: /start\n", header)
    step = result.steps[0]
    where = f"tests/bots/basic.py:{line_of(BASIC, 'await bot.send_message(-1001')} in ping"
    assert step.status == "error"
    assert step.error == f"{TELEGRAM_FORBIDDEN} (at {where})"
    assert step.failures == (f"raised {TELEGRAM_FORBIDDEN} (at {where})",)
    assert step.calls[0].error == "Forbidden: bot can't initiate conversation with a user"
    assert result.status == "error"
    assert result.steps[1].status == "passed"  # an error does not stop the run


def test_an_expected_error_passes(run: RunSteps) -> None:
    header = HEADER + "api_errors:\n  - {error: forbidden, chat: vip, times: 1}\n"
    result = run("- job: ping\n  expect: {error: TelegramForbiddenError}\n- job: ping\n", header)
    assert [(s.status, s.error) for s in result.steps] == [("passed", None), ("passed", None)]


def test_a_handler_error_swallowed_by_the_error_router_fails_the_step(run: RunSteps) -> None:
    result = run("- send: /raise\n")
    step = result.steps[0]
    where = f"tests/bots/basic.py:{line_of(BASIC, 'raise Boom(')} in raise_"
    assert step.status == "failed"
    assert step.failures == (
        f"a handler raised Boom: handler exploded (at {where}); an error handler caught it "
        "(add expect: {error: ...} if that is intended)",
    )
    assert step.error is None


def test_a_value_error_caught_by_the_error_router_fails_the_step(run: RunSteps) -> None:
    result = run("- send: /caught\n")
    where = f"tests/bots/basic.py:{line_of(BASIC, 'raise ValueError(')} in caught"
    assert result.steps[0].failures == (
        f"a handler raised ValueError: caught by the error router (at {where}); an error "
        "handler caught it (add expect: {error: ...} if that is intended)",
    )


def test_a_caught_error_is_fine_when_expected(run: RunSteps) -> None:
    result = run("- send: /caught\n  expect: {error: ValueError}\n")
    assert (result.steps[0].status, result.steps[0].failures) == ("passed", ())


def test_a_hanging_handler_times_out_naming_where_it_waits(run: RunSteps) -> None:
    result = run("- send: /hang\n  timeout: 200ms\n- send: /start\n")
    hung, after = result.steps
    where = f"tests/bots/basic.py:{line_of(BASIC, 'await asyncio.sleep(3600)')} in hang"
    assert hung.status == "error"
    assert hung.failures == (
        f"step did not finish within 0.2 s and was cancelled; it was waiting at {where}",
    )
    assert (after.status, after.replies) == ("passed", ("Hello, Alice! Ready?",))


def test_the_run_timeout_option_applies_to_every_step(run: RunSteps) -> None:
    result = run("- send: /hang\n", timeout=0.1)
    assert result.steps[0].failures[0].startswith("step did not finish within 0.1 s")


def test_defaults_timeout_applies_when_the_step_sets_none(run: RunSteps) -> None:
    header = HEADER + "defaults: {timeout: 150ms}\n"
    result = run("- send: /hang\n", header)
    assert result.steps[0].failures[0].startswith("step did not finish within 0.15 s")


def test_fail_fast_stops_at_the_first_failed_step(run: RunSteps) -> None:
    steps = "- send: /start\n- send: /silent\n  expect: {replies: 1}\n- send: /start\n"
    result = run(steps, fail_fast=True)
    assert [(s.name, s.status) for s in result.steps] == [
        ("0 send /start", "passed"),
        ("1 send /silent", "failed"),
    ]
    assert result.status == "failed"


def test_without_fail_fast_every_step_runs(run: RunSteps) -> None:
    steps = "- send: /start\n- send: /silent\n  expect: {replies: 1}\n- send: /start\n"
    result = run(steps)
    assert [s.status for s in result.steps] == ["passed", "failed", "passed"]
    assert [s.name for s in result.failed_steps] == ["1 send /silent"]


def test_a_blocked_actor_makes_sends_to_them_fail(run: RunSteps) -> None:
    result = run("- send: '/blocked {{ actors.bob.id }}'\n")
    step = result.steps[0]
    assert step.replies == ("failed: TelegramForbiddenError",)
    failed = step.calls[0]
    assert (failed.method, failed.error) == (
        "sendMessage",
        "Forbidden: bot was blocked by the user",
    )
    assert any(line.action == "error" for line in step.transcript)


def test_an_unblocked_actor_gets_the_message(run: RunSteps) -> None:
    result = run("- send: '/blocked {{ actors.admin.id }}'\n")
    step = result.steps[0]
    assert step.replies == ("delivered",)
    assert [c.params["text"] for c in step.calls] == ["hi", "delivered"]
    assert step.calls[0].params["chat_id"] == 1001


def test_api_errors_for_an_actor_reach_the_handler(run: RunSteps) -> None:
    header = HEADER + "api_errors:\n  - {error: blocked, actor: admin, method: sendMessage}\n"
    result = run("- send: /blocked 1001\n", header)
    assert result.steps[0].replies == ("failed: TelegramForbiddenError",)


def test_api_errors_times_limits_the_failures(run: RunSteps) -> None:
    header = (
        HEADER + "api_errors:\n  - {error: retry_after, chat: vip, times: 1, retry_after: 3}\n"
    )
    result = run("- job: ping\n  expect: {error: TelegramRetryAfter}\n- job: ping\n", header)
    assert [s.status for s in result.steps] == ["passed", "passed"]
    assert result.steps[0].calls[0].error == "Too Many Requests: retry after 3"
    assert result.steps[1].calls[0].error is None


def test_a_webhook_style_returned_method_is_executed(run: RunSteps) -> None:
    result = run("- send: /webhook\n  expect: {calls: {sendMessage: 1}}\n")
    assert (result.steps[0].status, result.steps[0].replies) == (
        "passed",
        ("returned, not awaited",),
    )


def test_the_app_factorys_admin_ids_come_from_the_actors(run: RunSteps) -> None:
    result = run("- {as: admin, send: /admin}\n- {as: alice, send: /admin}\n")
    assert [s.replies for s in result.steps] == [("Admin panel",), ("Admins only.",)]


def test_an_app_factory_that_raises_is_a_setup_error_naming_it(run: RunSteps) -> None:
    header = HEADER.replace(
        "tests.bots.basic:create_app", "tests.runner.echo_app:create_broken_app"
    )
    where = f"tests/runner/echo_app.py:{line_of(ECHO_APP, 'raise ConnectionError(')}"
    with pytest.raises(SetupError) as info:
        run("- send: /start\n", header)
    assert str(info.value) == (
        "the app factory tests.runner.echo_app:create_broken_app failed: "
        f"ConnectionError: database is down (at {where} in create_broken_app)"
    )


def test_a_bot_api_call_in_the_app_factory_fails_loudly(tmp_path: Path) -> None:
    # The factory runs before the offline Telegram exists: a call then must not go out.
    path = tmp_path / "s.yaml"
    path.write_text(
        "app: tests.runner.echo_app:calls_telegram_in_factory\nactors: { a: {} }\n"
        "steps:\n  - send: hi\n"
    )
    with pytest.raises(ReplayError, match="replay blocked a connection"):
        run_scenario(path, profile=False)
