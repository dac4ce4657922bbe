"""Turn pydantic's validation errors into issues at the right line, in plain words."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from replay.scenario.errors import Issue, did_you_mean
from replay.scenario.source import Path, Positions


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types inside Optional/Union/Annotated."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        found: list[Any] = []
        for arg in typing.get_args(annotation):
            found.extend(_unwrap(arg))
        return found
    return [annotation]


def _field(model: type[BaseModel], key: str) -> Any:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return info.annotation
    return None


def model_at(model: type[BaseModel], path: Path) -> type[BaseModel] | None:
    """The model class that validates the mapping at `path`, if the path leads to one."""
    current: list[Any] = [model]
    for part in path:
        following: list[Any] = []
        for candidate in current:
            origin = typing.get_origin(candidate)
            if isinstance(part, int) and origin is list:
                following.extend(_unwrap(typing.get_args(candidate)[0]))
            elif isinstance(part, str) and origin is dict:
                following.extend(_unwrap(typing.get_args(candidate)[1]))
            elif isinstance(candidate, type) and issubclass(candidate, BaseModel):
                annotation = _field(candidate, str(part))
                if annotation is not None:
                    following.extend(_unwrap(annotation))
        current = following
    for candidate in current:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def keys_of(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _data_path(data: Any, loc: tuple[Any, ...], *, missing: bool = False) -> Path:
    """`loc` without pydantic's union tags: only the parts that exist in the data.

    With `missing`, a last part absent from the data is kept: it is the missing key itself.
    """
    path: list[str | int] = []
    current = data
    for index, part in enumerate(loc):
        is_last = index == len(loc) - 1
        in_dict = isinstance(current, dict) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and part < len(current)
        if in_dict or in_list:
            path.append(part)
            current = current[part]
        elif missing and is_last and isinstance(current, dict) and isinstance(part, str):
            path.append(part)  # a missing key: the key itself is the spot
    return tuple(path)


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return repr(value)


def _message(error: Any, key: str | int | None) -> tuple[str, str | None]:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    simple = {
        "int_parsing": "a whole number",
        "int_type": "a whole number",
        "int_from_float": "a whole number",
        "float_parsing": "a number",
        "float_type": "a number",
        "bool_parsing": "true or false",
        "bool_type": "true or false",
        "string_type": "text",
        "dict_type": "a mapping (key: value lines)",
        "model_type": "a mapping (key: value lines)",
        "model_attributes_type": "a mapping (key: value lines)",
        "list_type": "a list (lines starting with '- ')",
    }
    if kind in simple:
        return f"{key!s}: expected {simple[kind]}, got {_describe(value)}", None
    if kind == "value_error":
        return f"{key!s}: {ctx.get('error', error['msg'])}", None
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        choices = [part.strip(" '") for part in expected.replace(" or ", ",").split(",")]
        hint = did_you_mean(str(value), choices) if isinstance(value, str) else None
        return f"{key!s}: expected {expected}, got {_describe(value)}", hint
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        if pattern.startswith("^[a-z0-9_-]"):
            return (
                f"{key!s}: {value!r} is not a valid name",
                "use lowercase letters, digits, '_' and '-' only",
            )
        return f"{key!s}: {value!r} does not have the form module:function", None
    if kind == "text_or_mapping":
        return f"{key!s}: {error['msg']}, got {_describe(value)}", None
    if kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        return f"{key!s}: {error['msg'].lower()}, got {_describe(value)}", None
    return f"{key!s}: {error['msg']}", None


def pydantic_issues(
    exc: ValidationError,
    data: Any,
    positions: Positions,
    model: type[BaseModel],
    base: Path = (),
) -> list[Issue]:
    """Issues for every error of `exc` raised while validating `data` (found at `base`)."""
    issues: list[Issue] = []
    for error in exc.errors():
        path = _data_path(data, error["loc"], missing=error["type"] == "missing")
        key = path[-1] if path else None
        where = (*base, *path)
        if error["type"] == "extra_forbidden":
            parent = model_at(model, path[:-1])
            allowed = keys_of(parent) if parent else []
            hint = did_you_mean(str(key), allowed)
            if hint is None and allowed:
                hint = "allowed keys here: " + ", ".join(allowed)
            issues.append(positions.issue(where, f"unknown key {key!r}", hint, key=True))
        elif error["type"] == "missing":
            issues.append(positions.issue(where[:-1], f"missing required key {key!r}", key=False))
        else:
            message, hint = _message(error, key)
            issues.append(positions.issue(where, message, hint))
    return issues
