"""The Broadcast section: text -> preview with the recipient count -> Send or Cancel."""

from collections.abc import Sequence

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import admin_texts, keyboards
from bot.callbacks import AdminCb, AdminSection, BroadcastAction, BroadcastCb
from bot.handlers.panels import show_panel
from bot.notify import notify
from bot.services.users import broadcast_recipient_ids, count_broadcast_recipients
from bot.states import Broadcast


async def send_broadcast(
    bot: Bot, session: AsyncSession, user_ids: Sequence[int], text: str
) -> tuple[int, int]:
    """Send ``text`` to each user; return (sent, failed). Blocked users are marked as such."""
    sent = 0
    for user_id in user_ids:
        if await notify(bot, session, user_id, text):
            sent += 1
    return sent, len(user_ids) - sent


async def ask_text(callback: CallbackQuery, state: FSMContext) -> None:
    await state.set_state(Broadcast.text)
    await show_panel(callback, admin_texts.ASK_BROADCAST)
    await callback.answer()


async def text_entered(message: Message, state: FSMContext, session: AsyncSession) -> None:
    # The HTML form keeps the admin's bold, links etc. and escapes everything else.
    text = message.html_text
    await state.update_data(text=text)
    await state.set_state(Broadcast.confirm)
    recipients = await count_broadcast_recipients(session)
    await message.answer(
        admin_texts.broadcast_preview(text, recipients),
        reply_markup=keyboards.broadcast_confirm(),
    )


async def confirm_pressed(
    callback: CallbackQuery,
    callback_data: BroadcastCb,
    state: FSMContext,
    bot: Bot,
    session: AsyncSession,
) -> None:
    if await state.get_state() != Broadcast.confirm.state:
        await callback.answer(admin_texts.DIALOG_ENDED, show_alert=True)
        return
    data = await state.get_data()
    await state.clear()
    if callback_data.action == BroadcastAction.CANCEL:
        await show_panel(callback, admin_texts.BROADCAST_CANCELLED, keyboards.back_to_admin())
        await callback.answer()
        return
    user_ids = await broadcast_recipient_ids(session)
    await show_panel(callback, admin_texts.broadcast_sending(len(user_ids)))
    await callback.answer()
    sent, failed = await send_broadcast(bot, session, user_ids, data["text"])
    await bot.send_message(
        callback.from_user.id,
        admin_texts.broadcast_report(sent, failed),
        reply_markup=keyboards.back_to_admin(),
    )


def create_router() -> Router:
    router = Router(name="admin.broadcast")
    router.callback_query.register(ask_text, AdminCb.filter(F.section == AdminSection.BROADCAST))
    router.message.register(text_entered, StateFilter(Broadcast.text), F.text)
    router.callback_query.register(confirm_pressed, BroadcastCb.filter())
    return router
