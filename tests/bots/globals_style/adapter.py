"""replay's adapter for the globals-style bot: point the environment at the sandbox before
the bot module is imported, build the Dispatcher once per process (its Router is a module
singleton), and dispose the module-level engine after every run."""

from __future__ import annotations

import importlib
import os

from aiogram import Dispatcher

from replay import App, SandboxContext

_dispatcher: Dispatcher | None = None


async def create_app(ctx: SandboxContext) -> App:
    global _dispatcher  # noqa: PLW0603 - the style this fixture demonstrates
    os.environ["DATABASE_URL"] = ctx.database_url
    module = importlib.import_module("tests.bots.globals_style.bot")
    async with module.engine.begin() as connection:
        await connection.run_sync(module.Base.metadata.create_all)
    if _dispatcher is None:
        _dispatcher = Dispatcher()
        _dispatcher.include_router(module.router)
    return App(dispatcher=_dispatcher, shutdown=module.engine.dispose)
