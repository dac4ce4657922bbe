"""Realistic answers to the Bot API methods bots use most, applied to the offline world.

Each answer takes the resolved call parameters and returns the JSON `result` Telegram would
send; the session validates it into aiogram's own types. Where Telegram would refuse (edit a
message that does not exist, a message that is not modified) the answer raises `ApiRefusal`
with Telegram's description, and the bot sees the real `TelegramBadRequest`.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
from collections.abc import Callable
from typing import Any

from aiogram.types import InputFile, Message
from aiogram.types.input_file import BufferedInputFile, FSInputFile

from replay.telegram.formatting import visible_text
from replay.telegram.minimal import minimal_model, minimal_value
from replay.telegram.world import StoredMessage, TgChat, World, now_ts

Params = dict[str, Any]
Files = dict[str, InputFile]
Answer = Callable[[World, Params, Files], Any]


class ApiRefusal(Exception):
    """Telegram would refuse this call: (HTTP status, description)."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def target_chat(world: World, params: Params, key: str = "chat_id") -> TgChat:
    value = params.get(key)
    if isinstance(value, str) and not value.lstrip("-").isdigit():
        username = value.lstrip("@").lower()
        for chat in world.chats.values():
            if chat.username and chat.username.lower() == username:
                return chat
        raise ApiRefusal(400, "Bad Request: chat not found")
    if value is None:
        raise ApiRefusal(400, f"Bad Request: {key} is empty")
    return world.chat(int(value))


def _stored(world: World, params: Params, what: str) -> tuple[TgChat, StoredMessage]:
    chat = target_chat(world, params)
    message = world.message(chat.id, int(params.get("message_id", 0)))
    if message is None:
        raise ApiRefusal(400, f"Bad Request: message to {what} not found")
    return chat, message


# -- files -------------------------------------------------------------------------------


def describe_file(value: Any, files: Files, world: World, kind: str) -> dict[str, Any]:
    """A Telegram file object for an uploaded InputFile, a file_id or a URL."""
    token = world.next_token()
    info: dict[str, Any] = {
        "file_id": f"{kind}-{token}",
        "file_unique_id": f"u{kind}{token}",
    }
    upload = files.get(value[len("attach://") :]) if isinstance(value, str) else None
    if isinstance(value, str) and value.startswith("attach://") and upload is not None:
        name = upload.filename or f"{kind}.bin"
        info["file_name"] = name
        size = file_size(upload)
        if size is not None:
            info["file_size"] = size
        info["mime_type"] = mimetypes.guess_type(name)[0] or "application/octet-stream"
    elif isinstance(value, str):
        info["file_id"] = value
    return info


def file_size(upload: InputFile) -> int | None:
    if isinstance(upload, BufferedInputFile):
        return len(upload.data)
    if isinstance(upload, FSInputFile):
        try:
            return os.path.getsize(upload.path)
        except OSError:
            return None
    return None


# -- sending -----------------------------------------------------------------------------


def _media_kind(method: str) -> str:
    """sendVideoNote -> video_note: the Message field the method fills."""
    return _CAMEL.sub("_", method[len("send") :]).lower()


def _media(kind: str, world: World, params: Params, files: Files) -> dict[str, Any]:
    if kind == "photo":
        base = describe_file(params.get("photo"), files, world, "photo")
        base.pop("file_name", None)
        base.pop("mime_type", None)
        return {"photo": [{**base, "width": 1280, "height": 720}]}
    if kind in {"document", "audio", "voice", "video", "animation", "video_note", "sticker"}:
        field = Message.model_fields[kind]
        media = minimal_value(field.annotation, kind)
        media.update(describe_file(params.get(kind), files, world, kind))
        if kind in {"video_note", "sticker"}:  # these types carry no file name
            media.pop("file_name", None)
            media.pop("mime_type", None)
        return {kind: media}
    field_info = Message.model_fields.get(kind)
    if field_info is None:
        return {}
    media = minimal_value(field_info.annotation, kind)
    if isinstance(media, dict):
        media.update({k: v for k, v in params.items() if k in media})
        if kind == "poll":
            media["options"] = _poll_options(params.get("options") or [])
    return {kind: media}


def _poll_options(options: list[Any]) -> list[dict[str, Any]]:
    # Sent as strings or InputPollOption; Telegram answers with PollOption objects.
    return [
        {
            "persistent_id": str(index),
            "text": option if isinstance(option, str) else str(option.get("text", "")),
            "voter_count": 0,
        }
        for index, option in enumerate(options)
    ]


def send_message(world: World, params: Params, files: Files) -> Any:
    chat = target_chat(world, params)
    text = visible_text(str(params.get("text", "")), params.get("parse_mode"))
    message = world.add_message(
        chat.id, world.bot_user, text=text, reply_markup=params.get("reply_markup")
    )
    return message.to_json(chat)


