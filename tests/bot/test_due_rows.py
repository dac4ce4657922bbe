"""What each background job selects as due, with the clock moved by time-machine."""

from datetime import timedelta

import time_machine
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.free_requests import due_requests, mark_approved, queue_free_request
from bot.services.subscriptions import (
    grant_subscription,
    mark_expired,
    mark_reminded,
    revoke_subscription,
    subscriptions_due_for_expiry,
    subscriptions_due_for_reminder,
)
from tests.bot.conftest import T0, add_plan, add_user

FREE = -1001000000002


async def test_free_requests_become_due_after_their_wait(session: AsyncSession) -> None:
    with time_machine.travel(T0, tick=False):
        for user_id, wait in ((1, 600), (2, 3600), (3, 7200)):
            await add_user(session, user_id)
            await queue_free_request(session, user_id=user_id, chat_id=FREE, wait_seconds=wait)
        assert await due_requests(session) == []
    with time_machine.travel(T0 + timedelta(seconds=599), tick=False):
        assert await due_requests(session) == []
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        due = await due_requests(session)
        assert [request.user_id for request in due] == [1, 2]
        for request in due:
            mark_approved(request)
        await session.flush()
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        assert [request.user_id for request in await due_requests(session)] == [3]


async def test_subscriptions_are_due_for_expiry_once_ended(session: AsyncSession) -> None:
    with time_machine.travel(T0, tick=False):
        short = await add_plan(session, "short", 1)
        long = await add_plan(session, "long", 30)
        for user_id, plan in ((1, short), (2, long), (3, short)):
            await add_user(session, user_id)
            await grant_subscription(session, user_id=user_id, plan=plan)
        revoked = await grant_subscription(session, user_id=3, plan=short)
        await revoke_subscription(session, revoked)
        assert await subscriptions_due_for_expiry(session) == []
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        due = await subscriptions_due_for_expiry(session)
        assert [sub.user_id for sub in due] == [1]
        assert due[0].plan.name == "short"
        mark_expired(due[0])
        await session.flush()
        assert await subscriptions_due_for_expiry(session) == []
    with time_machine.travel(T0 + timedelta(days=31), tick=False):
        assert [sub.user_id for sub in await subscriptions_due_for_expiry(session)] == [2]


async def test_reminders_cover_the_last_24_hours_once(session: AsyncSession) -> None:
    with time_machine.travel(T0, tick=False):
        plan = await add_plan(session, "weekly", 7)
        for user_id in (1, 2):
            await add_user(session, user_id)
            await grant_subscription(session, user_id=user_id, plan=plan)
            await session.flush()
    with time_machine.travel(T0 + timedelta(days=5, hours=23, minutes=59), tick=False):
        assert await subscriptions_due_for_reminder(session) == []
    with time_machine.travel(T0 + timedelta(days=6), tick=False):
        due = await subscriptions_due_for_reminder(session)
        assert [sub.user_id for sub in due] == [1, 2]
        mark_reminded(due[0])
        await session.flush()
        assert [sub.user_id for sub in await subscriptions_due_for_reminder(session)] == [2]
    with time_machine.travel(T0 + timedelta(days=7), tick=False):
        # Ended subscriptions are for the expiry job, not reminders.
        assert await subscriptions_due_for_reminder(session) == []
