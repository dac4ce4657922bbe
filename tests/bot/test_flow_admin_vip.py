"""The admin panel through the real Dispatcher: the panel, refusals, Stats and the VIP section."""

import re
from datetime import timedelta

import pytest
import time_machine
from faker import Faker
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import admin_texts, texts
from bot.callbacks import (
    AdminCb,
    AdminSection,
    PlanDraftAction,
    PlanDraftCb,
    SubscribersCb,
    SubscriptionAction,
    SubscriptionCb,
)
from bot.db import Plan, Subscription, SubscriptionStatus, VipToken
from tests.bot.conftest import T0
from tests.bot.flow import ADMIN, VIP_CHANNEL, Flow, start_flow

ALICE_ID = 201
PANEL_BUTTONS = ["VIP", "Free", "Users", "Stats", "Broadcast"]
VISIBLE_PANEL = "🛠 Admin panel\nChoose a section."


@pytest.fixture
def flow(db: async_sessionmaker[AsyncSession]) -> Flow:
    return start_flow(db)


async def _open_vip(flow: Flow) -> None:
    await flow.send(ADMIN, "/admin")
    await flow.click(ADMIN, "VIP")


# -- the panel and who may open it -------------------------------------------------------


async def test_admin_opens_the_panel(flow: Flow) -> None:
    step = await flow.send(ADMIN, "/admin")

    assert step.methods == ["sendMessage"]
    assert step.text == VISIBLE_PANEL
    assert step.buttons == PANEL_BUTTONS
    assert [len(row) for row in step.views[-1].buttons] == [2, 2, 1]


async def test_back_returns_to_the_panel_in_place(flow: Flow) -> None:
    panel = await flow.send(ADMIN, "/admin")
    await flow.click(ADMIN, "Stats")

    step = await flow.click(ADMIN, "Back")

    assert step.methods == ["editMessageText", "answerCallbackQuery"]
    assert step.views[0].message_id == panel.views[0].message_id
    assert step.text == VISIBLE_PANEL


async def test_a_non_admin_sending_admin_gets_the_refusal(flow: Flow) -> None:
    step = await flow.send(flow.user(ALICE_ID, "Alice"), "/admin")

    assert step.methods == ["sendMessage"]
    assert step.text == texts.ADMIN_ONLY


async def test_a_non_admin_pressing_an_admin_button_gets_one_refusal(flow: Flow) -> None:
    alice = flow.user(ALICE_ID, "Alice")
    await flow.send(alice, "/start")

    for data in (
        AdminCb(section=AdminSection.VIP).pack(),
        SubscribersCb(page=1).pack(),
    ):
        step = await flow.press(alice, data)

        assert step.methods == ["answerCallbackQuery"]
        assert step.alert == texts.ADMIN_ONLY
        assert step.calls[0].params["show_alert"] is True


async def test_a_non_admins_ordinary_messages_still_work(flow: Flow) -> None:
    # The admin guard runs only once an admin handler matched.
    step = await flow.send(flow.user(ALICE_ID, "Alice"), "/start")

    assert step.buttons == ["VIP", "Free", "Status"]


# -- Stats -------------------------------------------------------------------------------


async def test_stats_counts_users_subscribers_requests_and_tokens(
    flow: Flow, faker: Faker
) -> None:
    with time_machine.travel(T0, tick=False):
        await flow.seed(faker, users=10, vip_subscribers=4, pending_requests=2, tokens=3)
        await flow.send(ADMIN, "/admin")

        step = await flow.click(ADMIN, "Stats")

    subscriptions = await flow.scalars(select(Subscription))
    plans = await flow.scalars(select(Plan).order_by(Plan.days))
    per_plan = [
        f"• {plan.name}: {sum(1 for s in subscriptions if s.plan_id == plan.id)}" for plan in plans
    ]
    assert step.text == "\n".join(
        [
            "📊 Statistics",
            "Users: 11",
            "Active VIP: 4",
            *per_plan,
            "Pending free requests: 2",
            "Tokens in the last 7 days: issued 3, redeemed 0",
        ]
    )
    assert step.buttons == ["Back"]