def send_media(method: str) -> Answer:
    kind = _media_kind(method)

    def answer(world: World, params: Params, files: Files) -> Any:
        chat = target_chat(world, params)
        caption = params.get("caption")
        message = world.add_message(
            chat.id,
            world.bot_user,
            caption=visible_text(caption, params.get("parse_mode")) if caption else None,
            kind=kind,
            reply_markup=params.get("reply_markup"),
            media=_media(kind, world, params, files),
        )
        return message.to_json(chat)

    return answer


def _source(world: World, params: Params, what: str) -> StoredMessage:
    origin = target_chat(world, params, "from_chat_id")
    source = world.message(origin.id, int(params.get("message_id", 0)))
    if source is None:
        raise ApiRefusal(400, f"Bad Request: message to {what} not found")
    return source


def send_media_group(world: World, params: Params, files: Files) -> Any:
    chat = target_chat(world, params)
    group_id = f"replay-group-{world.next_token()}"
    sent = []
    for item in params.get("media") or []:
        kind = item.get("type", "document")
        kind = str(getattr(kind, "value", kind))  # aiogram leaves its enums in nested params
        caption = item.get("caption")
        message = world.add_message(
            chat.id,
            world.bot_user,
            caption=visible_text(caption, item.get("parse_mode")) if caption else None,
            kind=kind,
            media={
                **_media(kind, world, {kind: item.get("media")}, files),
                "media_group_id": group_id,
            },
        )
        sent.append(message.to_json(chat))
    return sent


def copy_message(world: World, params: Params, files: Files) -> Any:
    source = _source(world, params, "copy")
    chat = target_chat(world, params)
    caption = source.caption
    if "caption" in params:
        caption = visible_text(str(params["caption"]), params.get("parse_mode"))
    copy = world.add_message(
        chat.id,
        world.bot_user,
        text=source.text,
        caption=caption,
        kind=source.kind,
        reply_markup=params.get("reply_markup"),
        media=dict(source.media),
    )
    return {"message_id": copy.message_id}


def forward_message(world: World, params: Params, files: Files) -> Any:
    source = _source(world, params, "forward")
    chat = target_chat(world, params)
    copy = world.add_message(
        chat.id,
        world.bot_user,
        text=source.text,
        caption=source.caption,
        kind=source.kind,
        media=dict(source.media),
    )
    return copy.to_json(chat)


# -- editing -----------------------------------------------------------------------------


def _edit(world: World, params: Params, *, text: str | None, caption: str | None) -> Any:
    if "inline_message_id" in params:
        return True
    chat, message = _stored(world, params, "edit")
    markup = params.get("reply_markup")
    new_text = message.text if text is None else text
    new_caption = message.caption if caption is None else caption
    if (new_text, new_caption, markup) == (message.text, message.caption, message.reply_markup):
        raise ApiRefusal(400, NOT_MODIFIED)
    message.text, message.caption, message.reply_markup = new_text, new_caption, markup
    message.edited = True
    return message.to_json(chat)


def edit_message_text(world: World, params: Params, files: Files) -> Any:
    text = visible_text(str(params.get("text", "")), params.get("parse_mode"))
    return _edit(world, params, text=text, caption=None)


def edit_message_caption(world: World, params: Params, files: Files) -> Any:
    caption = visible_text(str(params.get("caption", "")), params.get("parse_mode"))
    return _edit(world, params, text=None, caption=caption)


def edit_message_reply_markup(world: World, params: Params, files: Files) -> Any:
    return _edit(world, params, text=None, caption=None)


def delete_message(world: World, params: Params, files: Files) -> Any:
    _, message = _stored(world, params, "delete")
    message.deleted = True
    return True


def delete_messages(world: World, params: Params, files: Files) -> Any:
    chat = target_chat(world, params)
    for message_id in params.get("message_ids", []):
        message = world.message(chat.id, int(message_id))
        if message is not None:
            message.deleted = True
    return True


# -- chats, members and invite links -----------------------------------------------------


def create_invite_link(world: World, params: Params, files: Files) -> Any:
    chat = target_chat(world, params)
    token = world.next_token()
    digest = hashlib.sha1(f"{chat.id}:{token}".encode(), usedforsecurity=False).hexdigest()
    link: dict[str, Any] = {
        "invite_link": f"https://t.me/+replay{digest[:16]}",
        "creator": world.bot_user.to_json(),
        "creates_join_request": bool(params.get("creates_join_request", False)),
        "is_primary": False,
        "is_revoked": False,
    }
    for key in ("name", "expire_date", "member_limit"):
        if key in params:
            link[key] = int(params[key]) if key != "name" else params[key]
    world.invite_links.append({"chat_id": chat.id, **link})
    return link


