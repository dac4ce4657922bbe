"""The one source of "now" for the bot.

Every timestamp comes from Python, never from the database server: the profiler moves the
process clock with time-machine to simulate time passing, and a ``func.now()`` on the server
would not move with it. Datetimes are naive UTC so SQLite and PostgreSQL store them alike.
"""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current time as a naive UTC datetime."""
    return datetime.now(UTC).replace(tzinfo=None)


def as_aware(value: datetime) -> datetime:
    """Attach UTC to a naive UTC datetime.

    aiogram serialises datetimes with ``datetime.timestamp()``, which reads a naive value as
    local time; an aware value gives the right Unix time on any machine.
    """
    return value.replace(tzinfo=UTC)
