"""``/admin`` and the main admin panel (the target of every Back button)."""

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import admin_texts, keyboards
from bot.callbacks import AdminCb, AdminSection
from bot.handlers.panels import show_panel


async def admin_command(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(admin_texts.ADMIN_PANEL, reply_markup=keyboards.admin_panel())


async def admin_home(callback: CallbackQuery, state: FSMContext) -> None:
    # Back also leaves any dialog the panel was in.
    await state.clear()
    await show_panel(callback, admin_texts.ADMIN_PANEL, keyboards.admin_panel())
    await callback.answer()


def create_router() -> Router:
    router = Router(name="admin.panel")
    router.message.register(admin_command, Command("admin"))
    router.callback_query.register(admin_home, AdminCb.filter(F.section == AdminSection.HOME))
    return router
