"""The `replay` command line: a thin adapter over the public API.

Exit status: 0 when every step passed, 1 when any failed, 2 for a bad scenario or bad usage,
130 when interrupted.
"""

from __future__ import annotations

from replay.cli import files, run  # noqa: F401 - importing registers the commands
from replay.cli.group import cli

__all__ = ["cli", "main"]


def main() -> None:
    cli(prog_name="replay")
