"""Numbers for the admin Stats panel."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import utcnow
from bot.db.models import Plan, Subscription, SubscriptionStatus, VipToken
from bot.services.free_requests import count_pending
from bot.services.users import count_users

STATS_WINDOW = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Stats:
    users_total: int
    active_vip_by_plan: tuple[tuple[str, int], ...]
    pending_free: int
    tokens_issued: int
    tokens_redeemed: int

    @property
    def active_vip_total(self) -> int:
        return sum(count for _, count in self.active_vip_by_plan)


async def collect_stats(session: AsyncSession) -> Stats:
    """Users, active VIP per plan, pending free requests and tokens of the last 7 days."""
    now = utcnow()
    since = now - STATS_WINDOW
    per_plan = (
        select(Plan.name, func.count(Subscription.id))
        .outerjoin(
            Subscription,
            and_(
                Subscription.plan_id == Plan.id,
                Subscription.status == SubscriptionStatus.ACTIVE,
                Subscription.ends_at > now,
            ),
        )
        .group_by(Plan.id, Plan.name, Plan.days)
        .order_by(Plan.days, Plan.id)
    )
    rows = (await session.execute(per_plan)).all()
    issued = select(func.count()).select_from(VipToken).where(VipToken.created_at >= since)
    redeemed = select(func.count()).select_from(VipToken).where(VipToken.redeemed_at >= since)
    return Stats(
        users_total=await count_users(session),
        active_vip_by_plan=tuple((name, count) for name, count in rows),
        pending_free=await count_pending(session),
        tokens_issued=(await session.execute(issued)).scalar_one(),
        tokens_redeemed=(await session.execute(redeemed)).scalar_one(),
    )
