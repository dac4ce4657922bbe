"""The admin Broadcast dialog through the real Dispatcher: text -> preview -> Send or Cancel."""

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import admin_texts, texts
from bot.callbacks import BroadcastAction, BroadcastCb
from bot.db import User
from tests.bot.flow import ADMIN, Flow, Step, start_flow

AMY, BEN, CAL = 501, 502, 503


@pytest.fixture
async def flow(db: async_sessionmaker[AsyncSession]) -> Flow:
    """The admin and three users who have written to the bot."""
    flow = start_flow(db)
    for user_id, name in ((AMY, "Amy"), (BEN, "Ben"), (CAL, "Cal")):
        await flow.send(flow.user(user_id, name), "/start")
    await flow.send(ADMIN, "/admin")
    return flow


async def _preview(flow: Flow, text: str = "Big news & more") -> Step:
    await flow.click(ADMIN, "Broadcast")
    return await flow.send(ADMIN, text)


async def test_the_admin_is_asked_for_the_text(flow: Flow) -> None:
    step = await flow.click(ADMIN, "Broadcast")

    assert step.text == admin_texts.ASK_BROADCAST
    assert step.buttons == []


async def test_the_preview_shows_the_text_and_the_recipients(flow: Flow) -> None:
    await flow.click(ADMIN, "Broadcast")

    step = await flow.send(ADMIN, "Big news & <more>")

    assert step.text == "📣 Preview\n\nBig news & <more>\n\nRecipients: 4"
    assert step.buttons == ["Send", "Cancel"]


async def test_send_delivers_to_everyone_but_one_who_blocked_the_bot(flow: Flow) -> None:
    flow.tg.session.fail("blocked", chat_id=BEN)
    await _preview(flow)

    step = await flow.click(ADMIN, "Send")

    recipients = [call.params["chat_id"] for call in step.of("sendMessage")]
    assert recipients == [ADMIN.id, AMY, BEN, CAL, ADMIN.id]  # the last one is the report
    for user_id in (AMY, CAL):
        assert step.texts_to(user_id) == ["Big news & more"]
    assert step.texts_to(BEN) == []
    assert step.of("sendMessage")[2].error == "Forbidden: bot was blocked by the user"
    assert step.texts_to(ADMIN.id) == [
        "📣 Sending to 4 users…",
        "Big news & more",
        "📣 Broadcast finished: sent 3, failed 1.",
    ]
    assert step.buttons == ["Back"]
    ben = await flow.get(User, BEN)
    assert ben is not None
    assert ben.blocked_bot


async def test_a_user_who_blocked_the_bot_is_skipped_next_time(flow: Flow) -> None:
    flow.tg.session.fail("blocked", chat_id=BEN)
    await _preview(flow)
    await flow.click(ADMIN, "Send")

    await flow.click(ADMIN, "Back")
    step = await _preview(flow, "Second round")

    assert step.text.endswith("Recipients: 3")


async def test_cancel_sends_nothing(flow: Flow) -> None:
    await _preview(flow)

    step = await flow.click(ADMIN, "Cancel")

    assert step.text == admin_texts.BROADCAST_CANCELLED
    assert step.buttons == ["Back"]
    assert step.of("sendMessage") == []


async def test_send_after_the_dialog_ended_is_refused(flow: Flow) -> None:
    await _preview(flow)
    await flow.click(ADMIN, "Cancel")

    step = await flow.press(ADMIN, BroadcastCb(action=BroadcastAction.SEND).pack())

    assert step.methods == ["answerCallbackQuery"]
    assert step.alert == admin_texts.DIALOG_ENDED


async def test_cancel_command_leaves_the_broadcast_dialog(flow: Flow) -> None:
    await flow.click(ADMIN, "Broadcast")

    cancelled = await flow.send(ADMIN, "/cancel")
    after = await flow.send(ADMIN, "not a broadcast")

    assert cancelled.text == texts.CANCELLED
    assert after.text == texts.FALLBACK
