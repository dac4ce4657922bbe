"""The admin Free section through the real Dispatcher: wait time, pending list, approve all."""

import pytest
import time_machine
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import admin_texts, texts
from bot.db import FreeJoinRequest, RequestStatus, Setting
from bot.services.settings import SettingKey
from tests.bot.conftest import T0
from tests.bot.flow import ADMIN, FREE_CHANNEL, Flow, start_flow

FREE_PANEL_BUTTONS = ["Set wait time", "Pending requests", "Approve all now", "Back"]


@pytest.fixture
def flow(db: async_sessionmaker[AsyncSession]) -> Flow:
    return start_flow(db)


async def _open_free(flow: Flow) -> None:
    await flow.send(ADMIN, "/admin")
    await flow.click(ADMIN, "Free")


async def _requesters(flow: Flow, count: int) -> list[int]:
    ids = [301 + index for index in range(count)]
    for user_id in ids:
        await flow.join(
            flow.user(user_id, f"Req{user_id}", username=f"req{user_id}"), FREE_CHANNEL
        )
    return ids


async def test_the_free_section_shows_the_wait_and_pending_count(flow: Flow) -> None:
    await _requesters(flow, 2)
    await flow.send(ADMIN, "/admin")

    step = await flow.click(ADMIN, "Free")

    assert step.text == "🆓 Free channel\nWait before approval: 1h\nPending requests: 2"
    assert step.buttons == FREE_PANEL_BUTTONS


async def test_the_wait_time_is_set_after_a_bad_answer(flow: Flow) -> None:
    await _open_free(flow)

    ask = await flow.click(ADMIN, "Set wait time")
    bad = await flow.send(ADMIN, "soon")
    too_long = await flow.send(ADMIN, "31d")
    good = await flow.send(ADMIN, "2h")

    assert ask.text == admin_texts.ASK_WAIT
    assert bad.text == (
        "⚠️ 'soon' is not a wait time. "
        'Use "30m", "2h", "1d" or a number of minutes, from 0 up to 30 days.\n'
        f"{admin_texts.ASK_WAIT}"
    )
    assert too_long.text.startswith("⚠️ '31d' is longer than 30 days.")
    assert good.text == (
        "✅ Wait time set to 2h.\n\n🆓 Free channel\nWait before approval: 2h\nPending requests: 0"
    )
    assert good.buttons == FREE_PANEL_BUTTONS
    setting = await flow.get(Setting, SettingKey.FREE_WAIT_SECONDS.value)
    assert setting is not None
    assert setting.value == "7200"


async def test_the_new_wait_applies_to_the_next_request(flow: Flow) -> None:
    await _open_free(flow)
    await flow.click(ADMIN, "Set wait time")
    await flow.send(ADMIN, "30m")

    with time_machine.travel(T0, tick=False):
        step = await flow.join(flow.user(301, "Req"), FREE_CHANNEL)

    assert step.text.endswith("approved at 2025-03-01 12:30 UTC (in 30m).")


async def test_a_zero_wait_approves_at_once(flow: Flow) -> None:
    await _open_free(flow)
    await flow.click(ADMIN, "Set wait time")
    await flow.send(ADMIN, "0")

    step = await flow.join(flow.user(301, "Req"), FREE_CHANNEL)

    assert step.methods == ["approveChatJoinRequest", "sendMessage"]
    assert step.text == texts.FREE_APPROVED
    assert flow.tg.world.member_status(FREE_CHANNEL.id, 301) == "member"


async def test_cancel_leaves_the_wait_dialog_unchanged(flow: Flow) -> None:
    await _open_free(flow)
    await flow.click(ADMIN, "Set wait time")

    cancelled = await flow.send(ADMIN, "/cancel")
    after = await flow.send(ADMIN, "2h")

    assert cancelled.text == texts.CANCELLED
    assert after.text == texts.FALLBACK
    assert await flow.get(Setting, SettingKey.FREE_WAIT_SECONDS.value) is None


async def test_the_pending_list_shows_each_request(flow: Flow) -> None:
    with time_machine.travel(T0, tick=False):
        await _requesters(flow, 2)
        await _open_free(flow)

        step = await flow.click(ADMIN, "Pending requests")

    assert step.text == (
        "🆓 Pending requests (2), page 1/1\n"
        "1. Req301 (@req301) — approve at 2025-03-01 13:00 UTC\n"
        "2. Req302 (@req302) — approve at 2025-03-01 13:00 UTC"
    )
    assert step.buttons == ["Approve all now", "Back"]


async def test_the_pending_list_is_paged(flow: Flow) -> None:
    await _requesters(flow, 11)
    await _open_free(flow)

    first = await flow.click(ADMIN, "Pending requests")
    second = await flow.click(ADMIN, "Next")
    back = await flow.click(ADMIN, "Prev")

    assert first.text.startswith("🆓 Pending requests (11), page 1/2\n")
    assert first.buttons == ["Next", "Approve all now", "Back"]
    assert second.text.startswith("🆓 Pending requests (11), page 2/2\n11. Req311")
    assert second.buttons == ["Prev", "Approve all now", "Back"]
    assert back.text == first.text


async def test_approve_all_now_approves_and_tells_everyone(flow: Flow) -> None:
    ids = await _requesters(flow, 3)
    await _open_free(flow)

    step = await flow.click(ADMIN, "Approve all now")

    approvals = step.of("approveChatJoinRequest")
    assert [(c.params["chat_id"], c.params["user_id"]) for c in approvals] == [
        (FREE_CHANNEL.id, user_id) for user_id in ids
    ]
    for user_id in ids:
        assert step.texts_to(user_id) == [texts.FREE_APPROVED]
        assert flow.tg.world.member_status(FREE_CHANNEL.id, user_id) == "member"
    assert step.alert == "✅ Approved 3 pending requests."
    assert step.texts_to(ADMIN.id) == [
        "✅ Approved 3 pending requests.\n\n"
        "🆓 Free channel\nWait before approval: 1h\nPending requests: 0"
    ]
    statuses = await flow.scalars(select(FreeJoinRequest.status))
    assert statuses == [RequestStatus.APPROVED] * 3


async def test_a_withdrawn_request_is_marked_declined(flow: Flow) -> None:
    ids = await _requesters(flow, 2)
    flow.tg.session.fail(  # the first user withdrew their request
        "bad_request",
        method="approveChatJoinRequest",
        times=1,
        description="Bad Request: HIDE_REQUESTER_MISSING",
    )
    await _open_free(flow)

    step = await flow.click(ADMIN, "Approve all now")

    assert step.alert == "✅ Approved 1 pending request."
    rows = await flow.scalars(select(FreeJoinRequest).order_by(FreeJoinRequest.user_id))
    assert [(row.user_id, row.status) for row in rows] == [
        (ids[0], RequestStatus.DECLINED),
        (ids[1], RequestStatus.APPROVED),
    ]
