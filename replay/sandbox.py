"""The sandbox database of a run: created by replay, handed to the app, removed afterwards.

replay never opens the database the bot is configured with. The default sandbox is a SQLite
file (through aiosqlite) in a private temporary directory. Every run starts from a fresh,
empty file, and the file is deleted when the run ends. With `--database-url` pointing at a
PostgreSQL server, replay creates a throwaway database there instead (see `postgres.py`).

The file has the same path for every run in one process. Bots that bind a module-level
engine to `DATABASE_URL` at import time are imported once per process, so their engine keeps
the first URL it saw: with a stable path it reaches each run's fresh file, provided the
adapter's shutdown hook disposes the engine (closing pooled connections to the old file).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import Protocol

_lock = threading.Lock()
_process_dir: Path | None = None
_in_use = False


def _directory() -> Path:
    global _process_dir  # noqa: PLW0603 - one private directory per process
    if _process_dir is None or not _process_dir.exists():
        _process_dir = Path(tempfile.mkdtemp(prefix=f"replay-{os.getpid()}-"))
        atexit.register(shutil.rmtree, _process_dir, True)
    return _process_dir


class Sandbox(Protocol):
    """A database that exists for one run."""

    database_url: str
    workdir: Path
    prepared: bool

    async def create(self) -> None: ...

    async def close(self) -> None: ...


class SqliteSandbox:
    """A fresh SQLite database file for one run."""

    prepared = False

    def __init__(self) -> None:
        global _in_use  # noqa: PLW0603 - the stable path admits one run at a time
        with _lock:
            directory = _directory()
            if _in_use:
                # A second run at the same time (in one process) gets a path of its own.
                directory = Path(tempfile.mkdtemp(prefix="run-", dir=directory))
                self._shared = False
            else:
                _in_use = True
                self._shared = True
        self.workdir = directory
        self.path = directory / "sandbox.db"
        _remove_database(self.path)
        self.database_url = f"sqlite+aiosqlite:///{self.path}"

    async def create(self) -> None:
        """Nothing to do: the bot's first connection creates the file."""

    async def __aenter__(self) -> SqliteSandbox:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        global _in_use  # noqa: PLW0603
        _remove_database(self.path)
        if self._shared:
            with _lock:
                _in_use = False
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)


def _remove_database(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")


class AttachedSandbox:
    """A database created and seeded by another process (the parent of load workers)."""

    prepared = True

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.workdir = Path(tempfile.mkdtemp(prefix="replay-worker-"))

    async def create(self) -> None:
        """It exists already."""

    async def close(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)  # the database is the parent's


async def open_sandbox(
    server_url: str | None, label: str, attach_url: str | None = None
) -> Sandbox:
    """The sandbox for a run: SQLite by default, a throwaway database on `server_url`."""
    if attach_url is not None:
        return AttachedSandbox(attach_url)
    if server_url is None:
        return SqliteSandbox()
    from replay.postgres import PostgresSandbox

    sandbox = PostgresSandbox(server_url, label)
    try:
        await sandbox.create()
    except BaseException:
        await sandbox.close()  # its private directory; no database was made
        raise
    return sandbox
