"""The user side: ``/start`` (with or without a VIP token), ``/vip``, ``/free``, ``/status``.

Also notices when a user blocks the bot (a ``my_chat_member`` update in their private chat).
"""

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.filters import (
    KICKED,
    ChatMemberUpdatedFilter,
    Command,
    CommandObject,
    CommandStart,
)
from aiogram.types import CallbackQuery, ChatMemberUpdated, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import keyboards, texts
from bot.callbacks import MenuAction, MenuCb
from bot.channels import create_vip_invite
from bot.config import Config
from bot.db.models import User
from bot.handlers.panels import show_panel
from bot.services.free_requests import get_pending_request
from bot.services.settings import load_settings
from bot.services.subscriptions import get_active_subscription
from bot.services.tokens import RedeemStatus, redeem_token

_REDEEM_FAILURES = {
    RedeemStatus.INVALID: texts.TOKEN_INVALID,
    RedeemStatus.USED: texts.TOKEN_USED,
    RedeemStatus.EXPIRED: texts.TOKEN_EXPIRED,
}


async def start(message: Message, session: AsyncSession, config: Config, db_user: User) -> None:
    settings = await load_settings(session, config.default_settings())
    await message.answer(
        texts.main_menu(settings.welcome_text, db_user.first_name),
        reply_markup=keyboards.main_menu(),
    )


async def start_with_token(
    message: Message,
    *,
    command: CommandObject,
    bot: Bot,
    session: AsyncSession,
    config: Config,
    db_user: User,
) -> None:
    """``/start <token>``: redeem a VIP token and send a one-use invite link."""
    result = await redeem_token(session, token=command.args or "", user_id=db_user.id)
    if result.subscription is None:
        await message.answer(_REDEEM_FAILURES[result.status])
        return
    subscription = result.subscription
    settings = await load_settings(session, config.default_settings())
    link = await create_vip_invite(bot, settings.vip_channel_id, subscription.ends_at)
    if link is not None:
        subscription.invite_link = link
    await message.answer(texts.vip_granted(subscription, link), reply_markup=keyboards.main_menu())


async def vip_text(session: AsyncSession, user_id: int) -> str:
    return texts.vip_status(await get_active_subscription(session, user_id))


async def free_text(session: AsyncSession, config: Config, user_id: int) -> str:
    settings = await load_settings(session, config.default_settings())
    request = await get_pending_request(session, user_id, settings.free_channel_id)
    return texts.free_status(request, settings.free_wait_seconds)


async def status_text(session: AsyncSession, config: Config, user_id: int) -> str:
    return f"{await vip_text(session, user_id)}\n\n{await free_text(session, config, user_id)}"


async def vip_command(message: Message, session: AsyncSession, db_user: User) -> None:
    await message.answer(await vip_text(session, db_user.id))


async def free_command(
    message: Message, session: AsyncSession, config: Config, db_user: User
) -> None:
    await message.answer(await free_text(session, config, db_user.id))


async def status_command(
    message: Message, session: AsyncSession, config: Config, db_user: User
) -> None:
    await message.answer(await status_text(session, config, db_user.id))


async def menu_pressed(
    callback: CallbackQuery,
    callback_data: MenuCb,
    session: AsyncSession,
    config: Config,
    db_user: User,
) -> None:
    """The main menu's buttons edit the menu message in place."""
    match callback_data.action:
        case MenuAction.VIP:
            text = await vip_text(session, db_user.id)
        case MenuAction.FREE:
            text = await free_text(session, config, db_user.id)
        case MenuAction.STATUS:
            text = await status_text(session, config, db_user.id)
        case _:
            settings = await load_settings(session, config.default_settings())
            await show_panel(
                callback,
                texts.main_menu(settings.welcome_text, db_user.first_name),
                keyboards.main_menu(),
            )
            await callback.answer()
            return
    await show_panel(callback, text, keyboards.back_to_menu())
    await callback.answer()


async def bot_blocked(event: ChatMemberUpdated, db_user: User) -> None:
    """The user blocked the bot: skip them in broadcasts until they write again."""
    db_user.blocked_bot = True


def create_router() -> Router:
    router = Router(name="user")
    router.message.filter(F.chat.type == ChatType.PRIVATE)
    router.message.register(start_with_token, CommandStart(deep_link=True))
    router.message.register(start, CommandStart())
    router.message.register(vip_command, Command("vip"))
    router.message.register(free_command, Command("free"))
    router.message.register(status_command, Command("status"))
    router.callback_query.register(menu_pressed, MenuCb.filter())
    router.my_chat_member.register(
        bot_blocked,
        ChatMemberUpdatedFilter(member_status_changed=KICKED),
        F.chat.type == ChatType.PRIVATE,
    )
    return router
