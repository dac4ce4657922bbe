"""The Free section: wait time (shown and set), pending requests, approve all now."""

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import admin_texts, keyboards
from bot.callbacks import AdminCb, AdminSection, FreeAction, FreeCb, PendingCb
from bot.config import Config
from bot.handlers.panels import show_panel
from bot.jobs import approve_join_requests
from bot.parsing import InputError, parse_wait_time
from bot.services.free_requests import count_pending, list_pending, pending_requests
from bot.services.settings import SettingKey, load_settings, save_setting
from bot.states import SetFreeWait


async def panel_text(session: AsyncSession, config: Config) -> str:
    settings = await load_settings(session, config.default_settings())
    return admin_texts.free_panel(settings.free_wait_seconds, await count_pending(session))


async def free_section(callback: CallbackQuery, session: AsyncSession, config: Config) -> None:
    await show_panel(callback, await panel_text(session, config), keyboards.free_panel())
    await callback.answer()


async def ask_wait(callback: CallbackQuery, state: FSMContext) -> None:
    await state.set_state(SetFreeWait.value)
    await show_panel(callback, admin_texts.ASK_WAIT)
    await callback.answer()


async def wait_entered(
    message: Message, state: FSMContext, session: AsyncSession, config: Config
) -> None:
    try:
        seconds = parse_wait_time(message.text or "")
    except InputError as error:
        await message.answer(admin_texts.invalid_input(str(error), admin_texts.ASK_WAIT))
        return
    await save_setting(session, SettingKey.FREE_WAIT_SECONDS, seconds)
    await state.clear()
    text = f"{admin_texts.wait_set(seconds)}\n\n{await panel_text(session, config)}"
    await message.answer(text, reply_markup=keyboards.free_panel())


async def pending(
    callback: CallbackQuery, callback_data: PendingCb, session: AsyncSession
) -> None:
    page = await list_pending(session, callback_data.page)
    await show_panel(callback, admin_texts.pending_page(page), keyboards.pending_page(page))
    await callback.answer()


async def approve_all(
    callback: CallbackQuery, bot: Bot, session: AsyncSession, config: Config
) -> None:
    """Approve every pending request now, whatever its scheduled time."""
    approved = await approve_join_requests(bot, session, await pending_requests(session))
    report = admin_texts.approved_all(approved)
    text = f"{report}\n\n{await panel_text(session, config)}"
    await show_panel(callback, text, keyboards.free_panel())
    await callback.answer(report)


def create_router() -> Router:
    router = Router(name="admin.free")
    router.callback_query.register(free_section, AdminCb.filter(F.section == AdminSection.FREE))
    router.callback_query.register(ask_wait, FreeCb.filter(F.action == FreeAction.SET_WAIT))
    router.callback_query.register(approve_all, FreeCb.filter(F.action == FreeAction.APPROVE_ALL))
    router.callback_query.register(pending, PendingCb.filter())
    router.message.register(wait_entered, StateFilter(SetFreeWait.value), F.text)
    return router
