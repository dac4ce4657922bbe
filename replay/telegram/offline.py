"""One offline Telegram for one run: the bot, its world, its session and its updates."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot
from aiogram.types import User

from replay.telegram.session import OfflineSession
from replay.telegram.updates import UpdateFactory
from replay.telegram.world import TgUser, World

# The token only has to look like one: `bot.id` is read from it and is part of FSM keys.
OFFLINE_TOKEN = "4242424242:REPLAY-offline-token-never-sent-anywhere"


@dataclass(slots=True)
class OfflineTelegram:
    """Everything a run needs to talk to a Telegram that lives in this process."""

    bot: Bot
    world: World
    session: OfflineSession
    updates: UpdateFactory

    @classmethod
    def attach(
        cls,
        bot: Bot | None = None,
        *,
        username: str = "replay_bot",
        first_name: str = "Replay Bot",
    ) -> OfflineTelegram:
        """Put `bot` (or a new one) offline: its session is replaced, `getMe` is pre-set.

        A Bot the app built itself keeps its default properties (parse mode and so on),
        which is why apps may hand their own Bot to replay.
        """
        if bot is None:
            bot = Bot(OFFLINE_TOKEN)
        me = TgUser(bot.id, first_name=first_name, username=username, is_bot=True)
        world = World(me)
        session = OfflineSession(world)
        bot.session = session
        # aiogram caches getMe here; setting it keeps a getMe call out of the first step.
        bot._me = User(
            id=me.id,
            is_bot=True,
            first_name=first_name,
            username=username,
            can_join_groups=True,
            can_read_all_group_messages=False,
            supports_inline_queries=False,
        )
        session.warm_up(bot)
        return cls(bot=bot, world=world, session=session, updates=UpdateFactory(world, bot))
