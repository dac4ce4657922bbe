"""The offline Telegram world: users, chats, memberships and every message in a chat.

The offline session applies each Bot API call to this world and the update factory reads it,
so a later step can press a button on a message the bot sent earlier, and a missing button is
reported with the buttons that do exist. The world owns what it saw happen in this run; for
state that predates the run (members of a channel seeded into the bot's database, say) it is
lenient and answers as Telegram would for a user in good standing.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from replay.errors import ButtonNotFoundError

# A long run sends many messages; only the newest ones of a chat can still be pressed.
MESSAGES_KEPT_PER_CHAT = 200
# The message a forged press is attached to when the bot has sent nothing in the chat: an
# hour old, well inside the 48 hours after which Telegram stops including the message.
EARLIER_MESSAGE_TEXT = "(an earlier message)"
EARLIER_MESSAGE_AGE = 3600


@dataclass(slots=True)
class TgUser:
    """A Telegram user (an actor, or the bot itself)."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "is_bot": self.is_bot,
            "first_name": self.first_name,
        }
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name


@dataclass(slots=True)
class TgChat:
    """A chat: the private chat of a user, a group, a supergroup or a channel."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        for key in ("title", "username", "first_name", "last_name"):
            value = getattr(self, key)
            if value:
                data[key] = value
        return data


@dataclass(frozen=True, slots=True)
class Button:
    """One button of a keyboard, as a person sees it."""

    text: str
    kind: str  # "callback", "url", "reply", or the Telegram field that makes the button
    data: str | None = None
    url: str | None = None


@dataclass(slots=True)
class StoredMessage:
    """A message as the world keeps it: text as a person sees it, markup as the bot sent it."""

    chat_id: int
    message_id: int
    date: int
    sender: TgUser
    text: str | None = None
    caption: str | None = None
    kind: str = "text"
    reply_markup: dict[str, Any] | None = None
    media: dict[str, Any] = field(default_factory=dict)
    edited: bool = False
    deleted: bool = False

    @property
    def from_bot(self) -> bool:
        return self.sender.is_bot

    @property
    def body(self) -> str:
        """The text a person reads: the message text or the media caption."""
        return self.text if self.text is not None else (self.caption or "")

    @property
    def buttons(self) -> list[Button]:
        return list(iter_buttons(self.reply_markup))

    def to_json(self, chat: TgChat) -> dict[str, Any]:
        """The message as the Bot API would return it (aiogram `Message` JSON)."""
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "date": self.date,
            "chat": chat.to_json(),
            "from": self.sender.to_json(),
        }
        if self.text is not None:
            data["text"] = self.text
        if self.caption is not None:
            data["caption"] = self.caption
        if self.edited:
            data["edit_date"] = self.date
        data.update(self.media)
        # A message can only carry an inline keyboard; reply keyboards belong to the client.
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            data["reply_markup"] = self.reply_markup
        return data


def iter_buttons(markup: dict[str, Any] | None) -> Iterator[Button]:
    """The buttons of an inline or reply keyboard in reading order."""
    if not markup:
        return
    if "inline_keyboard" in markup:
        for row in markup["inline_keyboard"]:
            for raw in row:
                if "callback_data" in raw:
                    yield Button(raw["text"], "callback", data=raw["callback_data"])
                elif "url" in raw:
                    yield Button(raw["text"], "url", url=raw["url"])
                else:
                    kind = next((key for key in raw if key != "text"), "unknown")
                    yield Button(raw["text"], kind)
    elif "keyboard" in markup:
        for row in markup["keyboard"]:
            for raw in row:
                text = raw if isinstance(raw, str) else raw["text"]
                yield Button(text, "reply")


def now_ts() -> int:
    """Telegram dates are whole seconds of the process clock (moved by `advance:`)."""
    return int(time.time())


class World:
    """Everything the offline Telegram knows in one run."""

    def __init__(self, bot_user: TgUser) -> None:
        self.bot_user = bot_user
        self.users: dict[int, TgUser] = {bot_user.id: bot_user}
        self.chats: dict[int, TgChat] = {}
        self._messages: dict[int, dict[int, StoredMessage]] = {}
        self._next_message_id: dict[int, int] = {}
        self.members: dict[tuple[int, int], str] = {}
        self.join_requests: set[tuple[int, int]] = set()
        self.invite_links: list[dict[str, Any]] = []
        self._counter = 0

    # -- users and chats -------------------------------------------------------------------

    def add_user(self, user: TgUser) -> TgUser:
        self.users[user.id] = user
        self.chats.setdefault(user.id, private_chat_of(user))
        return user

    def add_chat(self, chat: TgChat) -> TgChat:
        self.chats[chat.id] = chat
        return chat

    def chat(self, chat_id: int) -> TgChat:
        """A chat by id; an id the world never saw is treated as a private chat."""
        chat = self.chats.get(chat_id)
        if chat is None:
            user = self.users.get(chat_id)
            if user is not None:
                chat = private_chat_of(user)
            elif chat_id < 0:
                chat = TgChat(chat_id, "supergroup", title=f"Chat {chat_id}")
            else:
                chat = TgChat(chat_id, "private", first_name=f"User {chat_id}")
            self.chats[chat_id] = chat
        return chat

    def user(self, user_id: int) -> TgUser:
        user = self.users.get(user_id)
        if user is None:
            user = self.add_user(TgUser(user_id, first_name=f"User {user_id}"))
        return user

    def next_token(self) -> int:
        """A counter for ids that must be unique in the run (callback ids, links, files)."""
        self._counter += 1
        return self._counter

    # -- messages --------------------------------------------------------------------------

    def add_message(self, chat_id: int, sender: TgUser, **fields: Any) -> StoredMessage:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        message = StoredMessage(chat_id, message_id, now_ts(), sender, **fields)
        messages = self._messages.setdefault(chat_id, {})
        messages[message_id] = message
        if len(messages) > MESSAGES_KEPT_PER_CHAT:
            del messages[next(iter(messages))]
        return message

    def message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        message = self._messages.get(chat_id, {}).get(message_id)
        return None if message is None or message.deleted else message

    def messages(self, chat_id: int) -> list[StoredMessage]:
        """The chat's messages still visible, oldest first."""
        return [m for m in self._messages.get(chat_id, {}).values() if not m.deleted]

    def last_bot_message(self, chat_id: int) -> StoredMessage | None:
        for message in reversed(self.messages(chat_id)):
            if message.from_bot:
                return message
        return None

    def earlier_bot_message(self, chat_id: int) -> StoredMessage:
        """A bot message without buttons, dated before the run, stored like any other.

        A forged button press needs a message to be attached to; when the bot has sent
        nothing in the chat, this stands for one it sent before the scenario began (so the
        bot can still edit or delete it, as it could a real old message).
        """
        message = self.add_message(chat_id, self.bot_user, text=EARLIER_MESSAGE_TEXT)
        message.date -= EARLIER_MESSAGE_AGE
        return message

    def find_button(
        self,
        chat_id: int,
        *,
        text: str | None = None,
        pattern: re.Pattern[str] | None = None,
        data: str | None = None,
    ) -> tuple[StoredMessage, Button]:
        """The newest bot message in the chat with a matching button, and that button.

        Raises `ButtonNotFoundError` naming the buttons that do exist.
        """
        seen: list[Button] = []
        for message in reversed(self.messages(chat_id)):
            if not message.from_bot:
                continue
            for button in message.buttons:
                seen.append(button)
                if _button_matches(button, text=text, pattern=pattern, data=data):
                    return message, button
        wanted = _describe_wanted(text=text, pattern=pattern, data=data)
        raise ButtonNotFoundError(f"no button {wanted} in the chat; {describe_buttons(seen)}")

    # -- memberships -----------------------------------------------------------------------

    def member_status(self, chat_id: int, user_id: int) -> str:
        if user_id == self.bot_user.id:
            return self.members.get((chat_id, user_id), "administrator")
        return self.members.get((chat_id, user_id), "left")

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> str:
        """Set a membership and return the status it replaced."""
        old = self.member_status(chat_id, user_id)
        self.members[(chat_id, user_id)] = status
        return old


def private_chat_of(user: TgUser) -> TgChat:
    return TgChat(
        user.id,
        "private",
        username=user.username,
        first_name=user.first_name,
        last_name=user.last_name,
    )


def _button_matches(
    button: Button, *, text: str | None, pattern: re.Pattern[str] | None, data: str | None
) -> bool:
    if data is not None:
        return button.data == data
    if pattern is not None:
        return pattern.search(button.text) is not None
    return button.text == text


def _describe_wanted(
    *, text: str | None, pattern: re.Pattern[str] | None, data: str | None
) -> str:
    if data is not None:
        return f"with callback data {data!r}"
    if pattern is not None:
        return f"matching /{pattern.pattern}/"
    return repr(text)


def describe_buttons(buttons: list[Button]) -> str:
    if not buttons:
        return "the bot's messages in this chat have no buttons"
    labels = list(dict.fromkeys(repr(b.text) for b in buttons))
    return "buttons there: " + ", ".join(labels)