def edit_invite_link(world: World, params: Params, files: Files) -> Any:
    for link in world.invite_links:
        if link["invite_link"] == params.get("invite_link"):
            for key in ("name", "expire_date", "member_limit", "creates_join_request"):
                if key in params:
                    link[key] = params[key]
            return {k: v for k, v in link.items() if k != "chat_id"}
    raise ApiRefusal(400, "Bad Request: INVITE_HASH_EXPIRED")


def revoke_invite_link(world: World, params: Params, files: Files) -> Any:
    for link in world.invite_links:
        if link["invite_link"] == params.get("invite_link"):
            link["is_revoked"] = True
            return {k: v for k, v in link.items() if k != "chat_id"}
    raise ApiRefusal(400, "Bad Request: INVITE_HASH_EXPIRED")


def export_invite_link(world: World, params: Params, files: Files) -> Any:
    link = create_invite_link(world, params, files)
    link["is_primary"] = True
    return link["invite_link"]


def _decide_join_request(status: str | None) -> Answer:
    def answer(world: World, params: Params, files: Files) -> Any:
        chat = target_chat(world, params)
        user_id = int(params["user_id"])
        # A request the world never saw predates the run (seeded data): accept it.
        world.join_requests.discard((chat.id, user_id))
        if status is not None:
            world.set_member_status(chat.id, user_id, status)
        return True

    return answer


def ban_chat_member(world: World, params: Params, files: Files) -> Any:
    chat = target_chat(world, params)
    world.set_member_status(chat.id, int(params["user_id"]), "kicked")
    return True


def unban_chat_member(world: World, params: Params, files: Files) -> Any:
    chat = target_chat(world, params)
    user_id = int(params["user_id"])
    status = world.member_status(chat.id, user_id)
    if params.get("only_if_banned") and status != "kicked":
        return True
    world.set_member_status(chat.id, user_id, "left")
    return True


def chat_member_json(world: World, chat_id: int, user_id: int) -> dict[str, Any]:
    from aiogram.types import ChatMemberAdministrator, ChatMemberRestricted

    status = world.member_status(chat_id, user_id)
    user = world.user(user_id).to_json()
    if status == "administrator":
        data = minimal_model(ChatMemberAdministrator)
        data.update(status="administrator", user=user, can_be_edited=False)
        return data
    if status == "restricted":
        data = minimal_model(ChatMemberRestricted)
        data.update(status="restricted", user=user, is_member=True, until_date=0)
        return data
    if status == "creator":
        return {"status": "creator", "user": user, "is_anonymous": False}
    if status == "kicked":
        return {"status": "kicked", "user": user, "until_date": 0}
    return {"status": status, "user": user}


def get_chat_member(world: World, params: Params, files: Files) -> Any:
    chat = target_chat(world, params)
    return chat_member_json(world, chat.id, int(params["user_id"]))


def get_chat(world: World, params: Params, files: Files) -> Any:
    from aiogram.types import ChatFullInfo

    chat = target_chat(world, params)
    data = minimal_model(ChatFullInfo)
    data.update(chat.to_json())
    return data


def get_chat_member_count(world: World, params: Params, files: Files) -> Any:
    chat = target_chat(world, params)
    present = {"member", "administrator", "creator", "restricted"}
    return sum(
        1
        for (chat_id, _), status in world.members.items()
        if chat_id == chat.id and status in present
    )


def get_me(world: World, params: Params, files: Files) -> Any:
    return {
        **world.bot_user.to_json(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


def answer_true(world: World, params: Params, files: Files) -> Any:
    return True


ANSWERS: dict[str, Answer] = {
    "sendMessage": send_message,
    "copyMessage": copy_message,
    "sendMediaGroup": send_media_group,
    "forwardMessage": forward_message,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "deleteMessages": delete_messages,
    "answerCallbackQuery": answer_true,
    "createChatInviteLink": create_invite_link,
    "editChatInviteLink": edit_invite_link,
    "revokeChatInviteLink": revoke_invite_link,
    "exportChatInviteLink": export_invite_link,
    "approveChatJoinRequest": _decide_join_request("member"),
    "declineChatJoinRequest": _decide_join_request(None),
    "banChatMember": ban_chat_member,
    "unbanChatMember": unban_chat_member,
    "getChatMember": get_chat_member,
    "getChat": get_chat,
    "getChatMemberCount": get_chat_member_count,
    "getMe": get_me,
}


def answer_for(method: str, returning: Any) -> Answer | None:
    """The realistic answer for `method`, or None when only a generic result fits."""
    found = ANSWERS.get(method)
    if found is not None:
        return found
    if method.startswith("send") and returning is Message:
        answer = send_media(method)
        ANSWERS[method] = answer
        return answer
    return None


def generic_result(returning: Any) -> Any:
    """The smallest valid result of the type a method promises."""
    return minimal_value(returning)


__all__ = ["ANSWERS", "ApiRefusal", "answer_for", "generic_result", "now_ts"]
