"""Showing a panel from a button press: edit the message in place like a real bot."""

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message


async def show_panel(
    callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Replace the pressed message's text and keyboard, or send a new message if too old.

    Pressing a button that would show the same panel again is not an error.
    """
    message = callback.message
    if isinstance(message, Message):
        try:
            await message.edit_text(text, reply_markup=markup)
        except TelegramBadRequest as error:
            if "message is not modified" not in error.message:
                raise
    elif callback.bot is not None:
        # The message is inaccessible (older than 48 hours): start a fresh one.
        await callback.bot.send_message(callback.from_user.id, text, reply_markup=markup)
