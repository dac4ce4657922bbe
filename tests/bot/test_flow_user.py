"""The user side through the real Dispatcher: /start, tokens, /vip, /free, /status, joins."""

from datetime import timedelta

import pytest
import time_machine
from faker import Faker
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import texts
from bot.callbacks import MenuAction, MenuCb
from bot.db import FreeJoinRequest, Plan, RequestStatus, Role, Subscription, User, VipToken
from bot.services.tokens import issue_token
from replay.telegram import TgChat
from tests.bot.conftest import T0
from tests.bot.flow import ADMIN, FREE_CHANNEL, VIP_CHANNEL, Flow, start_flow

ALICE_ID, BOB_ID = 201, 202
MENU = ["VIP", "Free", "Status"]


@pytest.fixture
def flow(db: async_sessionmaker[AsyncSession]) -> Flow:
    return start_flow(db)


async def _token(flow: Flow, value: str, *, plan: str = "monthly") -> VipToken:
    async with flow.db.begin() as session:
        found = (await session.execute(select(Plan).where(Plan.name == plan))).scalar_one()
        return await issue_token(session, plan=found, creator_id=None, token=value)


async def _subscribe(flow: Flow, faker: Faker, user_id: int, first_name: str) -> None:
    """Give the user an active subscription the way users get one: a token deep link."""
    await flow.seed(faker)
    await _token(flow, f"tok-{user_id}")
    await flow.send(flow.user(user_id, first_name), f"/start tok-{user_id}")


# -- /start ------------------------------------------------------------------------------


async def test_start_registers_the_user_and_shows_the_menu(flow: Flow) -> None:
    alice = flow.user(ALICE_ID, "Alice", username="alice")

    step = await flow.send(alice, "/start")

    assert step.methods == ["sendMessage"]
    assert step.text == f"{texts.DEFAULT_WELCOME_TEXT}\n\nHi, Alice! {texts.MENU_HINT}"
    assert step.buttons == MENU
    user = await flow.get(User, ALICE_ID)
    assert user is not None
    assert (user.first_name, user.username, user.role) == ("Alice", "alice", Role.USER)


async def test_a_name_with_markup_is_shown_as_typed(flow: Flow) -> None:
    mallory = flow.user(ALICE_ID, "<b>Mal</b> & co")

    step = await flow.send(mallory, "/start")

    assert "Hi, <b>Mal</b> & co!" in step.text


async def test_the_menu_buttons_edit_the_menu_in_place(flow: Flow) -> None:
    alice = flow.user(ALICE_ID, "Alice")
    menu = await flow.send(alice, "/start")

    vip = await flow.click(alice, "VIP")
    back = await flow.click(alice, "Back")

    assert vip.methods == ["editMessageText", "answerCallbackQuery"]
    assert vip.views[0].message_id == menu.views[0].message_id
    assert vip.text.startswith("💎 You have no active VIP subscription.")
    assert vip.buttons == ["Back"]
    assert back.text == menu.text
    assert back.buttons == MENU


async def test_a_double_tap_on_back_is_not_an_error(flow: Flow) -> None:
    alice = flow.user(ALICE_ID, "Alice")
    await flow.send(alice, "/start")
    await flow.click(alice, "Free")
    await flow.click(alice, "Back")

    # The second tap of a double tap arrives after the menu is already shown again.
    again = await flow.press(alice, MenuCb(action=MenuAction.HOME).pack())

    (edit,) = again.of("editMessageText")
    assert edit.error is not None
    assert "message is not modified" in edit.error
    assert again.methods == ["editMessageText", "answerCallbackQuery"]


async def test_an_admin_is_registered_with_the_admin_role(flow: Flow) -> None:
    await flow.send(ADMIN, "/start")

    admin = await flow.get(User, ADMIN.id)
    assert admin is not None
    assert admin.role == Role.ADMIN


# -- /start <token> ----------------------------------------------------------------------


async def test_a_valid_token_grants_vip_with_an_invite_link(flow: Flow, faker: Faker) -> None:
    alice = flow.user(ALICE_ID, "Alice")
    with time_machine.travel(T0, tick=False):
        summary = await flow.seed(faker, tokens=2)

        step = await flow.send(alice, f"/start {summary.token_values[0]}")

    (link_call,) = step.of("createChatInviteLink")
    assert link_call.params["chat_id"] == VIP_CHANNEL.id
    assert link_call.params["member_limit"] == 1
    assert link_call.params["creates_join_request"] is False
    link = link_call.result["invite_link"]
    assert step.methods == ["createChatInviteLink", "sendMessage"]
    assert step.text.startswith(f"{texts.VIP_GRANTED}: plan ")
    assert step.text.endswith(f"Your personal invite link to the VIP channel (one join): {link}")
    assert step.buttons == MENU
    (subscription,) = await flow.scalars(
        select(Subscription).where(Subscription.user_id == ALICE_ID)
    )
    assert subscription.invite_link == link
    token = (
        await flow.scalars(select(VipToken).where(VipToken.token == summary.token_values[0]))
    )[0]
    assert token.redeemed_by == ALICE_ID


