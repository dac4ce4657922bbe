"""The offline Bot API session: the one seam between a real aiogram `Bot` and Telegram.

`OfflineSession` subclasses aiogram's `BaseSession`, so everything above it (the Bot's
methods, shortcuts like `message.answer()`, request middlewares, default properties) is the
real aiogram code. Each request is recorded for the running step, applied to the offline
`World`, and answered with real aiogram types validated with the bot in context, exactly as
`BaseSession.check_response` does for a real HTTP answer.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import AsyncGenerator
from functools import cache
from typing import TYPE_CHECKING, Any

from aiogram.client.session.base import BaseSession
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InputFile

from replay.probe import current_probe
from replay.telegram.answers import (
    ApiRefusal,
    answer_for,
    file_size,
    generic_result,
    target_chat,
)
from replay.telegram.calls import ApiCall, MessageView
from replay.telegram.failures import ScriptedFailure
from replay.telegram.world import StoredMessage, World

if TYPE_CHECKING:
    from aiogram import Bot

# Calls outside any step (app start-up, tests driving the session by hand) stay inspectable,
# but a long load run must not grow without bound.
UNATTRIBUTED_CALLS_KEPT = 10_000

_MESSAGE_ACTIONS = {
    "editMessageText": "edited",
    "editMessageCaption": "edited",
    "editMessageReplyMarkup": "edited",
    "editMessageMedia": "edited",
}


@cache
def _response_type(returning: Any) -> Any:
    return Response[returning]


class OfflineSession(BaseSession):
    """Answers every Bot API call from the offline world; nothing leaves the process."""

    def __init__(self, world: World) -> None:
        super().__init__()
        self.world = world
        self.failures: list[ScriptedFailure] = []
        self.calls: deque[ApiCall] = deque(maxlen=UNATTRIBUTED_CALLS_KEPT)

    def warm_up(self, bot: Bot) -> None:
        """Build pydantic's generic `Response[...]` types of the common methods now.

        Each costs ~20 ms the first time in a process; a real bot pays it once at start-up,
        so it must not land in the first step's numbers.
        """
        from aiogram.methods import (
            AnswerCallbackQuery,
            CreateChatInviteLink,
            EditMessageText,
            GetChatMember,
            SendMessage,
        )

        for method in (
            SendMessage,
            EditMessageText,
            AnswerCallbackQuery,
            CreateChatInviteLink,
            GetChatMember,
        ):
            returning = method.__returning__
            _response_type(returning).model_validate(
                {"ok": True, "result": generic_result(returning)}, context={"bot": bot}
            )

    def fail(self, error: str, **rule: Any) -> ScriptedFailure:
        """Script a failure, e.g. `fail("blocked", method="sendMessage", chat_id=42)`."""
        failure = ScriptedFailure(error, **rule)
        self.failures.append(failure)
        return failure

    async def close(self) -> None:
        """Nothing to close: there is no connection."""

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        # Downloads of files the bot "received" yield empty content.
        yield b""

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,
    ) -> TelegramType:
        api_method = method.__api_method__
        files: dict[str, InputFile] = {}
        params = self.resolve_params(bot, method, files)
        call = ApiCall(api_method, _recorded(params, files) if files else params)
        probe = current_probe.get()
        if probe is not None:
            probe.add_call(call)
        else:
            self.calls.append(call)

        failure = self._scripted_failure(api_method, call.chat_id)
        if failure is not None:
            status, body = failure.consume()
            call.error = body["description"]
            self.check_response(bot, method, status, json.dumps(body))

        returning = method.__returning__
        answer = answer_for(api_method, returning)
        try:
            raw = answer(self.world, params, files) if answer else generic_result(returning)
        except ApiRefusal as refusal:
            call.error = refusal.description
            body = {"ok": False, "error_code": refusal.status, "description": refusal.description}
            self.check_response(bot, method, refusal.status, json.dumps(body))
            raise  # pragma: no cover - check_response always raises for an error status

        call.result = raw
        call.message = self._message_view(api_method, params, raw)
        response = _response_type(returning).model_validate(
            {"ok": True, "result": raw}, context={"bot": bot}
        )
        return response.result  # type: ignore[no-any-return]

    def resolve_params(
        self, bot: Bot, method: TelegramMethod[Any], files: dict[str, InputFile]
    ) -> dict[str, Any]:
        """The parameters as Telegram receives them: defaults resolved, objects as JSON."""
        params: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files, _dumps_json=False)
            if prepared is not None:
                params[key] = prepared
        return params

    def _scripted_failure(self, method: str, target: int | None) -> ScriptedFailure | None:
        for failure in self.failures:
            if failure.matches(method, target):
                return failure
        return None

    def _message_view(self, method: str, params: dict[str, Any], raw: Any) -> MessageView | None:
        if method == "deleteMessage":
            chat_id = target_chat(self.world, params).id  # may be an @username
            return MessageView(chat_id, int(params["message_id"]), "", action="deleted")
        if not isinstance(raw, dict) or "message_id" not in raw or "chat" not in raw:
            if method == "copyMessage" and isinstance(raw, dict):
                chat_id = target_chat(self.world, params).id
                stored = self.world.message(chat_id, raw["message_id"])
                return _view_of(stored, "sent") if stored else None
            return None
        stored = self.world.message(raw["chat"]["id"], raw["message_id"])
        if stored is None:
            return None
        return _view_of(stored, _MESSAGE_ACTIONS.get(method, "sent"))


def _view_of(stored: StoredMessage, action: str) -> MessageView:
    markup = stored.reply_markup or {}
    rows = [
        tuple(button if isinstance(button, str) else button["text"] for button in row)
        for row in markup.get("inline_keyboard") or markup.get("keyboard") or []
    ]
    return MessageView(
        chat_id=stored.chat_id,
        message_id=stored.message_id,
        text=stored.body,
        buttons=tuple(rows),
        kind=stored.kind,
        action=action,
    )


def _recorded(params: dict[str, Any], files: dict[str, InputFile]) -> dict[str, Any]:
    """Params for the record: an upload shows as its file name and size, not a random key.

    Uploads nest too (the media of sendMediaGroup, editMessageMedia, ...).
    """
    return {key: _recorded_value(key, value, files) for key, value in params.items()}


def _recorded_value(key: str, value: Any, files: dict[str, InputFile]) -> Any:
    if isinstance(value, dict):
        return {k: _recorded_value(k, v, files) for k, v in value.items()}
    if isinstance(value, list):
        return [_recorded_value(key, item, files) for item in value]
    if isinstance(value, str) and value.startswith("attach://"):
        upload = files.get(value[len("attach://") :])
        if upload is not None:
            size = file_size(upload)
            name = upload.filename or key
            return f"<file {name}" + (f", {size} bytes>" if size is not None else ">")
    return value
