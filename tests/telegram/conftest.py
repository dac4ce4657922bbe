"""An offline Telegram per test: a real aiogram Bot (HTML by default), its world and session."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode

from replay.telegram import OFFLINE_TOKEN, OfflineTelegram, TgChat, TgUser

ALICE = TgUser(101, first_name="Alice", username="alice", language_code="en")
BOB = TgUser(102, first_name="Bob", last_name="Builder")
CHANNEL = TgChat(-1001234, "channel", title="Replay News", username="replaynews")


@pytest.fixture
def tg() -> OfflineTelegram:
    bot = Bot(OFFLINE_TOKEN, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
    telegram = OfflineTelegram.attach(bot)
    telegram.world.add_user(ALICE)
    telegram.world.add_user(BOB)
    telegram.world.add_chat(CHANNEL)
    return telegram
