"""A throwaway PostgreSQL database per run, on a server the user points replay at.

`replay run --database-url postgresql+asyncpg://user@host/postgres` connects to that URL's
database only to `CREATE DATABASE replay_<scenario>_<unique>`, hands the app a URL to the new
database, and drops it when the run ends: after a failure, a timeout or Ctrl-C too (the drop
is in a `finally`, shielded from cancellation, and uses `WITH (FORCE)` so connections the bot
left open do not block it). Nothing in the named database itself is read or written.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from replay.errors import ReplayError

NAME_PREFIX = "replay_"


class UnsafeDatabaseUrl(ReplayError):
    """A URL replay will not create a sandbox database on."""


def check_server_url(raw: str) -> URL:
    """The URL as SQLAlchemy reads it, or UnsafeDatabaseUrl saying why not."""
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        msg = (
            f"--database-url {_masked(raw)!r} is not a database URL; write "
            "postgresql+asyncpg://USER@HOST:5432/postgres"
        )
        raise UnsafeDatabaseUrl(msg) from None
    if url.get_backend_name() != "postgresql":
        msg = (
            f"--database-url: replay creates throwaway databases on PostgreSQL only, not on "
            f"{url.get_backend_name()!r}; leave the option out to use a temporary SQLite file"
        )
        raise UnsafeDatabaseUrl(msg)
    if url.get_driver_name() != "asyncpg":
        msg = (
            f"--database-url uses the {url.get_driver_name()!r} driver; replay drives async "
            "bots: write postgresql+asyncpg://..."
        )
        raise UnsafeDatabaseUrl(msg)
    if not url.host and not url.query.get("host"):
        msg = "--database-url names no host; write postgresql+asyncpg://USER@HOST:5432/postgres"
        raise UnsafeDatabaseUrl(msg)
    return url


def _masked(raw: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(/[^:/@]*):[^@]*@", r"\1:***@", raw)


def sandbox_name(label: str) -> str:
    clean = re.sub(r"[^a-z0-9_]+", "_", label.lower()).strip("_")[:30] or "run"
    return f"{NAME_PREFIX}{clean}_{secrets.token_hex(4)}"


class PostgresSandbox:
    """CREATE DATABASE on entry, DROP DATABASE ... WITH (FORCE) on close."""

    prepared = False

    def __init__(self, server_url: str, label: str) -> None:
        self.server = check_server_url(server_url)
        self.name = sandbox_name(label)
        self.database_url = self.server.set(database=self.name).render_as_string(
            hide_password=False
        )
        self.workdir = Path(tempfile.mkdtemp(prefix="replay-pg-"))
        self._created = False

    async def _admin(self) -> Any:
        import asyncpg  # type: ignore[import-untyped]

        url = self.server
        try:
            return await asyncpg.connect(
                host=url.host,
                port=url.port or 5432,
                user=url.username,
                password=url.password,
                database=url.database or "postgres",
                timeout=10,
            )
        except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
            where = f"{url.host}:{url.port or 5432}"
            msg = f"cannot connect to PostgreSQL at {where} to create the sandbox: {exc}"
            raise UnsafeDatabaseUrl(msg) from None

    async def create(self) -> None:
        import asyncpg

        connection = await self._admin()
        try:
            await connection.execute(f'CREATE DATABASE "{self.name}"')
        except asyncpg.InsufficientPrivilegeError:
            msg = (
                f"PostgreSQL user {self.server.username!r} may not create databases; replay "
                "needs CREATEDB to make a throwaway one (ALTER ROLE ... CREATEDB), or use another "
                "user"
            )
            raise UnsafeDatabaseUrl(msg) from None
        finally:
            await connection.close()
        self._created = True

    async def close(self) -> None:
        try:
            if self._created:
                await asyncio.shield(self._drop())
        finally:
            shutil.rmtree(self.workdir, ignore_errors=True)

    async def _drop(self) -> None:
        connection = await self._admin()
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        finally:
            await connection.close()
        self._created = False


async def leftover_databases(server_url: str) -> list[str]:
    """Sandbox databases still on the server (for tests and for cleaning up by hand)."""
    sandbox = PostgresSandbox.__new__(PostgresSandbox)
    sandbox.server = check_server_url(server_url)
    connection = await sandbox._admin()
    try:
        rows = await connection.fetch(
            "SELECT datname FROM pg_database WHERE datname LIKE $1", f"{NAME_PREFIX}%"
        )
    finally:
        await connection.close()
    return [row["datname"] for row in rows]