# -- VIP: tokens -------------------------------------------------------------------------


async def test_the_vip_section_lists_the_plans(flow: Flow, faker: Faker) -> None:
    await flow.seed(faker)
    await flow.send(ADMIN, "/admin")

    step = await flow.click(ADMIN, "VIP")

    assert step.text == (
        "💎 VIP\nPlans:\n"
        "• monthly — 30 days, 9.99\n"
        "• quarterly — 90 days, 24.99\n"
        "• yearly — 365 days, 79.99\n\n"
        "Active subscribers: 0"
    )
    assert step.buttons == ["Issue token", "Subscribers", "New plan", "Back"]


async def test_issue_token_without_plans_says_how_to_make_one(flow: Flow) -> None:
    await _open_vip(flow)

    step = await flow.click(ADMIN, "Issue token")

    assert step.text == admin_texts.NO_PLANS


async def test_an_issued_token_is_shown_with_its_deep_link(flow: Flow, faker: Faker) -> None:
    await flow.seed(faker)
    flow.dp["token_factory"] = lambda: "fixed-token-1"
    await _open_vip(flow)
    choose = await flow.click(ADMIN, "Issue token")

    with time_machine.travel(T0, tick=False):
        step = await flow.click(ADMIN, "quarterly")

    assert choose.text == admin_texts.CHOOSE_PLAN
    assert choose.buttons == ["monthly", "quarterly", "yearly", "Back"]
    assert step.text == (
        "🎟 Token for quarterly (90 days), valid until 2025-03-08 12:00 UTC:\n"
        "fixed-token-1\n"
        "Link: https://t.me/replay_bot?start=fixed-token-1"
    )
    (token,) = await flow.scalars(select(VipToken))
    assert (token.token, token.created_by) == ("fixed-token-1", ADMIN.id)


async def test_an_issued_token_can_be_redeemed(flow: Flow, faker: Faker) -> None:
    await flow.seed(faker)
    flow.dp["token_factory"] = lambda: "fixed-token-2"
    await _open_vip(flow)
    await flow.click(ADMIN, "Issue token")
    await flow.click(ADMIN, "monthly")

    step = await flow.send(flow.user(ALICE_ID, "Alice"), "/start fixed-token-2")

    assert step.text.startswith(f"{texts.VIP_GRANTED}: plan monthly until ")
    assert step.methods == ["createChatInviteLink", "sendMessage"]


# -- VIP: subscribers, extend, revoke ----------------------------------------------------


async def test_subscribers_are_paged_with_next_and_prev(flow: Flow, faker: Faker) -> None:
    with time_machine.travel(T0, tick=False):
        await flow.seed(faker, users=12, vip_subscribers=12)
        await _open_vip(flow)

        first = await flow.click(ADMIN, "Subscribers")
        second = await flow.click(ADMIN, "Next")
        back = await flow.click(ADMIN, "Prev")

    assert first.text.startswith("💎 Active subscribers (12), page 1/2\n1. ")
    assert len(first.text.splitlines()) == 1 + 10
    assert first.buttons[-2:] == ["Next", "Back"]
    assert len(first.buttons) == 10 + 2
    assert second.text.startswith("💎 Active subscribers (12), page 2/2\n11. ")
    assert len(second.buttons) == 2 + 2
    assert second.buttons[-2:] == ["Prev", "Back"]
    assert back.text == first.text
    assert {first.views[0].message_id, second.views[0].message_id} == {back.views[0].message_id}


async def _open_first_subscription(flow: Flow, faker: Faker) -> Subscription:
    await flow.seed(faker, users=3, vip_subscribers=3)
    await _open_vip(flow)
    await flow.click(ADMIN, "Subscribers")
    (subscription,) = await flow.scalars(
        select(Subscription).order_by(Subscription.ends_at, Subscription.id).limit(1)
    )
    await flow.click(ADMIN, re.compile(r" · "))  # the first subscriber's button
    return subscription


