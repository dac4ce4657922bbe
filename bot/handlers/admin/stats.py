"""The Stats section."""

from aiogram import F, Router
from aiogram.types import CallbackQuery
from sqlalchemy.ext.asyncio import AsyncSession

from bot import admin_texts, keyboards
from bot.callbacks import AdminCb, AdminSection
from bot.handlers.panels import show_panel
from bot.services.stats import collect_stats


async def stats_section(callback: CallbackQuery, session: AsyncSession) -> None:
    data = await collect_stats(session)
    await show_panel(callback, admin_texts.stats(data), keyboards.back_to_admin())
    await callback.answer()


def create_router() -> Router:
    router = Router(name="admin.stats")
    router.callback_query.register(stats_section, AdminCb.filter(F.section == AdminSection.STATS))
    return router
