"""Join requests to the Free channel, approved automatically after a wait."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from bot.clock import utcnow
from bot.db.models import FreeJoinRequest, RequestStatus
from bot.services.pagination import PAGE_SIZE, Page, clamp_page


@dataclass(frozen=True, slots=True)
class QueueResult:
    request: FreeJoinRequest
    created: bool


async def get_pending_request(
    session: AsyncSession, user_id: int, chat_id: int | None = None
) -> FreeJoinRequest | None:
    """The user's pending request (to ``chat_id`` if given), if any."""
    statement = select(FreeJoinRequest).where(
        FreeJoinRequest.user_id == user_id, FreeJoinRequest.status == RequestStatus.PENDING
    )
    if chat_id is not None:
        statement = statement.where(FreeJoinRequest.chat_id == chat_id)
    statement = statement.order_by(FreeJoinRequest.requested_at.desc()).limit(1)
    return (await session.execute(statement)).scalar_one_or_none()


async def queue_free_request(
    session: AsyncSession, *, user_id: int, chat_id: int, wait_seconds: int
) -> QueueResult:
    """Queue a join request to be approved after ``wait_seconds``.

    A second request while one is pending returns the pending one unchanged.
    """
    pending = await get_pending_request(session, user_id, chat_id)
    if pending is not None:
        return QueueResult(pending, created=False)
    now = utcnow()
    request = FreeJoinRequest(
        user_id=user_id,
        chat_id=chat_id,
        requested_at=now,
        approve_after=now + timedelta(seconds=wait_seconds),
        status=RequestStatus.PENDING,
    )
    session.add(request)
    await session.flush()
    return QueueResult(request, created=True)


async def count_pending(session: AsyncSession) -> int:
    statement = (
        select(func.count())
        .select_from(FreeJoinRequest)
        .where(FreeJoinRequest.status == RequestStatus.PENDING)
    )
    return (await session.execute(statement)).scalar_one()


async def list_pending(
    session: AsyncSession, page: int, size: int = PAGE_SIZE
) -> Page[FreeJoinRequest]:
    """One page of pending requests with their users, next approval first."""
    number = clamp_page(page)
    total = await count_pending(session)
    statement = (
        select(FreeJoinRequest)
        .where(FreeJoinRequest.status == RequestStatus.PENDING)
        .options(joinedload(FreeJoinRequest.user))
        .order_by(FreeJoinRequest.approve_after, FreeJoinRequest.id)
        .offset(number * size)
        .limit(size)
    )
    items = (await session.execute(statement)).scalars().all()
    return Page(items=items, number=number, total=total, size=size)


async def pending_requests(
    session: AsyncSession, *, due_only: bool = False
) -> Sequence[FreeJoinRequest]:
    """Every pending request, or only those whose wait is over."""
    statement = select(FreeJoinRequest).where(FreeJoinRequest.status == RequestStatus.PENDING)
    if due_only:
        statement = statement.where(FreeJoinRequest.approve_after <= utcnow())
    statement = statement.order_by(FreeJoinRequest.approve_after, FreeJoinRequest.id)
    return (await session.execute(statement)).scalars().all()


async def due_requests(session: AsyncSession) -> Sequence[FreeJoinRequest]:
    """Pending requests whose approval time has come."""
    return await pending_requests(session, due_only=True)


def mark_approved(request: FreeJoinRequest) -> None:
    request.status = RequestStatus.APPROVED
    request.decided_at = utcnow()


def mark_declined(request: FreeJoinRequest) -> None:
    request.status = RequestStatus.DECLINED
    request.decided_at = utcnow()
