from datetime import timedelta

import pytest
import time_machine
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Plan, Subscription, SubscriptionStatus
from bot.services.subscriptions import (
    SubscriptionNotActiveError,
    extend_subscription,
    get_active_subscription,
    get_subscription,
    grant_subscription,
    list_active_subscriptions,
    revoke_subscription,
)
from tests.bot.conftest import T0, add_plan, add_user, naive


async def _subscribe(session: AsyncSession, user_id: int, plan: Plan) -> Subscription:
    await add_user(session, user_id)
    return await grant_subscription(session, user_id=user_id, plan=plan)


async def test_extend_adds_the_plan_days_to_the_end(session: AsyncSession) -> None:
    with time_machine.travel(T0, tick=False):
        plan = await add_plan(session, days=30)
        subscription = await _subscribe(session, 1, plan)
        subscription.reminded_at = naive(T0)
        await extend_subscription(session, subscription)
    assert subscription.ends_at == naive(T0) + timedelta(days=60)
    assert subscription.reminded_at is None


async def test_revoke_ends_the_subscription(session: AsyncSession) -> None:
    plan = await add_plan(session)
    subscription = await _subscribe(session, 1, plan)
    await revoke_subscription(session, subscription)
    assert subscription.status == SubscriptionStatus.REVOKED
    assert await get_active_subscription(session, 1) is None


async def test_a_revoked_subscription_cannot_be_extended_or_revoked_again(
    session: AsyncSession,
) -> None:
    plan = await add_plan(session)
    subscription = await _subscribe(session, 1, plan)
    await revoke_subscription(session, subscription)
    with pytest.raises(SubscriptionNotActiveError):
        await extend_subscription(session, subscription)
    with pytest.raises(SubscriptionNotActiveError):
        await revoke_subscription(session, subscription)


async def test_an_ended_subscription_is_not_active_before_the_job_marks_it(
    session: AsyncSession,
) -> None:
    with time_machine.travel(T0, tick=False):
        plan = await add_plan(session, days=1)
        subscription = await _subscribe(session, 1, plan)
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        assert await get_active_subscription(session, 1) is None
        with pytest.raises(SubscriptionNotActiveError):
            await extend_subscription(session, subscription)
    assert subscription.status == SubscriptionStatus.ACTIVE


async def test_get_subscription_loads_user_and_plan(
    session: AsyncSession,
) -> None:
    plan = await add_plan(session, "gold")
    subscription = await _subscribe(session, 1, plan)
    session.expunge_all()
    loaded = await get_subscription(session, subscription.id)
    assert loaded is not None
    assert (loaded.user.first_name, loaded.plan.name) == ("User1", "gold")


async def test_active_subscribers_are_paginated_soonest_end_first(
    session: AsyncSession,
) -> None:
    plan = await add_plan(session)
    with time_machine.travel(T0, tick=False) as traveller:
        for user_id in range(1, 24):
            await _subscribe(session, user_id, plan)
            traveller.shift(timedelta(minutes=1))
        last_subscriber = await get_active_subscription(session, 23)
        assert last_subscriber is not None
        await revoke_subscription(session, last_subscriber)
        first = await list_active_subscriptions(session, 0)
        last = await list_active_subscriptions(session, 2)
    assert first.total == 22
    assert [sub.user_id for sub in first.items] == list(range(1, 11))
    assert first.has_next
    assert not first.has_prev
    assert [sub.user_id for sub in last.items] == [21, 22]
    assert not last.has_next
    assert last.pages == 3
