"""The exception root of replay.

Every error meant for a user derives from `ReplayError`; the CLI prints its message without a
traceback. Messages say what is wrong, where, and how to fix it.
"""

from __future__ import annotations


class ReplayError(Exception):
    """Base class of every error replay reports to its user."""


class NetworkGuardError(ReplayError):
    """Something tried to reach the real Telegram Bot API while replay was running."""


class ButtonNotFoundError(ReplayError):
    """A step pressed a button that no bot message in the chat has."""


class SetupError(ReplayError):
    """The bot could not be built for a run (its app factory raised)."""
