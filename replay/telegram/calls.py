"""The record of one Bot API call the bot made."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class MessageView:
    """A bot message as a person saw it after the call: text and buttons by row."""

    chat_id: int
    message_id: int
    text: str
    buttons: tuple[tuple[str, ...], ...] = ()
    kind: str = "text"
    action: str = "sent"  # "sent", "edited" or "deleted"

    def to_json(self) -> dict[str, Any]:
        return {
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            "text": self.text,
            "buttons": [list(row) for row in self.buttons],
            "kind": self.kind,
            "action": self.action,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MessageView:
        return cls(
            chat_id=data["chat_id"],
            message_id=data["message_id"],
            text=data["text"],
            buttons=tuple(tuple(row) for row in data.get("buttons", ())),
            kind=data.get("kind", "text"),
            action=data.get("action", "sent"),
        )


@dataclass(slots=True)
class ApiCall:
    """One Bot API request: method name, resolved parameters, and what it did."""

    method: str
    params: dict[str, Any]
    message: MessageView | None = None
    error: str | None = None
    late: bool = False
    result: Any = None  # the JSON result Telegram would have sent

    @property
    def chat_id(self) -> int | None:
        """The chat (or user) the call was aimed at, when it names one."""
        for key in ("chat_id", "user_id"):
            value = self.params.get(key)
            if isinstance(value, int):
                return value
            if isinstance(value, str) and value.lstrip("-").isdigit():
                return int(value)
        return None