async def test_the_invite_link_expires_within_a_day(flow: Flow, faker: Faker) -> None:
    alice = flow.user(ALICE_ID, "Alice")
    with time_machine.travel(T0, tick=False):
        await flow.seed(faker)
        await _token(flow, "tok-day")

        step = await flow.send(alice, "/start tok-day")

    expire = step.of("createChatInviteLink")[0].params["expire_date"]
    assert int(expire) == int((T0 + timedelta(days=1)).timestamp())


async def test_an_unknown_token_is_invalid(flow: Flow) -> None:
    step = await flow.send(flow.user(ALICE_ID, "Alice"), "/start no-such-token")

    assert step.methods == ["sendMessage"]
    assert step.text == texts.TOKEN_INVALID


async def test_a_used_token_says_so(flow: Flow, faker: Faker) -> None:
    await flow.seed(faker)
    await _token(flow, "tok-once")
    await flow.send(flow.user(ALICE_ID, "Alice"), "/start tok-once")

    step = await flow.send(flow.user(BOB_ID, "Bob"), "/start tok-once")

    assert step.methods == ["sendMessage"]
    assert step.text == texts.TOKEN_USED
    assert await flow.scalars(select(Subscription).where(Subscription.user_id == BOB_ID)) == []


async def test_an_expired_token_says_so(flow: Flow, faker: Faker) -> None:
    await flow.seed(faker)
    with time_machine.travel(T0, tick=False) as traveller:
        await _token(flow, "tok-old")
        traveller.move_to(T0 + timedelta(days=8))

        step = await flow.send(flow.user(ALICE_ID, "Alice"), "/start tok-old")

    assert step.text == texts.TOKEN_EXPIRED
    assert step.of("createChatInviteLink") == []


async def test_a_failed_invite_link_still_grants_vip(flow: Flow, faker: Faker) -> None:
    await flow.seed(faker)
    await _token(flow, "tok-nolink")
    flow.tg.session.fail("server_error", method="createChatInviteLink")

    step = await flow.send(flow.user(ALICE_ID, "Alice"), "/start tok-nolink")

    assert step.text.startswith(texts.VIP_GRANTED)
    assert step.text.endswith(texts.INVITE_LINK_FAILED)


# -- /vip, /free, /status ----------------------------------------------------------------


async def test_vip_without_a_subscription(flow: Flow) -> None:
    step = await flow.send(flow.user(ALICE_ID, "Alice"), "/vip")

    assert step.text.startswith("💎 You have no active VIP subscription.")


async def test_vip_with_a_subscription_shows_the_plan_end_and_link(
    flow: Flow, faker: Faker
) -> None:
    with time_machine.travel(T0, tick=False):
        await _subscribe(flow, faker, ALICE_ID, "Alice")
        link = flow.tg.world.invite_links[-1]["invite_link"]

        step = await flow.send(flow.user(ALICE_ID, "Alice"), "/vip")

    assert step.text == (
        f"💎 VIP: plan monthly, active until 2025-03-31 12:00 UTC.\nYour invite link: {link}"
    )


async def test_free_before_any_request_explains_the_wait(flow: Flow) -> None:
    step = await flow.send(flow.user(ALICE_ID, "Alice"), "/free")

    assert step.text == (
        "🆓 Ask to join the Free channel and your request will be approved automatically after 1h."
    )


async def test_status_shows_vip_and_free_together(flow: Flow) -> None:
    alice = flow.user(ALICE_ID, "Alice")
    vip = await flow.send(alice, "/vip")
    free = await flow.send(alice, "/free")

    status = await flow.send(alice, "/status")

    assert status.text == f"{vip.text}\n\n{free.text}"


async def test_an_unknown_message_points_to_start(flow: Flow) -> None:
    step = await flow.send(flow.user(ALICE_ID, "Alice"), "what is this?")

    assert step.text == texts.FALLBACK


async def test_cancel_outside_a_dialog(flow: Flow) -> None:
    step = await flow.send(flow.user(ALICE_ID, "Alice"), "/cancel")

    assert step.text == texts.NOTHING_TO_CANCEL


# -- join requests -----------------------------------------------------------------------


