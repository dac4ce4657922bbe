"""Plans: the VIP offers tokens are issued for."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Plan


class PlanNameTakenError(ValueError):
    """Another plan already has this name (names are unique, case-insensitively)."""


async def list_plans(session: AsyncSession, *, active_only: bool = True) -> Sequence[Plan]:
    statement = select(Plan).order_by(Plan.days, Plan.id)
    if active_only:
        statement = statement.where(Plan.active.is_(True))
    return (await session.execute(statement)).scalars().all()


async def get_plan(session: AsyncSession, plan_id: int) -> Plan | None:
    return await session.get(Plan, plan_id)


async def plan_name_taken(session: AsyncSession, name: str) -> bool:
    statement = select(Plan.id).where(func.lower(Plan.name) == name.lower()).limit(1)
    return (await session.execute(statement)).first() is not None


async def create_plan(session: AsyncSession, *, name: str, days: int, price_cents: int) -> Plan:
    """Create an active plan; raise :class:`PlanNameTakenError` if the name is in use."""
    if await plan_name_taken(session, name):
        msg = f"A plan named {name!r} already exists."
        raise PlanNameTakenError(msg)
    plan = Plan(name=name, days=days, price_cents=price_cents, active=True)
    session.add(plan)
    await session.flush()
    return plan
