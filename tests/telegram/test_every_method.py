"""Every Bot API method aiogram knows gets an answer of the type it promises.

A bot may call any of ~185 methods; the offline session has realistic answers for a few dozen
and a generic fallback for the rest. Each method is built here from its own pydantic fields,
so a method aiogram adds tomorrow is covered without a change to this file.
"""

from __future__ import annotations

import datetime
import enum
import inspect
import types
import typing
from collections.abc import Awaitable, Callable
from typing import Any

import aiogram.methods
import pytest
from aiogram.methods import TelegramMethod
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
)
from pydantic import BaseModel

from replay.telegram import OfflineTelegram

CHAT_ID = 1001
M = typing.TypeVar("M", bound=BaseModel)

ALL_METHODS: list[type[TelegramMethod[Any]]] = sorted(
    (
        cls
        for cls in vars(aiogram.methods).values()
        if inspect.isclass(cls)
        and issubclass(cls, TelegramMethod)
        and cls is not TelegramMethod
        and not inspect.isabstract(cls)
        and hasattr(cls, "__api_method__")
    ),
    key=lambda cls: cls.__name__,
)


def argument_for(annotation: Any, name: str) -> Any:
    """The simplest Python value pydantic accepts for a field of this type."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return argument_for(typing.get_args(annotation)[0], name)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        # Prefer an upload (exercises attachments) and a numeric chat id over a username.
        for preferred in (InputFile, int):
            for option in options:
                if isinstance(option, type) and issubclass(option, preferred):
                    return argument_for(option, name)
        return argument_for(options[0], name)
    if origin is typing.Literal:
        return typing.get_args(annotation)[0]
    if origin in (list, tuple, set, frozenset):
        return [argument_for(typing.get_args(annotation)[0], name)]
    if origin is dict:
        return {}
    if not isinstance(annotation, type):
        msg = f"no argument for field {name!r} of type {annotation!r}"
        raise TypeError(msg)
    return _argument_of_class(annotation, name)


def _argument_of_class(cls: type, name: str) -> Any:
    if issubclass(cls, InputFile):
        return BufferedInputFile(b"replay", filename=f"{name}.bin")
    if issubclass(cls, BaseModel):
        return build(cls)
    if issubclass(cls, bool):
        return True
    if issubclass(cls, enum.Enum):
        return next(iter(cls))
    if issubclass(cls, int):
        return CHAT_ID if name.endswith("chat_id") else 1
    if issubclass(cls, float):
        return 1.0
    if issubclass(cls, str):
        return f"{name}-value"
    if issubclass(cls, datetime.datetime):
        return datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    msg = f"no argument for field {name!r} of class {cls!r}"
    raise TypeError(msg)


def build(model: type[M], **overrides: Any) -> M:
    """`model` with every required field filled in (and `overrides` on top)."""
    arguments = {
        name: argument_for(info.annotation, name)
        for name, info in model.model_fields.items()
        if info.is_required()
    }
    arguments.update(overrides)
    return model(**arguments)


def conforms(value: Any, annotation: Any) -> bool:
    """Whether `value` is an instance of the (possibly generic) `annotation`."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return conforms(value, typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(conforms(value, option) for option in typing.get_args(annotation))
    if origin is list:
        (item,) = typing.get_args(annotation)
        return isinstance(value, list) and all(conforms(element, item) for element in value)
    return isinstance(value, annotation)


# Methods Telegram answers only about things that exist: the world gets them first, and the
# method names them. Everything else is built from its fields alone.
Prepare = Callable[[OfflineTelegram], Awaitable[dict[str, Any]]]


async def _existing_message(tg: OfflineTelegram) -> dict[str, Any]:
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Old", callback_data="old")]]
    )
    sent = await tg.bot.send_message(CHAT_ID, "the original text", reply_markup=keyboard)
    return {"chat_id": CHAT_ID, "message_id": sent.message_id}


async def _existing_source(tg: OfflineTelegram) -> dict[str, Any]:
    return {"from_chat_id": CHAT_ID, **await _existing_message(tg)}


async def _existing_invite_link(tg: OfflineTelegram) -> dict[str, Any]:
    link = await tg.bot.create_chat_invite_link(CHAT_ID)
    return {"chat_id": CHAT_ID, "invite_link": link.invite_link}


NEEDS_WORLD: dict[str, Prepare] = {
    "CopyMessage": _existing_source,
    "ForwardMessage": _existing_source,
    "DeleteMessage": _existing_message,
    "EditMessageText": _existing_message,
    "EditMessageCaption": _existing_message,
    "EditMessageReplyMarkup": _existing_message,
    "EditChatInviteLink": _existing_invite_link,
    "RevokeChatInviteLink": _existing_invite_link,
}


def test_aiogram_has_more_than_150_methods_to_cover() -> None:
    assert len(ALL_METHODS) > 150
    assert set(NEEDS_WORLD) <= {cls.__name__ for cls in ALL_METHODS}


@pytest.mark.parametrize("method_class", ALL_METHODS, ids=lambda cls: cls.__api_method__)
async def test_every_method_returns_what_it_promises(
    method_class: type[TelegramMethod[Any]],
) -> None:
    tg = OfflineTelegram.attach()
    prepare = NEEDS_WORLD.get(method_class.__name__)
    overrides = await prepare(tg) if prepare is not None else {}
    method = build(method_class, **overrides)

    result = await tg.bot(method)

    assert conforms(result, method_class.__returning__), (
        f"{method_class.__api_method__} returned {result!r}, not {method_class.__returning__!r}"
    )
    assert tg.session.calls[-1].method == method_class.__api_method__
    assert tg.session.calls[-1].error is None
