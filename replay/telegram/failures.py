"""Scripted Bot API failures: the errors a real bot meets in production, on demand.

A rule says which calls fail (method, target chat) and how; the offline session turns it into
the error response Telegram would send and lets aiogram's own `check_response` raise from it,
so the bot sees the genuine exception class (`TelegramForbiddenError` for a user who blocked
the bot, `TelegramRetryAfter` for flood control, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# error name -> (HTTP status, Telegram's own description)
ERROR_KINDS: dict[str, tuple[int, str]] = {
    "blocked": (403, "Forbidden: bot was blocked by the user"),
    "forbidden": (403, "Forbidden: bot can't initiate conversation with a user"),
    "deactivated": (403, "Forbidden: user is deactivated"),
    "bad_request": (400, "Bad Request: chat not found"),
    "not_found": (404, "Not Found"),
    "retry_after": (429, "Too Many Requests: retry after {retry_after}"),
    "server_error": (500, "Internal Server Error"),
    "unauthorized": (401, "Unauthorized"),
    "conflict": (409, "Conflict: terminated by other getUpdates request"),
    "too_large": (413, "Request Entity Too Large"),
}


@dataclass(slots=True)
class ScriptedFailure:
    """Calls matching `method` and `chat_id` (None matches any) fail with `error`.

    `times` limits how many calls fail (None: all of them).
    """

    error: str
    method: str | None = None
    chat_id: int | None = None
    description: str | None = None
    times: int | None = None
    retry_after: int = 1

    def __post_init__(self) -> None:
        if self.error not in ERROR_KINDS:
            known = ", ".join(sorted(ERROR_KINDS))
            msg = f"unknown Bot API error kind {self.error!r}; use one of: {known}"
            raise ValueError(msg)

    def matches(self, method: str, target: int | None) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        if self.method is not None and _spelling(self.method) != _spelling(method):
            return False
        return self.chat_id is None or self.chat_id == target

    def consume(self) -> tuple[int, dict[str, Any]]:
        """Count one failure and return (HTTP status, Telegram's JSON error body)."""
        if self.times is not None:
            self.times -= 1
        status, default = ERROR_KINDS[self.error]
        body: dict[str, Any] = {
            "ok": False,
            "error_code": status,
            "description": (self.description or default).format(retry_after=self.retry_after),
        }
        if self.error == "retry_after":
            body["parameters"] = {"retry_after": self.retry_after}
        return status, body


def _spelling(method: str) -> str:
    """`sendMessage`, `send_message` and `SendMessage` compare equal, as `calls:` keys do."""
    return method.replace("_", "").lower()
