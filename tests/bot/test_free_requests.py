from datetime import timedelta

import time_machine
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import FreeJoinRequest, RequestStatus
from bot.services.free_requests import (
    count_pending,
    get_pending_request,
    list_pending,
    mark_approved,
    queue_free_request,
)
from tests.bot.conftest import T0, add_user, naive

FREE = -1001000000002


async def _rows(session: AsyncSession) -> int:
    statement = select(func.count()).select_from(FreeJoinRequest)
    return (await session.execute(statement)).scalar_one()


async def test_a_request_is_queued_with_its_approval_time(session: AsyncSession) -> None:
    await add_user(session, 1)
    with time_machine.travel(T0, tick=False):
        queued = await queue_free_request(session, user_id=1, chat_id=FREE, wait_seconds=3600)
    assert queued.created
    assert queued.request.status == RequestStatus.PENDING
    assert queued.request.requested_at == naive(T0)
    assert queued.request.approve_after == naive(T0) + timedelta(hours=1)
    assert await get_pending_request(session, 1, FREE) is queued.request


async def test_a_duplicate_while_pending_adds_no_row(session: AsyncSession) -> None:
    await add_user(session, 1)
    with time_machine.travel(T0, tick=False):
        first = await queue_free_request(session, user_id=1, chat_id=FREE, wait_seconds=3600)
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        second = await queue_free_request(session, user_id=1, chat_id=FREE, wait_seconds=3600)
    assert not second.created
    assert second.request is first.request
    assert second.request.approve_after == naive(T0) + timedelta(hours=1)
    assert await _rows(session) == 1


async def test_a_new_request_after_approval_is_queued_again(session: AsyncSession) -> None:
    await add_user(session, 1)
    first = await queue_free_request(session, user_id=1, chat_id=FREE, wait_seconds=60)
    mark_approved(first.request)
    second = await queue_free_request(session, user_id=1, chat_id=FREE, wait_seconds=60)
    assert second.created
    assert await _rows(session) == 2
    assert await count_pending(session) == 1


async def test_pending_requests_are_paginated_with_users(session: AsyncSession) -> None:
    with time_machine.travel(T0, tick=False):
        for user_id in range(1, 13):
            await add_user(session, user_id)
            await queue_free_request(session, user_id=user_id, chat_id=FREE, wait_seconds=user_id)
    session.expunge_all()
    page = await list_pending(session, 1)
    assert page.total == 12
    assert [request.user.first_name for request in page.items] == ["User11", "User12"]
