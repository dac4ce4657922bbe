"""An app factory that fails half-way: after it connected to the sandbox database and created
a table, and without disposing its engine (its pooled connection stays open)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from replay import App, SandboxContext

# The engine outlives the failed factory, as it would in a bot that keeps it in a module.
engines = []


async def create_app(ctx: SandboxContext) -> App:
    engine = create_async_engine(ctx.database_url)
    engines.append(engine)
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)"))
    msg = "the bot's settings are broken"
    raise RuntimeError(msg)