async def test_a_subscription_card_offers_extend_and_revoke(flow: Flow, faker: Faker) -> None:
    with time_machine.travel(T0, tick=False):
        await flow.seed(faker, users=3, vip_subscribers=3)
        await _open_vip(flow)
        await flow.click(ADMIN, "Subscribers")

        step = await flow.click(ADMIN, re.compile(r" · "))

    (subscription,) = await flow.scalars(
        select(Subscription).order_by(Subscription.ends_at, Subscription.id).limit(1)
    )
    assert step.text.startswith(f"💎 Subscription #{subscription.id}\nUser: ")
    assert f"id {subscription.user_id}\n" in step.text
    assert step.text.endswith("Status: active")
    assert step.buttons == ["Extend", "Revoke", "Back"]


async def test_extend_adds_the_plan_and_tells_the_user(flow: Flow, faker: Faker) -> None:
    with time_machine.travel(T0, tick=False):
        before = await _open_first_subscription(flow, faker)

        step = await flow.click(ADMIN, "Extend")

    after = await flow.get(Subscription, before.id)
    assert after is not None
    plan = await flow.get(Plan, before.plan_id)
    assert plan is not None
    assert after.ends_at == before.ends_at + timedelta(days=plan.days)
    assert step.alert == f"Extended until {texts.format_dt(after.ends_at)}."
    assert step.texts_to(before.user_id) == [
        f"💎 Your VIP subscription was extended until {texts.format_dt(after.ends_at)}."
    ]
    assert step.buttons == ["Extend", "Revoke", "Back"]


async def test_revoke_kicks_the_user_and_tells_them(flow: Flow, faker: Faker) -> None:
    with time_machine.travel(T0, tick=False):
        subscription = await _open_first_subscription(flow, faker)
        flow.tg.world.set_member_status(VIP_CHANNEL.id, subscription.user_id, "member")

        step = await flow.click(ADMIN, "Revoke")

    user_id = subscription.user_id
    assert step.methods == [
        "banChatMember",
        "unbanChatMember",
        "sendMessage",
        "editMessageText",
        "answerCallbackQuery",
    ]
    assert step.of("banChatMember")[0].params == {"chat_id": VIP_CHANNEL.id, "user_id": user_id}
    assert step.of("unbanChatMember")[0].params["only_if_banned"] is True
    assert flow.tg.world.member_status(VIP_CHANNEL.id, user_id) == "left"
    assert step.texts_to(user_id) == [texts.SUBSCRIPTION_REVOKED]
    assert step.alert == admin_texts.REVOKED
    assert step.text.endswith("Status: revoked")
    assert step.buttons == ["Back"]
    revoked = await flow.get(Subscription, subscription.id)
    assert revoked is not None
    assert revoked.status == SubscriptionStatus.REVOKED


async def test_a_stale_revoke_button_says_the_subscription_is_not_active(
    flow: Flow, faker: Faker
) -> None:
    subscription = await _open_first_subscription(flow, faker)
    await flow.click(ADMIN, "Revoke")

    stale = SubscriptionCb(action=SubscriptionAction.REVOKE, subscription_id=subscription.id)
    step = await flow.press(ADMIN, stale.pack())

    assert step.alert == admin_texts.SUBSCRIPTION_NOT_ACTIVE
    assert step.of("banChatMember") == []


# -- VIP: the New plan dialog ------------------------------------------------------------


async def _start_plan_dialog(flow: Flow, faker: Faker) -> None:
    await flow.seed(faker)
    await _open_vip(flow)
    step = await flow.click(ADMIN, "New plan")
    assert step.text == admin_texts.ASK_PLAN_NAME


