"""Deterministic sample data: users, plans, VIP subscribers, pending requests and tokens.

Everything random comes from the given Faker (its ``random`` too), so one Faker seed gives the
same rows in the same order. Rows go in with bulk ``insert()`` so 10,000 users take a moment.
Seeded telegram ids start at 5,000,000,000, far from the small ids a scenario writes by hand.

Also a command line tool: ``python -m bot.seed --users 10000 --database-url ...``.
"""

import argparse
import asyncio
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from faker import Faker
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import utcnow
from bot.config import DEFAULT_DATABASE_URL, DEFAULT_FREE_CHANNEL_ID
from bot.db import create_engine_and_sessionmaker, create_schema
from bot.db.models import (
    FreeJoinRequest,
    Plan,
    RequestStatus,
    Role,
    Subscription,
    SubscriptionStatus,
    User,
    VipToken,
)
from bot.services.tokens import TOKEN_TTL

SEED_USER_ID_BASE = 5_000_000_000
DEFAULT_PLANS = (("monthly", 30, 999), ("quarterly", 90, 2499), ("yearly", 365, 7999))
LANGUAGES = ("en", "en", "en", "ru", "de", "es", "pt", None)
SEED_FREE_WAIT = timedelta(hours=1)
DAY_SECONDS = 86_400


@dataclass(frozen=True, slots=True)
class SeedSummary:
    """How many rows of each kind were written, and the seeded token strings."""

    users: int
    admins: int
    plans: int
    vip_subscribers: int
    pending_requests: int
    tokens: int
    token_values: tuple[str, ...] = ()


async def seed_database(
    db: async_sessionmaker[AsyncSession],
    faker: Faker,
    *,
    users: int = 200,
    plans: int = 3,
    vip_subscribers: int = 40,
    pending_requests: int = 10,
    tokens: int = 20,
    admin_ids: Sequence[int] = (),
    now: datetime | None = None,
    free_channel_id: int = DEFAULT_FREE_CHANNEL_ID,
) -> SeedSummary:
    """Fill an empty database (the schema must exist) and return what was written.

    Subscribers and requesters are distinct random samples of the seeded users; subscriptions
    are active, spread over their plan's term; pending requests were made in the last two
    hours with a one-hour wait, so about half are due; tokens are unused and valid.
    """
    _check_counts(
        users=users,
        plans=plans,
        vip_subscribers=vip_subscribers,
        pending_requests=pending_requests,
        tokens=tokens,
        admin_ids=admin_ids,
    )
    moment = now if now is not None else utcnow()
    rng = faker.random
    user_rows = [_admin_row(admin_id, index, moment) for index, admin_id in enumerate(admin_ids)]
    user_rows += [_user_row(faker, index, moment) for index in range(users)]
    async with db.begin() as session:
        if user_rows:
            await session.execute(insert(User), user_rows)
        plan_rows = [_plan(index, rng) for index in range(plans)]
        session.add_all(plan_rows)
        await session.flush()

        picked = rng.sample(range(users), vip_subscribers + pending_requests)
        subscribers, requesters = picked[:vip_subscribers], picked[vip_subscribers:]
        subscription_rows = [
            _subscription_row(faker, SEED_USER_ID_BASE + index, rng.choice(plan_rows), moment)
            for index in subscribers
        ]
        if subscription_rows:
            await session.execute(insert(Subscription), subscription_rows)
        request_rows = [
            _request_row(rng, SEED_USER_ID_BASE + index, free_channel_id, moment)
            for index in requesters
        ]
        if request_rows:
            await session.execute(insert(FreeJoinRequest), request_rows)
        creator = admin_ids[0] if admin_ids else None
        token_rows = [
            _token_row(faker, rng.choice(plan_rows), creator, moment) for _ in range(tokens)
        ]
        if token_rows:
            await session.execute(insert(VipToken), token_rows)
    return SeedSummary(
        users=users,
        admins=len(admin_ids),
        plans=plans,
        vip_subscribers=vip_subscribers,
        pending_requests=pending_requests,
        tokens=tokens,
        token_values=tuple(row["token"] for row in token_rows),
    )


def _check_counts(
    *,
    users: int,
    plans: int,
    vip_subscribers: int,
    pending_requests: int,
    tokens: int,
    admin_ids: Sequence[int],
) -> None:
    if min(users, plans, vip_subscribers, pending_requests, tokens) < 0:
        msg = "seed_database: every count must be zero or more"
        raise ValueError(msg)
    if vip_subscribers + pending_requests > users:
        msg = (
            f"seed_database: {vip_subscribers} subscribers + {pending_requests} requesters "
            f"need at least that many users, got users={users}"
        )
        raise ValueError(msg)
    if plans == 0 and (vip_subscribers or tokens):
        msg = "seed_database: subscribers and tokens need at least one plan (plans >= 1)"
        raise ValueError(msg)
    if any(admin_id >= SEED_USER_ID_BASE for admin_id in admin_ids):
        msg = f"seed_database: admin ids must be below {SEED_USER_ID_BASE:,} (seeded ids)"
        raise ValueError(msg)


