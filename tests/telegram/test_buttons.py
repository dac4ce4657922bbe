"""Buttons the bot sent can be found and pressed, and the press reaches the right handler."""

from __future__ import annotations

import re
from typing import Any

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.filters import CommandStart
from aiogram.types import (
    CallbackQuery,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder

from replay.errors import ButtonNotFoundError
from replay.telegram import OfflineTelegram
from tests.telegram.conftest import ALICE, BOB


def create_router(seen: list[dict[str, Any]]) -> Router:
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        builder = InlineKeyboardBuilder()
        builder.button(text="Yes", callback_data="answer:yes")
        builder.button(text="No", callback_data="answer:no")
        builder.button(text="Docs", url="https://example.com/docs")
        await message.answer("<b>Ready?</b>", reply_markup=builder.as_markup())

    @router.callback_query(F.data.startswith("answer:"))
    async def answer(callback: CallbackQuery, bot: Bot) -> None:
        assert isinstance(callback.message, Message)
        seen.append(
            {
                "handler": "answer",
                "data": callback.data,
                "message_bot": callback.message.bot,
                "from": callback.from_user.id,
            }
        )
        await callback.message.edit_text(f"You said {callback.data}")
        await callback.answer("Noted")

    @router.callback_query()
    async def other(callback: CallbackQuery) -> None:
        seen.append({"handler": "other", "data": callback.data})
        await callback.answer()

    return router


@pytest.fixture
def seen() -> list[dict[str, Any]]:
    return []


@pytest.fixture
def dp(seen: list[dict[str, Any]]) -> Dispatcher:
    dispatcher = Dispatcher()
    dispatcher.include_router(create_router(seen))
    return dispatcher


async def _start(tg: OfflineTelegram, dp: Dispatcher) -> None:
    await dp.feed_update(tg.bot, tg.updates.message(ALICE, "/start"))


async def test_a_button_is_found_by_its_label(tg: OfflineTelegram, dp: Dispatcher) -> None:
    await _start(tg, dp)

    message, button = tg.world.find_button(ALICE.id, text="No")

    assert (button.text, button.kind, button.data) == ("No", "callback", "answer:no")
    assert message.text == "Ready?"


async def test_a_button_is_found_by_its_callback_data(tg: OfflineTelegram, dp: Dispatcher) -> None:
    await _start(tg, dp)

    _, button = tg.world.find_button(ALICE.id, data="answer:yes")

    assert button.text == "Yes"


async def test_a_button_is_found_by_a_pattern(tg: OfflineTelegram, dp: Dispatcher) -> None:
    await _start(tg, dp)

    _, button = tg.world.find_button(ALICE.id, pattern=re.compile(r"^Do"))

    assert (button.text, button.kind, button.url) == ("Docs", "url", "https://example.com/docs")


async def test_the_newest_message_with_the_label_wins(tg: OfflineTelegram, dp: Dispatcher) -> None:
    await _start(tg, dp)
    await _start(tg, dp)

    message, _ = tg.world.find_button(ALICE.id, text="Yes")

    assert message.message_id == 4  # /start, answer, /start, answer


async def test_a_press_reaches_its_handler_bound_to_the_bot(
    tg: OfflineTelegram, dp: Dispatcher, seen: list[dict[str, Any]]
) -> None:
    await _start(tg, dp)
    message, button = tg.world.find_button(ALICE.id, text="Yes")
    assert button.data is not None

    await dp.feed_update(tg.bot, tg.updates.callback_query(ALICE, message, button.data))

    assert seen == [
        {"handler": "answer", "data": "answer:yes", "message_bot": tg.bot, "from": ALICE.id}
    ]
    assert [call.method for call in tg.session.calls][-2:] == [
        "editMessageText",
        "answerCallbackQuery",
    ]
    assert tg.session.calls[-1].params["text"] == "Noted"


async def test_a_press_edits_the_pressed_message_in_the_world(
    tg: OfflineTelegram, dp: Dispatcher
) -> None:
    await _start(tg, dp)
    message, button = tg.world.find_button(ALICE.id, text="No")
    assert button.data is not None

    await dp.feed_update(tg.bot, tg.updates.callback_query(ALICE, message, button.data))

    assert message.text == "You said answer:no"
    assert message.buttons == []  # edited without a keyboard


async def test_other_data_goes_to_the_other_handler(
    tg: OfflineTelegram, dp: Dispatcher, seen: list[dict[str, Any]]
) -> None:
    await _start(tg, dp)
    message, _ = tg.world.find_button(ALICE.id, text="Yes")

    await dp.feed_update(tg.bot, tg.updates.callback_query(ALICE, message, "something:else"))

    assert seen == [{"handler": "other", "data": "something:else"}]


async def test_a_missing_button_names_the_buttons_there(
    tg: OfflineTelegram, dp: Dispatcher
) -> None:
    await _start(tg, dp)

    with pytest.raises(ButtonNotFoundError) as raised:
        tg.world.find_button(ALICE.id, text="Maybe")

    assert str(raised.value) == (
        "no button 'Maybe' in the chat; buttons there: 'Yes', 'No', 'Docs'"
    )


async def test_a_chat_without_buttons_says_so(tg: OfflineTelegram, dp: Dispatcher) -> None:
    await tg.bot.send_message(BOB.id, "plain text")

    with pytest.raises(ButtonNotFoundError, match="have no buttons"):
        tg.world.find_button(BOB.id, data="anything")


async def test_buttons_in_another_chat_are_not_found(tg: OfflineTelegram, dp: Dispatcher) -> None:
    await _start(tg, dp)

    with pytest.raises(ButtonNotFoundError):
        tg.world.find_button(BOB.id, text="Yes")


async def test_a_removed_keyboard_can_no_longer_be_pressed(
    tg: OfflineTelegram, dp: Dispatcher
) -> None:
    await _start(tg, dp)
    message, button = tg.world.find_button(ALICE.id, text="Yes")
    assert button.data is not None
    await dp.feed_update(tg.bot, tg.updates.callback_query(ALICE, message, button.data))

    with pytest.raises(ButtonNotFoundError, match="have no buttons"):
        tg.world.find_button(ALICE.id, text="Yes")


async def test_reply_keyboard_buttons_are_found_too(tg: OfflineTelegram) -> None:
    markup = ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="Help")]])
    await tg.bot.send_message(ALICE.id, "menu", reply_markup=markup)

    _, button = tg.world.find_button(ALICE.id, text="Help")

    assert (button.kind, button.data) == ("reply", None)
