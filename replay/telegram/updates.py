"""Build the Telegram updates a scenario step stands for, bound to the bot under test.

Updates are validated with `context={"bot": bot}` so `feed_update` does not have to re-mount
them (a JSON round trip per update otherwise), and every message a user sends is also kept in
the world, so the bot can reply to it, copy it, or forward it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiogram.types import Update

from replay.telegram.answers import chat_member_json
from replay.telegram.world import StoredMessage, TgChat, TgUser, World, now_ts

if TYPE_CHECKING:
    from aiogram import Bot


class UpdateFactory:
    """Makes `Update` objects from what actors do; update ids count up from 1."""

    def __init__(self, world: World, bot: Bot) -> None:
        self.world = world
        self.bot = bot
        self._update_id = 0

    def _update(self, **payload: Any) -> Update:
        self._update_id += 1
        raw = {"update_id": self._update_id, **payload}
        return Update.model_validate(raw, context={"bot": self.bot})

    # -- messages --------------------------------------------------------------------------

    def message(
        self,
        user: TgUser,
        text: str | None = None,
        *,
        chat: TgChat | None = None,
        caption: str | None = None,
        photo: bool = False,
        document: str | None = None,
        contact: dict[str, Any] | None = None,
        location: dict[str, Any] | None = None,
        reply_to: StoredMessage | None = None,
    ) -> Update:
        """A message from `user` (in their private chat unless `chat` is given).

        A text starting with "/" carries a `bot_command` entity, as Telegram clients send it,
        so `Command("start")` filters and deep links (`/start TOKEN`) work.
        """
        chat = chat or self.world.chat(user.id)
        media: dict[str, Any] = {}
        token = self.world.next_token()
        if photo:
            media["photo"] = [
                {
                    "file_id": f"user-photo-{token}",
                    "file_unique_id": f"up{token}",
                    "width": 1280,
                    "height": 960,
                }
            ]
        if document is not None:
            media["document"] = {
                "file_id": f"user-document-{token}",
                "file_unique_id": f"ud{token}",
                "file_name": document,
            }
        if contact is not None:
            media["contact"] = {
                "phone_number": str(contact.get("phone_number", "+10000000000")),
                "first_name": str(contact.get("first_name", user.first_name)),
                **({"user_id": contact["user_id"]} if "user_id" in contact else {}),
            }
        if location is not None:
            media["location"] = {
                "latitude": float(location.get("latitude", 0.0)),
                "longitude": float(location.get("longitude", 0.0)),
            }
        kind = next(iter(media), "text")
        stored = self.world.add_message(
            chat.id, user, text=text, caption=caption, kind=kind, media=media
        )
        raw = stored.to_json(chat)
        if text is not None and text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            raw["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if reply_to is not None:
            raw["reply_to_message"] = reply_to.to_json(self.world.chat(reply_to.chat_id))
        return self._update(message=raw)

    # -- buttons ---------------------------------------------------------------------------

    def callback_query(self, user: TgUser, message: StoredMessage, data: str) -> Update:
        """A press on an inline button with `data` under `message`."""
        token = self.world.next_token()
        chat = self.world.chat(message.chat_id)
        return self._update(
            callback_query={
                "id": f"cbq-{token}",
                "from": user.to_json(),
                "chat_instance": f"ci{chat.id}",
                "message": message.to_json(chat),
                "data": data,
            }
        )

    # -- chats and members -----------------------------------------------------------------

    def join_request(self, user: TgUser, chat: TgChat, invite_link: str | None = None) -> Update:
        """`user` asks to join `chat`; the world remembers the pending request."""
        self.world.join_requests.add((chat.id, user.id))
        payload: dict[str, Any] = {
            "chat": chat.to_json(),
            "from": user.to_json(),
            "user_chat_id": user.id,
            "date": now_ts(),
        }
        if invite_link is not None:
            payload["invite_link"] = {
                "invite_link": invite_link,
                "creator": self.world.bot_user.to_json(),
                "creates_join_request": True,
                "is_primary": False,
                "is_revoked": False,
            }
        return self._update(chat_join_request=payload)

    def chat_member(
        self, user: TgUser, chat: TgChat, status: str, *, by: TgUser | None = None
    ) -> Update:
        """`user`'s membership in `chat` changes to `status` (left, member, kicked, ...)."""
        old = chat_member_json(self.world, chat.id, user.id)
        self.world.set_member_status(chat.id, user.id, status)
        new = chat_member_json(self.world, chat.id, user.id)
        return self._update(
            chat_member={
                "chat": chat.to_json(),
                "from": (by or user).to_json(),
                "date": now_ts(),
                "old_chat_member": old,
                "new_chat_member": new,
            }
        )
