"""Users: registration, lookup, lists, search, bans and broadcast recipients."""

from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.clock import utcnow
from bot.db.models import Role, Subscription, User
from bot.services.pagination import PAGE_SIZE, Page, clamp_page

SEARCH_LIMIT = 20
# Larger numbers cannot be ids, and PostgreSQL would reject them as BIGINT parameters.
MAX_BIGINT = 2**63 - 1


async def upsert_user(
    session: AsyncSession,
    *,
    user_id: int,
    first_name: str,
    last_name: str | None,
    username: str | None,
    language: str | None,
    is_admin: bool,
) -> User:
    """Register a user on first contact, or refresh their profile and ``last_seen_at``.

    A user who writes to the bot has evidently not blocked it (any more).
    """
    now = utcnow()
    user = await session.get(User, user_id)
    role = Role.ADMIN if is_admin else Role.USER
    if user is None:
        user = User(
            id=user_id,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language=language,
            role=role,
            created_at=now,
            last_seen_at=now,
            banned=False,
            blocked_bot=False,
        )
        session.add(user)
    else:
        user.first_name = first_name
        user.last_name = last_name
        user.username = username
        user.language = language
        user.role = role
        user.last_seen_at = now
        user.blocked_bot = False
    await session.flush()
    return user


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def get_user_card(session: AsyncSession, user_id: int) -> User | None:
    """Load a user with their subscriptions (and plans) and free join requests."""
    statement = (
        select(User)
        .where(User.id == user_id)
        .options(
            selectinload(User.subscriptions).selectinload(Subscription.plan),
            selectinload(User.free_requests),
        )
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def count_users(session: AsyncSession) -> int:
    return (await session.execute(select(func.count()).select_from(User))).scalar_one()


async def list_users(session: AsyncSession, page: int, size: int = PAGE_SIZE) -> Page[User]:
    """One page of users, newest first."""
    number = clamp_page(page)
    total = await count_users(session)
    statement = (
        select(User)
        .order_by(User.created_at.desc(), User.id.desc())
        .offset(number * size)
        .limit(size)
    )
    users = (await session.execute(statement)).scalars().all()
    return Page(items=users, number=number, total=total, size=size)


async def search_users(
    session: AsyncSession, query: str, limit: int = SEARCH_LIMIT
) -> Sequence[User]:
    """Find users by numeric id or by (part of) their username, ``@`` optional."""
    text = query.strip().lstrip("@")
    if not text:
        return []
    condition: ColumnElement[bool] = User.username.ilike(f"%{_escape_like(text)}%", escape="\\")
    if text.isdigit() and int(text) <= MAX_BIGINT:
        condition = or_(User.id == int(text), condition)
    statement = select(User).where(condition).order_by(User.id).limit(limit)
    return (await session.execute(statement)).scalars().all()


async def set_banned(session: AsyncSession, user: User, *, banned: bool) -> None:
    user.banned = banned
    await session.flush()


async def mark_blocked_bot(session: AsyncSession, user_id: int) -> None:
    """Remember that sending to ``user_id`` failed because they blocked the bot."""
    await session.execute(update(User).where(User.id == user_id).values(blocked_bot=True))


def _recipients_condition() -> tuple[ColumnElement[bool], ...]:
    return (User.banned.is_(False), User.blocked_bot.is_(False))


async def count_broadcast_recipients(session: AsyncSession) -> int:
    statement = select(func.count()).select_from(User).where(*_recipients_condition())
    return (await session.execute(statement)).scalar_one()


async def broadcast_recipient_ids(session: AsyncSession) -> Sequence[int]:
    """Ids of every user who is neither banned nor has blocked the bot."""
    statement = select(User.id).where(*_recipients_condition()).order_by(User.id)
    return (await session.execute(statement)).scalars().all()


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
