"""The sandbox database of a run: created by replay, handed to the app, removed afterwards.

replay never opens the database the bot is configured with. The default sandbox is a SQLite
file (through aiosqlite) in a temporary directory of its own, removed with the directory.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from types import TracebackType


class SqliteSandbox:
    """A fresh SQLite database file for one run."""

    def __init__(self) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="replay-"))
        self.database_url = f"sqlite+aiosqlite:///{self.workdir / 'sandbox.db'}"

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
        shutil.rmtree(self.workdir, ignore_errors=True)
