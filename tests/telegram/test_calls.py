"""Every Bot API call is recorded: method, resolved parameters, result, and where it goes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from replay.probe import StepProbe, current_probe
from replay.telegram import ApiCall, MessageView, OfflineTelegram
from tests.telegram.conftest import ALICE, CHANNEL


@pytest.fixture
def probe() -> Iterator[StepProbe]:
    """A step probe set for the test, as the runner sets one around each step."""
    step = StepProbe(index=0, capture_sql=False)
    token = current_probe.set(step)
    yield step
    current_probe.reset(token)


async def test_a_call_is_recorded_with_its_method_and_params(tg: OfflineTelegram) -> None:
    await tg.bot.send_message(ALICE.id, "hi", disable_notification=True)

    (call,) = tg.session.calls
    assert call.method == "sendMessage"
    assert call.params["chat_id"] == ALICE.id
    assert call.params["text"] == "hi"
    assert call.params["disable_notification"] is True


async def test_the_default_parse_mode_is_recorded_resolved(tg: OfflineTelegram) -> None:
    await tg.bot.send_message(ALICE.id, "<b>hi</b>")

    assert tg.session.calls[-1].params["parse_mode"] == "HTML"


async def test_an_explicit_parse_mode_beats_the_default(tg: OfflineTelegram) -> None:
    await tg.bot.send_message(ALICE.id, "*hi*", parse_mode="MarkdownV2")

    call = tg.session.calls[-1]
    assert call.params["parse_mode"] == "MarkdownV2"
    assert call.message is not None
    assert call.message.text == "hi"


async def test_a_keyboard_is_recorded_as_telegram_receives_it(tg: OfflineTelegram) -> None:
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Go", callback_data="go")]]
    )

    await tg.bot.send_message(ALICE.id, "pick", reply_markup=markup)

    assert tg.session.calls[-1].params["reply_markup"] == {
        "inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]
    }


async def test_the_result_is_recorded_as_json(tg: OfflineTelegram) -> None:
    message = await tg.bot.send_message(ALICE.id, "hi")

    result = tg.session.calls[-1].result
    assert result["message_id"] == message.message_id
    assert result["text"] == "hi"
    assert result["from"]["id"] == tg.bot.id


async def test_a_sent_message_is_recorded_as_a_person_sees_it(tg: OfflineTelegram) -> None:
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text="A", callback_data="a"),
                InlineKeyboardButton(text="B", callback_data="b"),
            ],
            [InlineKeyboardButton(text="Site", url="https://example.com")],
        ]
    )

    await tg.bot.send_message(ALICE.id, "<i>menu</i>", reply_markup=markup)

    assert tg.session.calls[-1].message == MessageView(
        chat_id=ALICE.id, message_id=1, text="menu", buttons=(("A", "B"), ("Site",))
    )


async def test_a_reply_keyboard_is_recorded_in_the_view(tg: OfflineTelegram) -> None:
    markup = ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="Help")]])

    sent = await tg.bot.send_message(ALICE.id, "menu", reply_markup=markup)

    # Telegram does not return a reply keyboard with the message; the person still sees it.
    assert sent.reply_markup is None
    view = tg.session.calls[-1].message
    assert view is not None
    assert view.buttons == (("Help",),)


async def test_edits_and_deletions_are_recorded_as_such(tg: OfflineTelegram) -> None:
    sent = await tg.bot.send_message(ALICE.id, "one")
    await tg.bot.edit_message_text("two", chat_id=ALICE.id, message_id=sent.message_id)
    await tg.bot.delete_message(ALICE.id, sent.message_id)

    actions = [(c.method, c.message.action if c.message else None) for c in tg.session.calls]
    assert actions == [
        ("sendMessage", "sent"),
        ("editMessageText", "edited"),
        ("deleteMessage", "deleted"),
    ]


async def test_a_refused_call_is_recorded_with_telegrams_description(
    tg: OfflineTelegram,
) -> None:
    with pytest.raises(TelegramBadRequest):
        await tg.bot.delete_message(ALICE.id, 7)

    call = tg.session.calls[-1]
    assert call.method == "deleteMessage"
    assert call.error == "Bad Request: message to delete not found"
    assert call.message is None


async def test_the_target_chat_is_read_from_chat_id_or_user_id(tg: OfflineTelegram) -> None:
    await tg.bot.send_message(ALICE.id, "hi")
    await tg.bot.get_user_profile_photos(ALICE.id)
    await tg.bot.get_chat(str(CHANNEL.id))
    await tg.bot.get_me()

    assert [call.chat_id for call in tg.session.calls] == [ALICE.id, ALICE.id, CHANNEL.id, None]


async def test_calls_go_to_the_running_steps_probe(tg: OfflineTelegram, probe: StepProbe) -> None:
    await tg.bot.send_message(ALICE.id, "in a step")

    assert [call.method for call in probe.calls] == ["sendMessage"]
    assert not probe.calls[0].late
    assert list(tg.session.calls) == []


async def test_calls_after_the_step_closed_are_kept_as_late(
    tg: OfflineTelegram, probe: StepProbe
) -> None:
    await tg.bot.send_message(ALICE.id, "on time")
    probe.closed = True

    await tg.bot.send_message(ALICE.id, "from a task the handler left running")

    assert [call.params["text"] for call in probe.calls] == ["on time"]
    (late,) = probe.late_calls
    assert isinstance(late, ApiCall)
    assert late.late
    assert late.params["text"] == "from a task the handler left running"


async def test_calls_outside_any_step_are_kept_by_the_session(tg: OfflineTelegram) -> None:
    await tg.bot.send_message(ALICE.id, "no step running")

    assert current_probe.get() is None
    assert [call.method for call in tg.session.calls] == ["sendMessage"]


async def test_attach_presets_get_me_so_no_call_is_made(tg: OfflineTelegram) -> None:
    me = await tg.bot.me()

    assert me.username == "replay_bot"
    assert list(tg.session.calls) == []
