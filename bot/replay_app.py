"""How replay builds this bot against a sandbox: the app factory named in pyproject.toml.

replay calls `create_app` once per run with a fresh sandbox database. The bot itself is not
changed for replay: this adapter only wires the sandbox into the bot's own factories.

The scenario's `seed:` mapping takes `seed_database`'s keyword arguments (users, plans,
vip_subscribers, pending_requests, tokens) plus settings of the bot: `free_wait` (e.g. "1h"),
the Free channel's approval wait; `profile_scenarios` (a directory), `profile_timeout`
(seconds), `profile_handlers` and `profile_background` (true/false) for `/profile`. Chats
named `vip` and `free` in the scenario are the two channels. Besides the bot's own jobs, the
app exposes `await_profile_run`, which waits for a `/profile` run started in the background.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiogram import Bot

from bot.app import create_bot, create_dispatcher
from bot.config import (
    DEFAULT_FREE_CHANNEL_ID,
    DEFAULT_PROFILE_SCENARIOS,
    DEFAULT_PROFILE_TIMEOUT,
    DEFAULT_VIP_CHANNEL_ID,
    Config,
)
from bot.db import create_engine_and_sessionmaker, create_schema
from bot.jobs import JOBS, Job
from bot.parsing import parse_wait_time
from bot.profiling.runner import ProfileRunner
from bot.seed import seed_database
from replay import App, SandboxContext
from replay.telegram import OFFLINE_TOKEN

SEED_KEYS = frozenset(inspect.signature(seed_database).parameters) - {"db", "faker", "now"}
SETTINGS = frozenset(
    {"free_wait", "profile_scenarios", "profile_timeout", "profile_handlers", "profile_background"}
)


def _seed_arguments(seed: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(seed) - SEED_KEYS - SETTINGS)
    if unknown:
        known = sorted(SEED_KEYS - {"admin_ids", "free_channel_id"} | SETTINGS)
        close = difflib.get_close_matches(unknown[0], known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        msg = (
            f"seed: unknown key(s) {', '.join(unknown)}{hint}; this bot takes: {', '.join(known)}"
        )
        raise ValueError(msg)
    return {key: value for key, value in seed.items() if key in SEED_KEYS}


def _bind(job: Job, db: Any, config: Config) -> Callable[[Bot], Awaitable[int]]:
    async def run(bot: Bot) -> int:
        return await job(bot, db, config)

    return run


async def create_app(ctx: SandboxContext) -> App:
    config = Config(
        bot_token=OFFLINE_TOKEN,
        admin_ids=frozenset(ctx.admin_ids),
        database_url=ctx.database_url,
        vip_channel_id=ctx.chat_id("vip", DEFAULT_VIP_CHANNEL_ID),
        free_channel_id=ctx.chat_id("free", DEFAULT_FREE_CHANNEL_ID),
        free_wait_seconds=parse_wait_time(str(ctx.seed.get("free_wait", "1h"))),
        profile_scenarios=str(ctx.seed.get("profile_scenarios", DEFAULT_PROFILE_SCENARIOS)),
        profile_timeout=float(ctx.seed.get("profile_timeout", DEFAULT_PROFILE_TIMEOUT)),
        profile_handlers=bool(ctx.seed.get("profile_handlers", False)),
        profile_background=bool(ctx.seed.get("profile_background", True)),
    )
    engine, db = create_engine_and_sessionmaker(ctx.database_url)
    seed_arguments = _seed_arguments(ctx.seed)
    if not ctx.prepared:  # load workers on a shared database: the parent seeded it
        await create_schema(engine)
        await seed_database(
            db,
            ctx.faker,
            admin_ids=ctx.admin_ids,
            free_channel_id=config.free_channel_id,
            **seed_arguments,
        )
    dispatcher = create_dispatcher(config, db, storage=ctx.fsm_storage)
    # Tokens from the seeded Faker: the same scenario issues the same tokens every run.
    dispatcher["token_factory"] = lambda: ctx.faker.pystr(min_chars=16, max_chars=16)
    jobs: dict[str, Callable[[Bot], Awaitable[Any]]] = {
        name: _bind(job, db, config) for name, job in JOBS.items()
    }
    runner: ProfileRunner = dispatcher["profile_runner"]

    async def await_profile_run(bot: Bot) -> None:
        await runner.wait()

    jobs["await_profile_run"] = await_profile_run
    return App(dispatcher=dispatcher, jobs=jobs, shutdown=engine.dispose, bot=create_bot(config))
