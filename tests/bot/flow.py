"""Drive the example bot through its real Dispatcher against an offline Telegram.

`Flow` is what a person sees of the bot: `send` a text, `click` a button by its label, `join`
a channel, let a background job run. Each of these feeds one update (or runs one job) inside
the network guard with a step probe set, exactly as replay runs a scenario step, and returns
the Bot API calls it made as a `Step`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeVar

from aiogram import Dispatcher
from aiogram.methods import TelegramMethod
from faker import Faker
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_bot, create_dispatcher
from bot.config import Config
from bot.jobs import JOBS
from bot.seed import SeedSummary, seed_database
from replay.probe import StepProbe, current_probe
from replay.telegram import (
    ApiCall,
    MessageView,
    OfflineTelegram,
    TgChat,
    TgUser,
    World,
    network_guard,
)

T = TypeVar("T")

ADMIN = TgUser(1, first_name="Ada", last_name="Admin", username="ada_admin")
VIP_CHANNEL = TgChat(-1001000000001, "channel", title="VIP Lounge")
FREE_CHANNEL = TgChat(-1001000000002, "channel", title="Free Hall")
CONFIG = Config(
    bot_token="123456:flow-tests",
    admin_ids=frozenset({ADMIN.id}),
    vip_channel_id=VIP_CHANNEL.id,
    free_channel_id=FREE_CHANNEL.id,
    free_wait_seconds=3600,
)


@dataclass(frozen=True, slots=True)
class Step:
    """The Bot API calls one update (or one job run) made, and what feed_update returned."""

    calls: tuple[ApiCall, ...]
    result: Any = None

    @property
    def methods(self) -> list[str]:
        return [call.method for call in self.calls]

    @property
    def views(self) -> list[MessageView]:
        """Messages sent or edited, as the person saw them afterwards."""
        return [
            call.message
            for call in self.calls
            if call.message is not None and call.message.action != "deleted"
        ]

    @property
    def texts(self) -> list[str]:
        return [view.text for view in self.views]

    @property
    def text(self) -> str:
        """The text of the last message the step sent or edited."""
        views = self.views
        assert views, f"the step showed no message; calls: {self.methods}"
        return views[-1].text

    @property
    def buttons(self) -> list[str]:
        """The button labels of the last message the step sent or edited, in reading order."""
        views = self.views
        assert views, f"the step showed no message; calls: {self.methods}"
        return [label for row in views[-1].buttons for label in row]

    @property
    def alert(self) -> str | None:
        """What the callback answer said (None: answered silently)."""
        answers = self.of("answerCallbackQuery")
        assert answers, f"the button press was not answered; calls: {self.methods}"
        text = answers[-1].params.get("text")
        return str(text) if text is not None else None

    def of(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method == method]

    def texts_to(self, chat_id: int) -> list[str]:
        return [view.text for view in self.views if view.chat_id == chat_id]


class Flow:
    """The bot under test, its offline Telegram, and the people who use it."""

    def __init__(
        self,
        dp: Dispatcher,
        tg: OfflineTelegram,
        db: async_sessionmaker[AsyncSession],
        config: Config,
    ) -> None:
        self.dp = dp
        self.tg = tg
        self.db = db
        self.config = config
        self._steps = 0

    @property
    def world(self) -> World:
        return self.tg.world

    def user(self, user_id: int, first_name: str, username: str | None = None) -> TgUser:
        return self.tg.world.add_user(TgUser(user_id, first_name=first_name, username=username))

    async def seed(self, faker: Faker, **sizes: int) -> SeedSummary:
        """Seed the database; every size not given is zero except three plans."""
        counts = {
            "users": 0,
            "plans": 3,
            "vip_subscribers": 0,
            "pending_requests": 0,
            "tokens": 0,
        }
        counts.update(sizes)
        return await seed_database(
            self.db, faker, free_channel_id=self.config.free_channel_id, **counts
        )

    # -- what people do ------------------------------------------------------------------

    async def send(self, user: TgUser, text: str) -> Step:
        return await self.feed(self.tg.updates.message(user, text))

    async def send_photo(self, user: TgUser) -> Step:
        return await self.feed(self.tg.updates.message(user, photo=True))

    async def click(self, user: TgUser, label: str | re.Pattern[str]) -> Step:
        """Press the button with this label on the newest bot message in the user's chat."""
        if isinstance(label, str):
            message, button = self.tg.world.find_button(user.id, text=label)
        else:
            message, button = self.tg.world.find_button(user.id, pattern=label)
        assert button.data is not None, f"{button.text!r} is a {button.kind} button"
        return await self.feed(self.tg.updates.callback_query(user, message, button.data))

    async def press(self, user: TgUser, data: str) -> Step:
        """Send a callback with `data` from the newest bot message in the user's chat.

        For buttons the user was never shown (a forged or stale callback).
        """
        message = self.tg.world.last_bot_message(user.id)
        assert message is not None, "the bot has not written to this user yet"
        return await self.feed(self.tg.updates.callback_query(user, message, data))

    async def join(self, user: TgUser, chat: TgChat) -> Step:
        return await self.feed(self.tg.updates.join_request(user, chat))

    async def run_job(self, name: str) -> tuple[int, Step]:
        job = JOBS[name]
        return await self._in_step(job(self.tg.bot, self.db, self.config))

    async def feed(self, update: Any) -> Step:
        async def handle() -> Any:
            result = await self.dp.feed_update(self.tg.bot, update)
            if isinstance(result, TelegramMethod):  # a handler may return a method
                await self.tg.bot(result)
            return result

        return (await self._in_step(handle()))[1]

    async def _in_step(self, work: Any) -> tuple[Any, Step]:
        self._steps += 1
        probe = StepProbe(index=self._steps, capture_sql=False)
        token = current_probe.set(probe)
        try:
            with network_guard(self.tg.session):
                result = await work
        finally:
            probe.closed = True
            current_probe.reset(token)
        return result, Step(tuple(probe.calls), result)

    # -- the database --------------------------------------------------------------------

    async def get(self, model: type[T], key: Any) -> T | None:
        async with self.db() as session:
            return await session.get(model, key)

    async def scalars(self, statement: Select[Any]) -> list[Any]:
        async with self.db() as session:
            return list((await session.execute(statement)).scalars().all())


def start_flow(db: async_sessionmaker[AsyncSession], config: Config = CONFIG) -> Flow:
    """The bot's own Dispatcher and Bot (HTML by default), offline, with the admin and the
    two channels known to the world."""
    dp = create_dispatcher(config, db)
    tg = OfflineTelegram.attach(create_bot(config))
    tg.world.add_user(ADMIN)
    tg.world.add_chat(VIP_CHANNEL)
    tg.world.add_chat(FREE_CHANNEL)
    return Flow(dp, tg, db, config)
