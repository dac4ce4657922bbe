"""Background jobs as time passes: free requests approved, reminders, expiry with a kick."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from faker import Faker
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import texts
from bot.db import FreeJoinRequest, Plan, RequestStatus, Subscription, SubscriptionStatus
from bot.services.tokens import issue_token
from tests.bot.conftest import T0
from tests.bot.flow import FREE_CHANNEL, VIP_CHANNEL, Flow, start_flow

ALICE_ID = 601
ENDS = T0 + timedelta(days=30)  # a monthly subscription started at T0


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def flow(db: async_sessionmaker[AsyncSession], clock: time_machine.Traveller) -> Flow:
    return start_flow(db)


async def _subscribe_at_t0(flow: Flow, faker: Faker) -> Subscription:
    """Alice redeems a monthly token at T0 and joins the VIP channel."""
    await flow.seed(faker)
    async with flow.db.begin() as session:
        (plan,) = (await session.execute(select(Plan).where(Plan.name == "monthly"))).scalars()
        await issue_token(session, plan=plan, creator_id=None, token="monthly-token")
    alice = flow.user(ALICE_ID, "Alice")
    await flow.send(alice, "/start monthly-token")
    await flow.join(alice, VIP_CHANNEL)
    assert flow.tg.world.member_status(VIP_CHANNEL.id, ALICE_ID) == "member"
    (subscription,) = await flow.scalars(select(Subscription))
    return subscription


# -- approve_free_requests ---------------------------------------------------------------


async def test_a_free_request_waits_its_time(flow: Flow, clock: time_machine.Traveller) -> None:
    await flow.join(flow.user(ALICE_ID, "Alice"), FREE_CHANNEL)
    clock.move_to(T0 + timedelta(minutes=59))

    approved, step = await flow.run_job("approve_free_requests")

    assert approved == 0
    assert step.calls == ()
    (request,) = await flow.scalars(select(FreeJoinRequest))
    assert request.status == RequestStatus.PENDING


async def test_a_free_request_is_approved_after_the_wait(
    flow: Flow, clock: time_machine.Traveller
) -> None:
    await flow.join(flow.user(ALICE_ID, "Alice"), FREE_CHANNEL)
    clock.move_to(T0 + timedelta(hours=1))

    approved, step = await flow.run_job("approve_free_requests")

    assert approved == 1
    assert step.methods == ["approveChatJoinRequest", "sendMessage"]
    assert step.of("approveChatJoinRequest")[0].params == {
        "chat_id": FREE_CHANNEL.id,
        "user_id": ALICE_ID,
    }
    assert step.texts_to(ALICE_ID) == [texts.FREE_APPROVED]
    assert flow.tg.world.member_status(FREE_CHANNEL.id, ALICE_ID) == "member"
    (request,) = await flow.scalars(select(FreeJoinRequest))
    assert request.status == RequestStatus.APPROVED


async def test_an_approved_request_is_not_approved_again(
    flow: Flow, clock: time_machine.Traveller
) -> None:
    await flow.join(flow.user(ALICE_ID, "Alice"), FREE_CHANNEL)
    clock.move_to(T0 + timedelta(hours=2))
    await flow.run_job("approve_free_requests")

    approved, step = await flow.run_job("approve_free_requests")

    assert (approved, step.calls) == (0, ())


async def test_seeded_requests_are_approved_when_due(
    flow: Flow, faker: Faker, clock: time_machine.Traveller
) -> None:
    await flow.seed(faker, users=6, pending_requests=6)
    clock.move_to(T0 + timedelta(hours=3))  # every seeded request waited an hour at most 2h ago

    approved, step = await flow.run_job("approve_free_requests")

    assert approved == 6
    assert len(step.of("approveChatJoinRequest")) == 6
    assert len(step.of("sendMessage")) == 6


# -- remind_expiring ---------------------------------------------------------------------


async def test_no_reminder_two_days_before_the_end(
    flow: Flow, faker: Faker, clock: time_machine.Traveller
) -> None:
    await _subscribe_at_t0(flow, faker)
    clock.move_to(ENDS - timedelta(days=2))

    reminded, step = await flow.run_job("remind_expiring")

    assert (reminded, step.calls) == (0, ())


async def test_a_reminder_a_day_before_the_end_comes_once(
    flow: Flow, faker: Faker, clock: time_machine.Traveller
) -> None:
    await _subscribe_at_t0(flow, faker)
    clock.move_to(ENDS - timedelta(hours=23))

    reminded, step = await flow.run_job("remind_expiring")
    clock.shift(timedelta(hours=1))
    again, later = await flow.run_job("remind_expiring")

    assert reminded == 1
    assert step.texts_to(ALICE_ID) == [
        "⏰ Your VIP subscription (plan monthly) ends at 2025-03-31 12:00 UTC. "
        "Ask an administrator for a new token to extend it."
    ]
    assert (again, later.calls) == (0, ())


# -- expire_subscriptions ----------------------------------------------------------------


async def test_nothing_expires_before_the_end(
    flow: Flow, faker: Faker, clock: time_machine.Traveller
) -> None:
    await _subscribe_at_t0(flow, faker)
    clock.move_to(ENDS - timedelta(minutes=1))

    expired, step = await flow.run_job("expire_subscriptions")

    assert (expired, step.calls) == (0, ())


async def test_an_ended_subscription_expires_with_a_kick(
    flow: Flow, faker: Faker, clock: time_machine.Traveller
) -> None:
    subscription = await _subscribe_at_t0(flow, faker)
    clock.move_to(ENDS + timedelta(minutes=1))

    expired, step = await flow.run_job("expire_subscriptions")

    assert expired == 1
    assert step.methods == ["banChatMember", "unbanChatMember", "sendMessage"]
    assert step.of("banChatMember")[0].params == {"chat_id": VIP_CHANNEL.id, "user_id": ALICE_ID}
    assert step.of("unbanChatMember")[0].params == {
        "chat_id": VIP_CHANNEL.id,
        "user_id": ALICE_ID,
        "only_if_banned": True,
    }
    # Kicked, not banned: Alice may join again with a new subscription.
    assert flow.tg.world.member_status(VIP_CHANNEL.id, ALICE_ID) == "left"
    assert step.texts_to(ALICE_ID) == [
        "⌛ Your VIP subscription (plan monthly) has expired, and you were removed from the "
        "VIP channel."
    ]
    after = await flow.get(Subscription, subscription.id)
    assert after is not None
    assert after.status == SubscriptionStatus.EXPIRED


async def test_an_expired_user_sees_no_subscription(
    flow: Flow, faker: Faker, clock: time_machine.Traveller
) -> None:
    await _subscribe_at_t0(flow, faker)
    clock.move_to(ENDS + timedelta(minutes=1))
    await flow.run_job("expire_subscriptions")

    step = await flow.send(flow.user(ALICE_ID, "Alice"), "/vip")
    rejoin = await flow.join(flow.user(ALICE_ID, "Alice"), VIP_CHANNEL)

    assert step.text.startswith("💎 You have no active VIP subscription.")
    assert rejoin.methods == ["declineChatJoinRequest", "sendMessage"]


async def test_expiry_goes_on_when_the_user_blocked_the_bot(
    flow: Flow, faker: Faker, clock: time_machine.Traveller
) -> None:
    await _subscribe_at_t0(flow, faker)
    flow.tg.session.fail("blocked", method="sendMessage", chat_id=ALICE_ID)
    clock.move_to(ENDS + timedelta(minutes=1))

    expired, step = await flow.run_job("expire_subscriptions")

    assert expired == 1
    assert step.of("sendMessage")[0].error is not None
    (subscription,) = await flow.scalars(select(Subscription))
    assert subscription.status == SubscriptionStatus.EXPIRED
