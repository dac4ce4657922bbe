"""The admin Users section through the real Dispatcher: list, search, card, ban and unban."""

import pytest
import time_machine
from faker import Faker
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import admin_texts, texts
from bot.callbacks import UserAction, UserCb
from bot.db import Plan, User
from bot.services.subscriptions import grant_subscription
from tests.bot.conftest import T0
from tests.bot.flow import ADMIN, VIP_CHANNEL, Flow, start_flow

ZOE_ID = 401


@pytest.fixture
def flow(db: async_sessionmaker[AsyncSession]) -> Flow:
    return start_flow(db)


async def _register_zoe(flow: Flow) -> None:
    await flow.send(flow.user(ZOE_ID, "Zoe", username="zoe_searchable"), "/start")


async def _open_users(flow: Flow) -> None:
    await flow.send(ADMIN, "/admin")
    await flow.click(ADMIN, "Users")


async def _open_zoes_card(flow: Flow) -> None:
    await _register_zoe(flow)
    await _open_users(flow)
    await flow.click(ADMIN, "Search")
    await flow.send(ADMIN, "zoe_search")
    await flow.click(ADMIN, "Zoe (@zoe_searchable)")


async def test_the_user_list_is_paged_with_next_and_prev(flow: Flow, faker: Faker) -> None:
    await flow.seed(faker, users=25)
    await _open_users(flow)  # the admin registers too: 26 users

    second = await flow.click(ADMIN, "Next")
    third = await flow.click(ADMIN, "Next")
    back = await flow.click(ADMIN, "Prev")

    assert second.text.startswith("👥 Users (26), page 2/3\n11. ")
    assert third.text.startswith("👥 Users (26), page 3/3\n21. ")
    assert len(third.text.splitlines()) == 1 + 6
    assert third.buttons[-3:] == ["Prev", "Search", "Back"]
    assert back.text == second.text
    assert back.buttons[-4:] == ["Prev", "Next", "Search", "Back"]


async def test_the_first_page_lists_the_newest_users_first(flow: Flow, faker: Faker) -> None:
    await flow.seed(faker, users=3)
    await _register_zoe(flow)
    await flow.send(ADMIN, "/admin")

    step = await flow.click(ADMIN, "Users")

    lines = step.text.splitlines()
    assert lines[0] == "👥 Users (5), page 1/1"
    # The admin wrote after Zoe; seeded users were created a day or more ago.
    assert lines[1] == f"1. Ada Admin (@ada_admin) — id {ADMIN.id}"
    assert lines[2] == f"2. Zoe (@zoe_searchable) — id {ZOE_ID}"
    assert step.buttons[:2] == ["Ada Admin (@ada_admin)", "Zoe (@zoe_searchable)"]
    assert step.buttons[-2:] == ["Search", "Back"]


async def test_search_by_username_finds_the_user(flow: Flow) -> None:
    await _register_zoe(flow)
    await _open_users(flow)

    ask = await flow.click(ADMIN, "Search")
    found = await flow.send(ADMIN, "@zoe_search")

    assert ask.text == admin_texts.ASK_SEARCH
    assert found.text == "🔎 Users matching “@zoe_search”: 1"
    assert found.buttons == ["Zoe (@zoe_searchable)", "Search", "Back"]


async def test_search_by_id_finds_the_user(flow: Flow) -> None:
    await _register_zoe(flow)
    await _open_users(flow)
    await flow.click(ADMIN, "Search")

    found = await flow.send(ADMIN, str(ZOE_ID))

    assert found.text == f"🔎 Users matching “{ZOE_ID}”: 1"
    assert found.buttons[0] == "Zoe (@zoe_searchable)"


async def test_a_search_without_matches_says_so(flow: Flow) -> None:
    await _open_users(flow)
    await flow.click(ADMIN, "Search")

    step = await flow.send(ADMIN, "<nobody>")

    assert step.text == "🔎 No users match “<nobody>”."
    assert step.buttons == ["Search", "Back"]


async def test_the_user_card_shows_the_profile(flow: Flow) -> None:
    with time_machine.travel(T0, tick=False):
        await _register_zoe(flow)
        await _open_users(flow)
        await flow.click(ADMIN, "Search")
        await flow.send(ADMIN, "zoe")

        card = await flow.click(ADMIN, "Zoe (@zoe_searchable)")

    assert card.text == "\n".join(
        [
            "👤 Zoe (@zoe_searchable)",
            f"ID: {ZOE_ID}",
            "Role: user · Language: -",
            "Created: 2025-03-01 12:00 UTC",
            "Last seen: 2025-03-01 12:00 UTC",
            "Banned: no · Blocked the bot: no",
            "",
            "Subscriptions",
            "none",
            "",
            "Free requests",
            "none",
        ]
    )
    assert card.buttons == ["Ban", "Back"]


async def test_ban_and_unban_from_the_card(flow: Flow) -> None:
    await _open_zoes_card(flow)

    banned = await flow.click(ADMIN, "Ban")
    refused = await flow.send(flow.user(ZOE_ID, "Zoe", username="zoe_searchable"), "/start")
    unbanned = await flow.click(ADMIN, "Unban")

    assert banned.alert == admin_texts.USER_BANNED
    assert "Banned: yes" in banned.text
    assert banned.buttons == ["Unban", "Back"]
    assert refused.text == texts.BANNED
    assert unbanned.alert == admin_texts.USER_UNBANNED
    assert "Banned: no" in unbanned.text
    assert unbanned.buttons == ["Ban", "Back"]
    # Unbanning also lifts any ban in the VIP channel (only if there is one).
    (unban,) = unbanned.of("unbanChatMember")
    assert unban.params == {"chat_id": VIP_CHANNEL.id, "user_id": ZOE_ID, "only_if_banned": True}
    user = await flow.get(User, ZOE_ID)
    assert user is not None
    assert not user.banned


async def test_banning_a_subscriber_bans_them_from_the_vip_channel(
    flow: Flow, faker: Faker
) -> None:
    await flow.seed(faker)
    await _register_zoe(flow)
    async with flow.db.begin() as session:
        (plan,) = (await session.execute(select(Plan).where(Plan.name == "monthly"))).scalars()
        await grant_subscription(session, user_id=ZOE_ID, plan=plan)
    await _open_users(flow)
    await flow.click(ADMIN, "Zoe (@zoe_searchable)")

    step = await flow.click(ADMIN, "Ban")

    (ban,) = step.of("banChatMember")
    assert ban.params == {"chat_id": VIP_CHANNEL.id, "user_id": ZOE_ID}
    assert flow.tg.world.member_status(VIP_CHANNEL.id, ZOE_ID) == "kicked"
    assert step.buttons == ["Unban", "Extend", "Revoke", "Back"]


async def test_an_admin_cannot_be_banned(flow: Flow) -> None:
    await _open_users(flow)

    step = await flow.press(ADMIN, UserCb(action=UserAction.BAN, user_id=ADMIN.id).pack())

    assert step.methods == ["answerCallbackQuery"]
    assert step.alert == admin_texts.CANNOT_BAN_ADMIN
    admin = await flow.get(User, ADMIN.id)
    assert admin is not None
    assert not admin.banned


async def test_a_card_of_a_missing_user_says_so(flow: Flow) -> None:
    await _open_users(flow)

    step = await flow.press(ADMIN, UserCb(action=UserAction.SHOW, user_id=999).pack())

    assert step.alert == admin_texts.USER_GONE
