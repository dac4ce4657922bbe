from datetime import timedelta

import pytest
import time_machine
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Config
from bot.db import Role
from bot.services.plans import PlanNameTakenError, create_plan, list_plans
from bot.services.settings import SettingKey, load_settings, save_setting
from bot.services.users import (
    broadcast_recipient_ids,
    count_broadcast_recipients,
    get_user_card,
    mark_blocked_bot,
    search_users,
    set_banned,
    upsert_user,
)
from tests.bot.conftest import T0, add_user, naive

CONFIG = Config(bot_token="1:x", free_wait_seconds=3600)


async def _upsert(session: AsyncSession, user_id: int, **fields: object) -> None:
    values: dict[str, object] = {
        "first_name": "Ann",
        "last_name": None,
        "username": "ann",
        "language": "en",
        "is_admin": False,
    }
    values.update(fields)
    await upsert_user(session, user_id=user_id, **values)  # type: ignore[arg-type]


async def test_upsert_registers_then_refreshes(session: AsyncSession) -> None:
    with time_machine.travel(T0, tick=False):
        await _upsert(session, 1)
    await mark_blocked_bot(session, 1)
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        await _upsert(session, 1, first_name="Anna", is_admin=True)
    user = await get_user_card(session, 1)
    assert user is not None
    assert user.first_name == "Anna"
    assert user.role == Role.ADMIN
    assert user.created_at == naive(T0)
    assert user.last_seen_at == naive(T0) + timedelta(hours=2)
    assert not user.blocked_bot
    assert (user.subscriptions, user.free_requests) == ([], [])


async def test_search_by_username_part_or_id(session: AsyncSession) -> None:
    await add_user(session, 10, username="alice_smith")
    await add_user(session, 11, username="bob")
    await add_user(session, 12, username="100%_real")
    assert [u.id for u in await search_users(session, "@ALICE")] == [10]
    assert [u.id for u in await search_users(session, "11")] == [11]
    assert [u.id for u in await search_users(session, "%")] == [12]
    assert await search_users(session, "  ") == []
    assert await search_users(session, "9" * 30) == []


async def test_broadcast_skips_banned_and_blocked_users(session: AsyncSession) -> None:
    for user_id in (1, 2, 3):
        await add_user(session, user_id)
    banned = await add_user(session, 4)
    await set_banned(session, banned, banned=True)
    await mark_blocked_bot(session, 3)
    assert await count_broadcast_recipients(session) == 2
    assert list(await broadcast_recipient_ids(session)) == [1, 2]


async def test_settings_fall_back_to_the_config(session: AsyncSession) -> None:
    defaults = CONFIG.default_settings()
    assert await load_settings(session, defaults) == defaults
    await save_setting(session, SettingKey.FREE_WAIT_SECONDS, 60)
    await save_setting(session, SettingKey.FREE_WAIT_SECONDS, 120)
    await save_setting(session, SettingKey.WELCOME_TEXT, "Hello")
    loaded = await load_settings(session, defaults)
    assert loaded.free_wait_seconds == 120
    assert loaded.welcome_text == "Hello"
    assert loaded.vip_channel_id == CONFIG.vip_channel_id


async def test_plan_names_are_unique_ignoring_case(session: AsyncSession) -> None:
    await create_plan(session, name="Gold", days=30, price_cents=100)
    with pytest.raises(PlanNameTakenError):
        await create_plan(session, name="gold", days=60, price_cents=200)
    assert [plan.name for plan in await list_plans(session)] == ["Gold"]
