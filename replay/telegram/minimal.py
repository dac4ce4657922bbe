"""The smallest valid Bot API value of any aiogram type.

Used for the methods the offline session has no realistic answer for (there are ~170 Bot API
methods; bots call a dozen): the result is built from the aiogram model's own required fields,
so it always validates into the type the method promises, and stays valid when aiogram adds
methods or fields.
"""

from __future__ import annotations

import datetime
import enum
import types
import typing
from functools import cache
from typing import Any

from pydantic import BaseModel

from replay.telegram.world import now_ts


def minimal_value(annotation: Any, name: str = "") -> Any:
    """A JSON value that validates as `annotation`; `name` hints at dates and ids."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return minimal_value(typing.get_args(annotation)[0], name)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return minimal_value(options[0], name) if options else None
    if origin is typing.Literal:
        value = typing.get_args(annotation)[0]
        return value.value if isinstance(value, enum.Enum) else value
    if origin in (list, tuple, set, frozenset):
        return []
    if origin is dict:
        return {}
    if isinstance(annotation, type):
        return _minimal_of_class(annotation, name)
    return None


def _minimal_of_class(cls: type, name: str) -> Any:
    if issubclass(cls, BaseModel):
        return dict(minimal_model(cls))
    if issubclass(cls, bool):
        return name == ""  # a method returning bool succeeded; a flag field is off
    if issubclass(cls, enum.Enum):
        return next(iter(cls)).value
    if issubclass(cls, int):
        return now_ts() if "date" in name else 0
    if issubclass(cls, float):
        return 0.0
    if issubclass(cls, str):
        return f"replay-{name}" if name.endswith("id") else ""
    if issubclass(cls, datetime.datetime):
        return now_ts()
    return None


@cache
def _required_fields(model: type[BaseModel]) -> tuple[tuple[str, Any], ...]:
    fields = []
    for field_name, info in model.model_fields.items():
        if not info.is_required():
            continue
        key = info.alias or field_name
        fields.append((key, info.annotation))
    return tuple(fields)


def minimal_model(model: type[BaseModel]) -> dict[str, Any]:
    """The required fields of `model` with minimal values (a fresh dict each call)."""
    return {key: minimal_value(annotation, key) for key, annotation in _required_fields(model)}
