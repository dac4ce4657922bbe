"""A small bot that exercises every verb and expectation of the scenario language.

Routers are built per call (the style replay recommends); `create_app` is the adapter.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.methods import SendMessage
from aiogram.types import (
    CallbackQuery,
    ChatJoinRequest,
    ChatMemberUpdated,
    ErrorEvent,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder

from replay import App, SandboxContext


class Survey(StatesGroup):
    name = State()
    age = State()


class Boom(Exception):
    pass


def create_router(admin_ids: tuple[int, ...]) -> Router:
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message, command: CommandObject) -> None:
        builder = InlineKeyboardBuilder()
        builder.button(text="Yes", callback_data="answer:yes")
        builder.button(text="No", callback_data="answer:no")
        builder.button(text="Docs", url="https://example.com")
        args = f" ({command.args})" if command.args else ""
        await message.answer(
            f"<b>Hello</b>, {message.from_user.first_name}{args}! Ready?",
            reply_markup=builder.as_markup(),
        )

    @router.callback_query(F.data.startswith("answer:"))
    async def answer(callback: CallbackQuery) -> None:
        choice = callback.data.split(":")[1]
        await callback.message.edit_text(f"You said {choice}")
        await callback.answer("Noted")

    @router.callback_query(F.data == "adm:vip")
    async def admin_vip(callback: CallbackQuery) -> None:
        # No button carries this data for a non-admin: only a forged press reaches here.
        if callback.from_user.id not in admin_ids:
            await callback.answer("Admins only.", show_alert=True)
            return
        if callback.message is not None:
            await callback.message.edit_text("VIP panel")
        await callback.answer()

    @router.message(Command("menu"))
    async def menu(message: Message) -> None:
        keyboard = ReplyKeyboardMarkup(
            keyboard=[[KeyboardButton(text="Help")]], resize_keyboard=True
        )
        await message.answer("Menu", reply_markup=keyboard)

    @router.message(Command("token"))
    async def token(message: Message) -> None:
        await message.answer("Your link: https://t.me/replay_bot?start=tok123abc")

    @router.message(Command("plan"))
    async def plan(message: Message) -> None:
        await message.answer("Plan: monthly\nEnds: 2030-01-01\nStatus: active")

    @router.message(Command("survey"))
    async def survey(message: Message, state: FSMContext) -> None:
        await state.set_state(Survey.name)
        await message.answer("What is your name?")

    @router.message(Survey.name, F.text)
    async def survey_name(message: Message, state: FSMContext) -> None:
        await state.update_data(name=message.text)
        await state.set_state(Survey.age)
        await message.answer("How old are you?")

    @router.message(Survey.age, F.text)
    async def survey_age(message: Message, state: FSMContext) -> None:
        if not (message.text or "").isdigit():
            await message.answer("Please send a number.")
            return
        data = await state.get_data()
        await state.clear()
        await message.answer(f"Thanks, {data['name']} ({message.text})")

    @router.message(Command("admin"))
    async def admin(message: Message) -> None:
        if message.from_user.id not in admin_ids:
            await message.answer("Admins only.")
            return
        await message.answer("Admin panel")

    @router.message(Command("raise"))
    async def raise_(message: Message) -> None:
        raise Boom("handler exploded")

    @router.message(Command("caught"))
    async def caught(message: Message) -> None:
        raise ValueError("caught by the error router")

    @router.message(Command("hang"))
    async def hang(message: Message) -> None:
        await asyncio.sleep(3600)

    @router.message(Command("block"))
    async def block(message: Message) -> None:
        time.sleep(3)  # the classic mistake: a synchronous sleep in an async handler
        await message.answer("unblocked")

    @router.message(Command("webhook"))
    async def webhook(message: Message) -> SendMessage:
        return message.answer("returned, not awaited")

    @router.message(Command("many"))
    async def many(message: Message) -> None:
        for number in range(3):
            await message.answer(f"message {number}")

    @router.message(Command("silent"))
    async def silent(message: Message) -> None:
        return None

    @router.message(Command("blocked"))
    async def to_blocked(message: Message, bot: Bot) -> None:
        target = int((message.text or "").split()[1])
        try:
            await bot.send_message(target, "hi")
        except Exception as exc:  # noqa: BLE001
            await message.answer(f"failed: {type(exc).__name__}")
        else:
            await message.answer("delivered")

    @router.message(F.photo)
    async def photo(message: Message) -> None:
        await message.answer("Nice photo")

    @router.message(F.document)
    async def document(message: Message) -> None:
        await message.answer(f"Got {message.document.file_name}")

    @router.message(F.contact)
    async def contact(message: Message) -> None:
        await message.answer(f"Phone {message.contact.phone_number}")

    @router.message(F.text == "Help")
    async def help_(message: Message) -> None:
        await message.answer("Help text")

    @router.chat_join_request()
    async def join(request: ChatJoinRequest, bot: Bot) -> None:
        await request.approve()
        await bot.send_message(request.from_user.id, f"Welcome to {request.chat.title}")

    @router.chat_member()
    async def member(update: ChatMemberUpdated, bot: Bot) -> None:
        status = update.new_chat_member.status
        await bot.send_message(update.new_chat_member.user.id, f"status {status}")

    @router.error()
    async def on_error(event: ErrorEvent) -> bool | None:
        if isinstance(event.exception, ValueError):
            return True
        return None

    return router


async def ping(bot: Bot) -> int:
    await bot.send_message(-1001, "ping")
    return 1


def create_app(ctx: SandboxContext) -> App:
    dispatcher = Dispatcher()
    dispatcher.include_router(create_router(ctx.admin_ids))
    bot = Bot("42:basic-fixture", default=DefaultBotProperties(parse_mode="HTML"))
    jobs: dict[str, Any] = {"ping": ping}
    return App(dispatcher=dispatcher, jobs=jobs, bot=bot)
