"""VIP subscriptions: granting, extending, revoking, and what the jobs must handle."""

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from bot.clock import utcnow
from bot.db.models import Plan, Subscription, SubscriptionStatus
from bot.services.pagination import PAGE_SIZE, Page, clamp_page

REMIND_BEFORE = timedelta(hours=24)


class SubscriptionNotActiveError(ValueError):
    """The subscription has already expired or been revoked."""


async def get_active_subscription(session: AsyncSession, user_id: int) -> Subscription | None:
    """The user's current subscription (with its plan), if one has not ended yet."""
    statement = (
        select(Subscription)
        .where(
            Subscription.user_id == user_id,
            Subscription.status == SubscriptionStatus.ACTIVE,
            Subscription.ends_at > utcnow(),
        )
        .options(joinedload(Subscription.plan))
        .order_by(Subscription.ends_at.desc())
        .limit(1)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def get_subscription(session: AsyncSession, subscription_id: int) -> Subscription | None:
    """One subscription with its user and plan."""
    statement = (
        select(Subscription)
        .where(Subscription.id == subscription_id)
        .options(joinedload(Subscription.user), joinedload(Subscription.plan))
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def grant_subscription(session: AsyncSession, *, user_id: int, plan: Plan) -> Subscription:
    """Start a subscription for ``plan``, or extend the user's active one by the plan's days.

    An extended subscription switches to ``plan`` and may be reminded again.
    """
    now = utcnow()
    subscription = await get_active_subscription(session, user_id)
    if subscription is None:
        subscription = Subscription(
            user_id=user_id,
            plan=plan,
            starts_at=now,
            ends_at=now + timedelta(days=plan.days),
            status=SubscriptionStatus.ACTIVE,
        )
        session.add(subscription)
    else:
        subscription.plan = plan
        subscription.ends_at += timedelta(days=plan.days)
        subscription.reminded_at = None
    await session.flush()
    return subscription


async def extend_subscription(session: AsyncSession, subscription: Subscription) -> None:
    """Add the plan's days to an active subscription (``subscription.plan`` must be loaded)."""
    if not is_active(subscription):
        msg = f"Subscription {subscription.id} is {subscription.status.value}."
        raise SubscriptionNotActiveError(msg)
    subscription.ends_at = max(subscription.ends_at, utcnow()) + timedelta(
        days=subscription.plan.days
    )
    subscription.reminded_at = None
    await session.flush()


async def revoke_subscription(session: AsyncSession, subscription: Subscription) -> None:
    """End an active subscription now, by an administrator's decision."""
    if not is_active(subscription):
        msg = f"Subscription {subscription.id} is {subscription.status.value}."
        raise SubscriptionNotActiveError(msg)
    subscription.status = SubscriptionStatus.REVOKED
    await session.flush()


async def count_active_subscriptions(session: AsyncSession) -> int:
    statement = (
        select(func.count())
        .select_from(Subscription)
        .where(
            Subscription.status == SubscriptionStatus.ACTIVE,
            Subscription.ends_at > utcnow(),
        )
    )
    return (await session.execute(statement)).scalar_one()


async def list_active_subscriptions(
    session: AsyncSession, page: int, size: int = PAGE_SIZE
) -> Page[Subscription]:
    """One page of active subscriptions with users and plans, soonest end first."""
    number = clamp_page(page)
    total = await count_active_subscriptions(session)
    statement = (
        select(Subscription)
        .where(
            Subscription.status == SubscriptionStatus.ACTIVE,
            Subscription.ends_at > utcnow(),
        )
        .options(joinedload(Subscription.user), joinedload(Subscription.plan))
        .order_by(Subscription.ends_at, Subscription.id)
        .offset(number * size)
        .limit(size)
    )
    items = (await session.execute(statement)).scalars().all()
    return Page(items=items, number=number, total=total, size=size)


async def subscriptions_due_for_expiry(session: AsyncSession) -> Sequence[Subscription]:
    """Subscriptions still marked active whose end has passed, with their plans."""
    statement = (
        select(Subscription)
        .where(
            Subscription.status == SubscriptionStatus.ACTIVE,
            Subscription.ends_at <= utcnow(),
        )
        .options(joinedload(Subscription.plan))
        .order_by(Subscription.ends_at, Subscription.id)
    )
    return (await session.execute(statement)).scalars().all()


async def subscriptions_due_for_reminder(
    session: AsyncSession, within: timedelta = REMIND_BEFORE
) -> Sequence[Subscription]:
    """Active subscriptions ending within ``within`` that were not reminded yet."""
    now = utcnow()
    statement = (
        select(Subscription)
        .where(
            Subscription.status == SubscriptionStatus.ACTIVE,
            Subscription.reminded_at.is_(None),
            Subscription.ends_at > now,
            Subscription.ends_at <= now + within,
        )
        .options(joinedload(Subscription.plan))
        .order_by(Subscription.ends_at, Subscription.id)
    )
    return (await session.execute(statement)).scalars().all()


def mark_expired(subscription: Subscription) -> None:
    subscription.status = SubscriptionStatus.EXPIRED


def mark_reminded(subscription: Subscription) -> None:
    subscription.reminded_at = utcnow()


def is_active(subscription: Subscription) -> bool:
    """Active and not past its end (the expiry job may not have run yet)."""
    return subscription.status == SubscriptionStatus.ACTIVE and subscription.ends_at > utcnow()
