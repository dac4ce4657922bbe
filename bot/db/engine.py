"""Engine, sessionmaker and schema creation."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.db.models import Base


def create_engine_and_sessionmaker(
    url: str, **engine_kwargs: Any
) -> tuple[AsyncEngine, async_sessionmaker[AsyncSession]]:
    """Create the async engine for ``url`` and a sessionmaker bound to it.

    Sessions keep loaded attributes after commit (``expire_on_commit=False``): a handler may
    still read a row after the middleware committed, and a reload would be an implicit lazy
    load, which async SQLAlchemy refuses.
    """
    engine = create_async_engine(url, **engine_kwargs)
    if engine.dialect.name == "sqlite":
        # PostgreSQL always enforces foreign keys; make SQLite do the same.
        event.listen(engine.sync_engine, "connect", _enable_sqlite_foreign_keys)
    return engine, async_sessionmaker(engine, expire_on_commit=False)


async def create_schema(engine: AsyncEngine) -> None:
    """Create every table and index that does not exist yet."""
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