def _admin_row(admin_id: int, index: int, now: datetime) -> dict[str, Any]:
    return {
        "id": admin_id,
        "first_name": "Admin",
        "last_name": str(index + 1),
        "username": f"admin{index + 1}",
        "language": "en",
        "role": Role.ADMIN,
        "created_at": now - timedelta(days=400),
        "last_seen_at": now - timedelta(hours=1),
        "banned": False,
        "blocked_bot": False,
    }


def _user_row(faker: Faker, index: int, now: datetime) -> dict[str, Any]:
    rng = faker.random
    created_at = now - timedelta(seconds=rng.randint(DAY_SECONDS, 365 * DAY_SECONDS))
    seen_after = rng.randint(0, int((now - created_at).total_seconds()))
    first_name = faker.first_name()
    last_name = faker.last_name() if rng.random() < 0.8 else None
    # Built from the name rather than faker.user_name(), which alone would double the time;
    # the index suffix keeps usernames unique, so a search by username finds one user.
    username = f"{first_name}{last_name or ''}"[:24].lower() + f"_{index}"
    return {
        "id": SEED_USER_ID_BASE + index,
        "first_name": first_name,
        "last_name": last_name,
        "username": username if rng.random() < 0.7 else None,
        "language": rng.choice(LANGUAGES),
        "role": Role.USER,
        "created_at": created_at,
        "last_seen_at": created_at + timedelta(seconds=seen_after),
        "banned": False,
        "blocked_bot": rng.random() < 0.03,
    }


def _plan(index: int, rng: Any) -> Plan:
    if index < len(DEFAULT_PLANS):
        name, days, price_cents = DEFAULT_PLANS[index]
    else:
        name, days = f"plan-{index + 1}", rng.choice((7, 14, 60, 180))
        price_cents = days * rng.randint(20, 40)
    return Plan(name=name, days=days, price_cents=price_cents, active=True)


def _subscription_row(faker: Faker, user_id: int, plan: Plan, now: datetime) -> dict[str, Any]:
    starts_at = now - timedelta(seconds=faker.random.randint(0, plan.days * DAY_SECONDS - 1))
    return {
        "user_id": user_id,
        "plan_id": plan.id,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(days=plan.days),
        "status": SubscriptionStatus.ACTIVE,
        "invite_link": f"https://t.me/+{faker.pystr(min_chars=16, max_chars=16)}",
        "reminded_at": None,
    }


def _request_row(rng: Any, user_id: int, chat_id: int, now: datetime) -> dict[str, Any]:
    requested_at = now - timedelta(seconds=rng.randint(0, 2 * 3600))
    return {
        "user_id": user_id,
        "chat_id": chat_id,
        "requested_at": requested_at,
        "approve_after": requested_at + SEED_FREE_WAIT,
        "status": RequestStatus.PENDING,
        "decided_at": None,
    }


def _token_row(faker: Faker, plan: Plan, creator: int | None, now: datetime) -> dict[str, Any]:
    created_at = now - timedelta(seconds=faker.random.randint(0, 6 * DAY_SECONDS))
    return {
        "token": faker.pystr(min_chars=16, max_chars=16),
        "plan_id": plan.id,
        "created_by": creator,
        "created_at": created_at,
        "expires_at": created_at + TOKEN_TTL,
        "redeemed_by": None,
        "redeemed_at": None,
    }


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot.seed", description=__doc__)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--seed", type=int, default=0, help="Faker seed (default 0)")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--plans", type=int, default=3)
    parser.add_argument("--vip-subscribers", type=int, default=40)
    parser.add_argument("--pending-requests", type=int, default=10)
    parser.add_argument("--tokens", type=int, default=20)
    parser.add_argument(
        "--admin-ids",
        default="",
        type=lambda text: tuple(int(part) for part in text.split(",") if part.strip()),
        help="comma separated admin user ids",
    )
    return parser.parse_args(argv)


async def _seed_from_args(args: argparse.Namespace) -> SeedSummary:
    engine, db = create_engine_and_sessionmaker(args.database_url)
    try:
        await create_schema(engine)
        faker = Faker()
        faker.seed_instance(args.seed)
        return await seed_database(
            db,
            faker,
            users=args.users,
            plans=args.plans,
            vip_subscribers=args.vip_subscribers,
            pending_requests=args.pending_requests,
            tokens=args.tokens,
            admin_ids=args.admin_ids,
        )
    finally:
        await engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    try:
        summary = asyncio.run(_seed_from_args(args))
    except ValueError as error:
        print(f"bot.seed: {error}", file=sys.stderr)
        return 2
    counts = {key: value for key, value in asdict(summary).items() if key != "token_values"}
    print("seeded " + ", ".join(f"{key}={value}" for key, value in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
