"""Inline keyboards for the main menu and the admin panel."""

from collections.abc import Callable, Sequence
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot import admin_texts as at
from bot import texts
from bot.callbacks import (
    AdminCb,
    AdminSection,
    BroadcastAction,
    BroadcastCb,
    FreeAction,
    FreeCb,
    IssueTokenCb,
    MenuAction,
    MenuCb,
    PendingCb,
    PlanDraftAction,
    PlanDraftCb,
    SubscribersCb,
    SubscriptionAction,
    SubscriptionCb,
    UserAction,
    UserCb,
    UsersCb,
    UserSearchCb,
    VipAction,
    VipCb,
)
from bot.db.models import Plan, Subscription, User
from bot.services.pagination import Page


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _back_to_admin() -> InlineKeyboardButton:
    return _button(texts.BTN_BACK, AdminCb(section=AdminSection.HOME))


def _pager(
    page: Page[Any], make: Callable[[int], CallbackData]
) -> list[list[InlineKeyboardButton]]:
    """A Prev/Next row (as a list of zero or one rows, to splice into a keyboard)."""
    row = []
    if page.has_prev:
        row.append(_button(texts.BTN_PREV, make(page.number - 1)))
    if page.has_next:
        row.append(_button(texts.BTN_NEXT, make(page.number + 1)))
    return [row] if row else []


def main_menu() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(texts.BTN_VIP, MenuCb(action=MenuAction.VIP)),
                _button(texts.BTN_FREE, MenuCb(action=MenuAction.FREE)),
                _button(texts.BTN_STATUS, MenuCb(action=MenuAction.STATUS)),
            ]
        ]
    )


def back_to_menu() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[_button(texts.BTN_BACK, MenuCb(action=MenuAction.HOME))]]
    )


def admin_panel() -> InlineKeyboardMarkup:
    sections = [
        (at.BTN_SECTION_VIP, AdminSection.VIP),
        (at.BTN_SECTION_FREE, AdminSection.FREE),
        (at.BTN_SECTION_USERS, AdminSection.USERS),
        (at.BTN_SECTION_STATS, AdminSection.STATS),
        (at.BTN_SECTION_BROADCAST, AdminSection.BROADCAST),
    ]
    builder = InlineKeyboardBuilder()
    for label, section in sections:
        builder.add(_button(label, AdminCb(section=section)))
    builder.adjust(2)
    return builder.as_markup()


def back_to_admin() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[_back_to_admin()]])


def vip_panel() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(at.BTN_ISSUE_TOKEN, VipCb(action=VipAction.ISSUE)),
                _button(at.BTN_SUBSCRIBERS, SubscribersCb(page=0)),
            ],
            [_button(at.BTN_NEW_PLAN, VipCb(action=VipAction.NEW_PLAN))],
            [_back_to_admin()],
        ]
    )


def choose_plan(plans: Sequence[Plan]) -> InlineKeyboardMarkup:
    rows = [[_button(plan.name, IssueTokenCb(plan_id=plan.id))] for plan in plans]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, [_back_to_admin()]])


def subscribers_page(page: Page[Subscription]) -> InlineKeyboardMarkup:
    rows = [
        [
            _button(
                f"{texts.button_name(sub.user)} · {sub.plan.name}",
                SubscriptionCb(action=SubscriptionAction.SHOW, subscription_id=sub.id),
            )
        ]
        for sub in page.items
    ]
    pager = _pager(page, lambda number: SubscribersCb(page=number))
    return InlineKeyboardMarkup(inline_keyboard=[*rows, *pager, [_back_to_admin()]])


def subscription_card(subscription: Subscription, *, active: bool) -> InlineKeyboardMarkup:
    rows = []
    if active:
        rows.append(_subscription_actions(subscription.id, from_card=False))
    rows.append([_back_to_admin()])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _subscription_actions(subscription_id: int, *, from_card: bool) -> list[InlineKeyboardButton]:
    return [
        _button(
            label,
            SubscriptionCb(action=action, subscription_id=subscription_id, from_card=from_card),
        )
        for label, action in (
            (at.BTN_EXTEND, SubscriptionAction.EXTEND),
            (at.BTN_REVOKE, SubscriptionAction.REVOKE),
        )
    ]


def plan_confirm() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(at.BTN_SAVE, PlanDraftCb(action=PlanDraftAction.SAVE)),
                _button(at.BTN_CANCEL, PlanDraftCb(action=PlanDraftAction.CANCEL)),
            ]
        ]
    )


def free_panel() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(at.BTN_SET_WAIT, FreeCb(action=FreeAction.SET_WAIT)),
                _button(at.BTN_PENDING, PendingCb(page=0)),
            ],
            [_button(at.BTN_APPROVE_ALL, FreeCb(action=FreeAction.APPROVE_ALL))],
            [_back_to_admin()],
        ]
    )


def pending_page(page: Page[Any]) -> InlineKeyboardMarkup:
    pager = _pager(page, lambda number: PendingCb(page=number))
    return InlineKeyboardMarkup(
        inline_keyboard=[
            *pager,
            [_button(at.BTN_APPROVE_ALL, FreeCb(action=FreeAction.APPROVE_ALL))],
            [_back_to_admin()],
        ]
    )


def user_buttons(users: Sequence[User]) -> list[list[InlineKeyboardButton]]:
    return [
        [_button(texts.button_name(user), UserCb(action=UserAction.SHOW, user_id=user.id))]
        for user in users
    ]


def users_page(page: Page[User]) -> InlineKeyboardMarkup:
    pager = _pager(page, lambda number: UsersCb(page=number))
    return InlineKeyboardMarkup(
        inline_keyboard=[
            *user_buttons(page.items),
            *pager,
            [_button(at.BTN_SEARCH, UserSearchCb())],
            [_back_to_admin()],
        ]
    )


def search_results(users: Sequence[User]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            *user_buttons(users),
            [_button(at.BTN_SEARCH, UserSearchCb())],
            [_back_to_admin()],
        ]
    )


def user_card(user: User, active: Subscription | None) -> InlineKeyboardMarkup:
    action = UserAction.UNBAN if user.banned else UserAction.BAN
    label = at.BTN_UNBAN if user.banned else at.BTN_BAN
    rows = [[_button(label, UserCb(action=action, user_id=user.id))]]
    if active is not None:
        rows.append(_subscription_actions(active.id, from_card=True))
    rows.append([_back_to_admin()])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def broadcast_confirm() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(at.BTN_SEND, BroadcastCb(action=BroadcastAction.SEND)),
                _button(at.BTN_CANCEL, BroadcastCb(action=BroadcastAction.CANCEL)),
            ]
        ]
    )
