"""The VIP section: plans overview, token issuing, subscribers, extend and revoke."""

from collections.abc import Callable

from aiogram import Bot, F, Router
from aiogram.types import CallbackQuery
from sqlalchemy.ext.asyncio import AsyncSession

from bot import admin_texts, keyboards, texts
from bot.callbacks import (
    AdminCb,
    AdminSection,
    IssueTokenCb,
    SubscribersCb,
    SubscriptionAction,
    SubscriptionCb,
    VipAction,
    VipCb,
)
from bot.channels import kick_member
from bot.config import Config
from bot.db.models import User
from bot.handlers.admin.users import show_user_card
from bot.handlers.panels import show_panel
from bot.notify import notify
from bot.services.plans import get_plan, list_plans
from bot.services.settings import load_settings
from bot.services.subscriptions import (
    SubscriptionNotActiveError,
    count_active_subscriptions,
    extend_subscription,
    get_subscription,
    is_active,
    list_active_subscriptions,
    revoke_subscription,
)
from bot.services.tokens import issue_token


async def vip_section(callback: CallbackQuery, session: AsyncSession) -> None:
    plans = await list_plans(session)
    active = await count_active_subscriptions(session)
    await show_panel(callback, admin_texts.vip_panel(plans, active), keyboards.vip_panel())
    await callback.answer()


async def choose_plan(callback: CallbackQuery, session: AsyncSession) -> None:
    plans = await list_plans(session)
    if not plans:
        await show_panel(callback, admin_texts.NO_PLANS, keyboards.vip_panel())
    else:
        await show_panel(callback, admin_texts.CHOOSE_PLAN, keyboards.choose_plan(plans))
    await callback.answer()


async def issue(
    callback: CallbackQuery,
    *,
    callback_data: IssueTokenCb,
    bot: Bot,
    session: AsyncSession,
    db_user: User,
    token_factory: Callable[[], str],
) -> None:
    """Create a token for the chosen plan and show it with its ``/start`` deep link."""
    plan = await get_plan(session, callback_data.plan_id)
    if plan is None or not plan.active:
        await callback.answer(admin_texts.PLAN_GONE, show_alert=True)
        return
    token = await issue_token(session, plan=plan, creator_id=db_user.id, token=token_factory())
    me = await bot.me()
    link = f"https://t.me/{me.username}?start={token.token}"
    await show_panel(callback, admin_texts.token_issued(token, link), keyboards.back_to_admin())
    await callback.answer()


async def subscribers(
    callback: CallbackQuery, callback_data: SubscribersCb, session: AsyncSession
) -> None:
    page = await list_active_subscriptions(session, callback_data.page)
    await show_panel(
        callback, admin_texts.subscribers_page(page), keyboards.subscribers_page(page)
    )
    await callback.answer()


async def subscription(
    callback: CallbackQuery,
    callback_data: SubscriptionCb,
    bot: Bot,
    session: AsyncSession,
    config: Config,
) -> None:
    """Show, extend or revoke a subscription; re-render the card the button was on."""
    sub = await get_subscription(session, callback_data.subscription_id)
    if sub is None:
        await callback.answer(admin_texts.SUBSCRIPTION_GONE, show_alert=True)
        return
    alert: str | None = None
    try:
        if callback_data.action == SubscriptionAction.EXTEND:
            await extend_subscription(session, sub)
            await notify(bot, session, sub.user_id, texts.subscription_extended(sub))
            alert = f"Extended until {texts.format_dt(sub.ends_at)}."
        elif callback_data.action == SubscriptionAction.REVOKE:
            await revoke_subscription(session, sub)
            settings = await load_settings(session, config.default_settings())
            await kick_member(bot, settings.vip_channel_id, sub.user_id)
            await notify(bot, session, sub.user_id, texts.SUBSCRIPTION_REVOKED)
            alert = admin_texts.REVOKED
    except SubscriptionNotActiveError:
        alert = admin_texts.SUBSCRIPTION_NOT_ACTIVE
    if callback_data.from_card:
        await show_user_card(callback, session, sub.user_id)
    else:
        markup = keyboards.subscription_card(sub, active=is_active(sub))
        await show_panel(callback, admin_texts.subscription_card(sub), markup)
    await callback.answer(alert)


def create_router() -> Router:
    router = Router(name="admin.vip")
    router.callback_query.register(vip_section, AdminCb.filter(F.section == AdminSection.VIP))
    router.callback_query.register(choose_plan, VipCb.filter(F.action == VipAction.ISSUE))
    router.callback_query.register(issue, IssueTokenCb.filter())
    router.callback_query.register(subscribers, SubscribersCb.filter())
    router.callback_query.register(subscription, SubscriptionCb.filter())
    return router