async def test_a_free_join_request_is_queued_and_the_user_told_when(flow: Flow) -> None:
    alice = flow.user(ALICE_ID, "Alice")

    with time_machine.travel(T0, tick=False):
        step = await flow.join(alice, FREE_CHANNEL)

    assert step.methods == ["sendMessage"]
    assert step.texts_to(ALICE_ID) == [
        "⏳ Your request to join the Free channel is queued. It will be approved at "
        "2025-03-01 13:00 UTC (in 1h)."
    ]
    (request,) = await flow.scalars(select(FreeJoinRequest))
    assert (request.user_id, request.chat_id, request.status) == (
        ALICE_ID,
        FREE_CHANNEL.id,
        RequestStatus.PENDING,
    )
    assert (FREE_CHANNEL.id, ALICE_ID) in flow.tg.world.join_requests


async def test_a_second_free_join_request_is_not_queued_twice(flow: Flow) -> None:
    alice = flow.user(ALICE_ID, "Alice")
    with time_machine.travel(T0, tick=False):
        await flow.join(alice, FREE_CHANNEL)

        step = await flow.join(alice, FREE_CHANNEL)

    assert step.text.startswith("⏳ You already have a pending request")
    assert len(await flow.scalars(select(FreeJoinRequest))) == 1


async def test_free_shows_the_pending_request(flow: Flow) -> None:
    alice = flow.user(ALICE_ID, "Alice")
    with time_machine.travel(T0, tick=False):
        await flow.join(alice, FREE_CHANNEL)

        step = await flow.send(alice, "/free")

    assert step.text == (
        "🆓 Your request to join the Free channel is pending; it will be approved at "
        "2025-03-01 13:00 UTC."
    )


async def test_a_vip_join_request_with_a_subscription_is_approved(
    flow: Flow, faker: Faker
) -> None:
    await _subscribe(flow, faker, ALICE_ID, "Alice")

    step = await flow.join(flow.user(ALICE_ID, "Alice"), VIP_CHANNEL)

    assert step.methods == ["approveChatJoinRequest", "sendMessage"]
    assert step.of("approveChatJoinRequest")[0].params == {
        "chat_id": VIP_CHANNEL.id,
        "user_id": ALICE_ID,
    }
    assert step.texts_to(ALICE_ID) == [texts.VIP_JOIN_APPROVED]
    assert flow.tg.world.member_status(VIP_CHANNEL.id, ALICE_ID) == "member"


async def test_a_vip_join_request_without_a_subscription_is_declined(flow: Flow) -> None:
    step = await flow.join(flow.user(ALICE_ID, "Alice"), VIP_CHANNEL)

    assert step.methods == ["declineChatJoinRequest", "sendMessage"]
    assert step.texts_to(ALICE_ID) == [texts.VIP_JOIN_DECLINED]
    assert flow.tg.world.member_status(VIP_CHANNEL.id, ALICE_ID) == "left"


async def test_a_join_request_to_another_chat_is_left_alone(flow: Flow) -> None:
    other = TgChat(-1009999, "supergroup", title="Elsewhere")

    step = await flow.join(flow.user(ALICE_ID, "Alice"), other)

    assert step.calls == ()


async def test_a_user_who_blocked_the_bot_is_still_queued(flow: Flow) -> None:
    alice = flow.user(ALICE_ID, "Alice")
    flow.tg.session.fail("blocked", chat_id=ALICE_ID, method="sendMessage")

    step = await flow.join(alice, FREE_CHANNEL)

    assert step.of("sendMessage")[0].error == "Forbidden: bot was blocked by the user"
    user = await flow.get(User, ALICE_ID)
    assert user is not None
    assert user.blocked_bot
    assert len(await flow.scalars(select(FreeJoinRequest))) == 1


# -- bans --------------------------------------------------------------------------------


async def _ban(flow: Flow, user_id: int) -> None:
    async with flow.db.begin() as session:
        user = await session.get(User, user_id)
        assert user is not None
        user.banned = True


async def test_a_banned_user_is_refused(flow: Flow) -> None:
    alice = flow.user(ALICE_ID, "Alice")
    await flow.send(alice, "/start")
    await _ban(flow, ALICE_ID)

    step = await flow.send(alice, "/status")

    assert step.methods == ["sendMessage"]
    assert step.text == texts.BANNED


async def test_a_banned_users_button_press_is_refused_with_an_alert(flow: Flow) -> None:
    alice = flow.user(ALICE_ID, "Alice")
    await flow.send(alice, "/start")
    await _ban(flow, ALICE_ID)

    step = await flow.click(alice, "VIP")

    assert step.methods == ["answerCallbackQuery"]
    assert step.alert == texts.BANNED
    assert step.calls[0].params["show_alert"] is True


async def test_a_banned_users_join_request_is_declined(flow: Flow) -> None:
    alice = flow.user(ALICE_ID, "Alice")
    await flow.send(alice, "/start")
    await _ban(flow, ALICE_ID)

    step = await flow.join(alice, FREE_CHANNEL)

    assert step.methods == ["declineChatJoinRequest"]
    assert await flow.scalars(select(FreeJoinRequest)) == []
