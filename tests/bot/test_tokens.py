from datetime import timedelta

import time_machine
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import SubscriptionStatus
from bot.services.tokens import TOKEN_TTL, RedeemStatus, issue_token, new_token, redeem_token
from tests.bot.conftest import T0, add_plan, add_user, naive


async def test_a_valid_token_grants_a_subscription(session: AsyncSession) -> None:
    with time_machine.travel(T0, tick=False):
        await add_user(session, 1)
        plan = await add_plan(session, days=30)
        await issue_token(session, plan=plan, creator_id=None, token="tok-valid")
        result = await redeem_token(session, token="tok-valid", user_id=1)
    assert result.status == RedeemStatus.OK
    assert result.subscription is not None
    assert result.subscription.status == SubscriptionStatus.ACTIVE
    assert result.subscription.starts_at == naive(T0)
    assert result.subscription.ends_at == naive(T0) + timedelta(days=30)
    assert result.token is not None
    assert result.token.redeemed_by == 1
    assert result.token.redeemed_at == naive(T0)


async def test_an_unknown_token_is_invalid(session: AsyncSession) -> None:
    await add_user(session, 1)
    for token in ("nope", "", "x" * 65):
        result = await redeem_token(session, token=token, user_id=1)
        assert result.status == RedeemStatus.INVALID
        assert result.subscription is None


async def test_a_token_works_only_once(session: AsyncSession) -> None:
    await add_user(session, 1)
    await add_user(session, 2)
    plan = await add_plan(session)
    await issue_token(session, plan=plan, creator_id=None, token="tok-once")
    assert (await redeem_token(session, token="tok-once", user_id=1)).status == RedeemStatus.OK
    again = await redeem_token(session, token="tok-once", user_id=2)
    assert again.status == RedeemStatus.USED
    assert again.subscription is None


async def test_a_token_expires_after_its_ttl(session: AsyncSession) -> None:
    with time_machine.travel(T0, tick=False):
        await add_user(session, 1)
        plan = await add_plan(session)
        await issue_token(session, plan=plan, creator_id=None, token="tok-late")
    with time_machine.travel(T0 + TOKEN_TTL - timedelta(seconds=1), tick=False):
        still_valid = await redeem_token(session, token="tok-late", user_id=1)
    assert still_valid.status == RedeemStatus.OK

    with time_machine.travel(T0, tick=False):
        await issue_token(session, plan=plan, creator_id=None, token="tok-later")
    with time_machine.travel(T0 + TOKEN_TTL, tick=False):
        expired = await redeem_token(session, token="tok-later", user_id=1)
    assert expired.status == RedeemStatus.EXPIRED
    assert expired.subscription is None


async def test_the_four_outcomes_are_distinct(session: AsyncSession) -> None:
    assert len({status.value for status in RedeemStatus}) == 4


async def test_redeeming_while_subscribed_extends_and_switches_plan(
    session: AsyncSession,
) -> None:
    with time_machine.travel(T0, tick=False):
        await add_user(session, 1)
        monthly = await add_plan(session, "monthly", 30)
        yearly = await add_plan(session, "yearly", 365)
        await issue_token(session, plan=monthly, creator_id=None, token="tok-a")
        await issue_token(session, plan=yearly, creator_id=None, token="tok-b")
        first = await redeem_token(session, token="tok-a", user_id=1)
    with time_machine.travel(T0 + timedelta(days=5), tick=False):
        second = await redeem_token(session, token="tok-b", user_id=1)
    assert first.subscription is second.subscription
    assert second.subscription is not None
    assert second.subscription.plan is yearly
    assert second.subscription.ends_at == naive(T0) + timedelta(days=30 + 365)


def test_new_tokens_fit_a_deep_link() -> None:
    token = new_token()
    assert len(token) <= 64
    assert all(char.isalnum() or char in "-_" for char in token)
    assert new_token() != token