async def test_a_new_plan_is_created_step_by_step(flow: Flow, faker: Faker) -> None:
    await _start_plan_dialog(flow, faker)

    days = await flow.send(ADMIN, "weekly")
    price = await flow.send(ADMIN, "7")
    summary = await flow.send(ADMIN, "4.99")
    saved = await flow.click(ADMIN, "Save")

    assert days.text == admin_texts.ASK_PLAN_DAYS
    assert price.text == admin_texts.ASK_PLAN_PRICE
    assert summary.text == "🆕 New plan\nName: weekly\nDays: 7\nPrice: 4.99\nSave it?"
    assert summary.buttons == ["Save", "Cancel"]
    assert saved.text.startswith("✅ Plan weekly created.\n\n💎 VIP\nPlans:\n")
    assert "• weekly — 7 days, 4.99" in saved.text
    assert saved.buttons == ["Issue token", "Subscribers", "New plan", "Back"]
    (plan,) = await flow.scalars(select(Plan).where(Plan.name == "weekly"))
    assert (plan.days, plan.price_cents, plan.active) == (7, 499, True)


async def test_plan_dialog_inputs_are_checked_and_asked_again(flow: Flow, faker: Faker) -> None:
    await _start_plan_dialog(flow, faker)

    long_name = await flow.send(ADMIN, "x" * 40)
    taken = await flow.send(ADMIN, "Monthly")
    await flow.send(ADMIN, "weekly")
    not_number = await flow.send(ADMIN, "seven")
    too_many = await flow.send(ADMIN, "5000")
    await flow.send(ADMIN, "7")
    negative = await flow.send(ADMIN, "-1")
    too_precise = await flow.send(ADMIN, "1.999")
    photo = await flow.send_photo(ADMIN)
    summary = await flow.send(ADMIN, "2,50")

    assert long_name.text == (
        f"⚠️ The name is 40 characters long; the limit is 32.\n{admin_texts.ASK_PLAN_NAME}"
    )
    assert taken.text == (f"⚠️ A plan named “Monthly” already exists.\n{admin_texts.ASK_PLAN_NAME}")
    assert not_number.text == (
        f"⚠️ Send a whole number of days from 1 to 3650.\n{admin_texts.ASK_PLAN_DAYS}"
    )
    assert too_many.text == (
        f"⚠️ 5000 is out of range: send a number from 1 to 3650.\n{admin_texts.ASK_PLAN_DAYS}"
    )
    assert negative.text == (
        f'⚠️ Send a non-negative number such as "9.99" or "0".\n{admin_texts.ASK_PLAN_PRICE}'
    )
    assert too_precise.text == (
        f"⚠️ Prices have at most two decimal places.\n{admin_texts.ASK_PLAN_PRICE}"
    )
    assert photo.text == admin_texts.SEND_TEXT
    assert summary.text.endswith("Price: 2.50\nSave it?")


async def test_cancel_leaves_the_plan_dialog(flow: Flow, faker: Faker) -> None:
    await _start_plan_dialog(flow, faker)
    await flow.send(ADMIN, "weekly")

    cancelled = await flow.send(ADMIN, "/cancel")
    after = await flow.send(ADMIN, "14")

    assert cancelled.text == texts.CANCELLED
    assert after.text == texts.FALLBACK
    assert await flow.scalars(select(Plan).where(Plan.name == "weekly")) == []


async def test_the_cancel_button_drops_the_draft(flow: Flow, faker: Faker) -> None:
    await _start_plan_dialog(flow, faker)
    for answer in ("weekly", "7", "1"):
        await flow.send(ADMIN, answer)

    step = await flow.click(ADMIN, "Cancel")
    again = await flow.press(ADMIN, PlanDraftCb(action=PlanDraftAction.SAVE).pack())

    assert step.text == admin_texts.PLAN_CANCELLED
    assert step.buttons == ["Back"]
    assert again.alert == admin_texts.DIALOG_ENDED
    assert await flow.scalars(select(Plan).where(Plan.name == "weekly")) == []


async def test_admin_command_leaves_any_dialog(flow: Flow, faker: Faker) -> None:
    await _start_plan_dialog(flow, faker)

    await flow.send(ADMIN, "/admin")
    step = await flow.send(ADMIN, "weekly")

    assert step.text == texts.FALLBACK
