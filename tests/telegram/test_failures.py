"""Scripted Bot API failures raise the exceptions aiogram raises for Telegram's real answers."""

from __future__ import annotations

import pytest
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)

from replay.telegram import ERROR_KINDS, OfflineTelegram, ScriptedFailure
from tests.telegram.conftest import ALICE, BOB


async def test_a_blocked_user_raises_forbidden_for_that_chat_only(tg: OfflineTelegram) -> None:
    tg.session.fail("blocked", method="sendMessage", chat_id=ALICE.id)

    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await tg.bot.send_message(ALICE.id, "hello?")
    reply = await tg.bot.send_message(BOB.id, "hello")

    assert reply.chat.id == BOB.id


async def test_a_failure_for_one_method_leaves_the_others_alone(tg: OfflineTelegram) -> None:
    tg.session.fail("blocked", method="sendMessage", chat_id=ALICE.id)

    assert await tg.bot.answer_callback_query("cbq-1") is True
    photo = await tg.bot.send_photo(ALICE.id, "photo-id")

    assert photo.photo is not None


@pytest.mark.parametrize("method", ["send_message", "SendMessage", "sendmessage"])
async def test_a_failure_names_its_method_in_any_spelling(
    tg: OfflineTelegram, method: str
) -> None:
    tg.session.fail("blocked", method=method, chat_id=ALICE.id)

    with pytest.raises(TelegramForbiddenError):
        await tg.bot.send_message(ALICE.id, "hello?")


async def test_a_failure_without_a_method_covers_every_call_to_the_chat(
    tg: OfflineTelegram,
) -> None:
    tg.session.fail("blocked", chat_id=ALICE.id)

    with pytest.raises(TelegramForbiddenError):
        await tg.bot.send_photo(ALICE.id, "photo-id")
    with pytest.raises(TelegramForbiddenError):
        await tg.bot.send_message(ALICE.id, "hi")


async def test_a_failed_call_is_recorded_and_changes_nothing(tg: OfflineTelegram) -> None:
    tg.session.fail("blocked", method="sendMessage", chat_id=ALICE.id)

    with pytest.raises(TelegramForbiddenError):
        await tg.bot.send_message(ALICE.id, "hello?")

    call = tg.session.calls[-1]
    assert (call.method, call.error) == ("sendMessage", "Forbidden: bot was blocked by the user")
    assert tg.world.messages(ALICE.id) == []


async def test_times_limits_how_often_a_call_fails(tg: OfflineTelegram) -> None:
    failure = tg.session.fail("server_error", method="sendMessage", times=1)

    with pytest.raises(TelegramServerError):
        await tg.bot.send_message(ALICE.id, "first try")
    retried = await tg.bot.send_message(ALICE.id, "second try")

    assert retried.text == "second try"
    assert failure.times == 0


async def test_retry_after_carries_the_wait(tg: OfflineTelegram) -> None:
    tg.session.fail("retry_after", method="sendMessage", retry_after=7)

    with pytest.raises(TelegramRetryAfter) as raised:
        await tg.bot.send_message(ALICE.id, "flood")

    assert raised.value.retry_after == 7
    assert "retry after 7" in raised.value.message


async def test_a_custom_description_is_what_the_bot_sees(tg: OfflineTelegram) -> None:
    tg.session.fail("bad_request", method="sendMessage", description="Bad Request: odd")

    with pytest.raises(TelegramBadRequest) as raised:
        await tg.bot.send_message(ALICE.id, "hi")

    assert raised.value.message == "Bad Request: odd"


async def test_the_method_name_matches_in_any_case(tg: OfflineTelegram) -> None:
    tg.session.fail("blocked", method="SENDMESSAGE")

    with pytest.raises(TelegramForbiddenError):
        await tg.bot.send_message(ALICE.id, "hi")


@pytest.mark.parametrize(
    ("kind", "exception"),
    [
        ("blocked", TelegramForbiddenError),
        ("forbidden", TelegramForbiddenError),
        ("deactivated", TelegramForbiddenError),
        ("bad_request", TelegramBadRequest),
        ("not_found", TelegramNotFound),
        ("retry_after", TelegramRetryAfter),
        ("server_error", TelegramServerError),
        ("unauthorized", TelegramUnauthorizedError),
        ("conflict", TelegramConflictError),
        ("too_large", TelegramEntityTooLarge),
    ],
)
async def test_each_kind_raises_aiograms_own_exception(
    tg: OfflineTelegram, kind: str, exception: type[TelegramAPIError]
) -> None:
    tg.session.fail(kind)

    with pytest.raises(exception):
        await tg.bot.get_chat(ALICE.id)


def test_every_kind_has_a_matching_exception_test() -> None:
    covered = {
        "blocked",
        "forbidden",
        "deactivated",
        "bad_request",
        "not_found",
        "retry_after",
        "server_error",
        "unauthorized",
        "conflict",
        "too_large",
    }
    assert set(ERROR_KINDS) == covered


def test_an_unknown_kind_is_refused_with_the_known_ones(tg: OfflineTelegram) -> None:
    with pytest.raises(ValueError, match="unknown Bot API error kind 'explode'") as raised:
        tg.session.fail("explode")

    assert "blocked" in str(raised.value)
    assert "retry_after" in str(raised.value)
    assert tg.session.failures == []


def test_a_scripted_failure_can_be_built_directly() -> None:
    failure = ScriptedFailure("blocked", method="sendMessage", chat_id=5)

    assert failure.matches("sendMessage", 5)
    assert not failure.matches("sendMessage", 6)
    assert not failure.matches("sendPhoto", 5)
