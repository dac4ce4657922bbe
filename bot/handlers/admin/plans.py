"""The "New plan" dialog: name -> days -> price -> Save/Cancel, each input validated."""

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import admin_texts, keyboards
from bot.callbacks import PlanDraftAction, PlanDraftCb, VipAction, VipCb
from bot.handlers.panels import show_panel
from bot.parsing import InputError, parse_plan_days, parse_plan_name, parse_price
from bot.services.plans import (
    PlanNameTakenError,
    create_plan,
    list_plans,
    plan_name_taken,
)
from bot.services.subscriptions import count_active_subscriptions
from bot.states import NewPlan


async def start_dialog(callback: CallbackQuery, state: FSMContext) -> None:
    await state.set_state(NewPlan.name)
    await show_panel(callback, admin_texts.ASK_PLAN_NAME)
    await callback.answer()


async def name_entered(message: Message, state: FSMContext, session: AsyncSession) -> None:
    try:
        name = parse_plan_name(message.text or "")
    except InputError as error:
        await message.answer(admin_texts.invalid_input(str(error), admin_texts.ASK_PLAN_NAME))
        return
    if await plan_name_taken(session, name):
        taken = f"A plan named “{name}” already exists."
        await message.answer(admin_texts.invalid_input(taken, admin_texts.ASK_PLAN_NAME))
        return
    await state.update_data(name=name)
    await state.set_state(NewPlan.days)
    await message.answer(admin_texts.ASK_PLAN_DAYS)


async def days_entered(message: Message, state: FSMContext) -> None:
    try:
        days = parse_plan_days(message.text or "")
    except InputError as error:
        await message.answer(admin_texts.invalid_input(str(error), admin_texts.ASK_PLAN_DAYS))
        return
    await state.update_data(days=days)
    await state.set_state(NewPlan.price)
    await message.answer(admin_texts.ASK_PLAN_PRICE)


async def price_entered(message: Message, state: FSMContext) -> None:
    try:
        price_cents = parse_price(message.text or "")
    except InputError as error:
        await message.answer(admin_texts.invalid_input(str(error), admin_texts.ASK_PLAN_PRICE))
        return
    data = await state.update_data(price_cents=price_cents)
    await state.set_state(NewPlan.confirm)
    await message.answer(
        admin_texts.new_plan_summary(data["name"], data["days"], price_cents),
        reply_markup=keyboards.plan_confirm(),
    )


async def not_text(message: Message) -> None:
    await message.answer(admin_texts.SEND_TEXT)


async def confirm_pressed(
    callback: CallbackQuery,
    callback_data: PlanDraftCb,
    state: FSMContext,
    session: AsyncSession,
) -> None:
    if await state.get_state() != NewPlan.confirm.state:
        await callback.answer(admin_texts.DIALOG_ENDED, show_alert=True)
        return
    if callback_data.action == PlanDraftAction.CANCEL:
        await state.clear()
        await show_panel(callback, admin_texts.PLAN_CANCELLED, keyboards.back_to_admin())
        await callback.answer()
        return
    data = await state.get_data()
    try:
        plan = await create_plan(
            session, name=data["name"], days=data["days"], price_cents=data["price_cents"]
        )
    except PlanNameTakenError as error:
        # Someone else took the name while this dialog was open: ask for another one.
        await state.set_state(NewPlan.name)
        await show_panel(
            callback, admin_texts.invalid_input(str(error), admin_texts.ASK_PLAN_NAME)
        )
        await callback.answer()
        return
    await state.clear()
    panel = admin_texts.vip_panel(
        await list_plans(session), await count_active_subscriptions(session)
    )
    await show_panel(
        callback, f"{admin_texts.plan_created(plan)}\n\n{panel}", keyboards.vip_panel()
    )
    await callback.answer()


def create_router() -> Router:
    router = Router(name="admin.plans")
    router.callback_query.register(start_dialog, VipCb.filter(F.action == VipAction.NEW_PLAN))
    router.message.register(name_entered, StateFilter(NewPlan.name), F.text)
    router.message.register(days_entered, StateFilter(NewPlan.days), F.text)
    router.message.register(price_entered, StateFilter(NewPlan.price), F.text)
    router.message.register(not_text, StateFilter(NewPlan.name, NewPlan.days, NewPlan.price))
    router.callback_query.register(confirm_pressed, PlanDraftCb.filter())
    return router
