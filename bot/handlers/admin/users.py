"""The Users section: the list, search, the user card, ban and unban."""

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import admin_texts, keyboards
from bot.callbacks import AdminCb, AdminSection, UserAction, UserCb, UsersCb, UserSearchCb
from bot.channels import ban_member, unban_member
from bot.config import Config
from bot.db.models import Role, User
from bot.handlers.panels import show_panel
from bot.services.settings import load_settings
from bot.services.subscriptions import is_active
from bot.services.users import get_user_card, list_users, search_users, set_banned
from bot.states import UserSearch


async def show_user_card(callback: CallbackQuery, session: AsyncSession, user_id: int) -> bool:
    """Render the user card on the pressed message; False if the user does not exist."""
    user = await get_user_card(session, user_id)
    if user is None:
        return False
    await render_user_card(callback, user)
    return True


async def render_user_card(callback: CallbackQuery, user: User) -> None:
    """Render the card of a user loaded by ``get_user_card`` (no further queries)."""
    active = next((sub for sub in reversed(user.subscriptions) if is_active(sub)), None)
    await show_panel(callback, admin_texts.user_card(user), keyboards.user_card(user, active))


async def users_section(callback: CallbackQuery, session: AsyncSession) -> None:
    await _show_page(callback, session, 0)


async def users_page(
    callback: CallbackQuery, callback_data: UsersCb, session: AsyncSession
) -> None:
    await _show_page(callback, session, callback_data.page)


async def _show_page(callback: CallbackQuery, session: AsyncSession, number: int) -> None:
    page = await list_users(session, number)
    await show_panel(callback, admin_texts.users_page(page), keyboards.users_page(page))
    await callback.answer()


async def ask_search(callback: CallbackQuery, state: FSMContext) -> None:
    await state.set_state(UserSearch.query)
    await show_panel(callback, admin_texts.ASK_SEARCH)
    await callback.answer()


async def search_entered(message: Message, state: FSMContext, session: AsyncSession) -> None:
    query = message.text or ""
    await state.clear()
    users = await search_users(session, query)
    await message.answer(
        admin_texts.search_results(query, users), reply_markup=keyboards.search_results(users)
    )


async def user_pressed(
    callback: CallbackQuery,
    callback_data: UserCb,
    bot: Bot,
    session: AsyncSession,
    config: Config,
) -> None:
    """Open a user card, or ban/unban the user and show the card again."""
    user = await get_user_card(session, callback_data.user_id)
    if user is None:
        await callback.answer(admin_texts.USER_GONE, show_alert=True)
        return
    alert: str | None = None
    if callback_data.action == UserAction.BAN:
        if user.role == Role.ADMIN or config.is_admin(user.id):
            await callback.answer(admin_texts.CANNOT_BAN_ADMIN, show_alert=True)
            return
        await set_banned(session, user, banned=True)
        if any(is_active(sub) for sub in user.subscriptions):
            settings = await load_settings(session, config.default_settings())
            await ban_member(bot, settings.vip_channel_id, user.id)
        alert = admin_texts.USER_BANNED
    elif callback_data.action == UserAction.UNBAN:
        await set_banned(session, user, banned=False)
        settings = await load_settings(session, config.default_settings())
        await unban_member(bot, settings.vip_channel_id, user.id)
        alert = admin_texts.USER_UNBANNED
    # The card was loaded above and ban/unban only changed ``user.banned``: render it again
    # from the same objects rather than loading the user and their rows a second time.
    await render_user_card(callback, user)
    await callback.answer(alert)


def create_router() -> Router:
    router = Router(name="admin.users")
    router.callback_query.register(users_section, AdminCb.filter(F.section == AdminSection.USERS))
    router.callback_query.register(users_page, UsersCb.filter())
    router.callback_query.register(ask_search, UserSearchCb.filter())
    router.callback_query.register(user_pressed, UserCb.filter())
    router.message.register(search_entered, StateFilter(UserSearch.query), F.text)
    return router
