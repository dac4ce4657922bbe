"""`{{ name }}` templates: variables, captures, actors, chats, Faker and the virtual user.

Only names are allowed, no expressions: `{{ token }}`, `{{ actors.alice.id }}`,
`{{ chats.vip.id }}`, `{{ faker.email }}`, `{{ vu }}`. A string that is exactly one template
keeps the value's type (an id stays a number).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import Any

from replay.errors import ReplayError

TEMPLATE = re.compile(r"\{\{\s*(.*?)\s*\}\}")
NAME = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")

ACTOR_FIELDS = ("id", "first_name", "last_name", "username", "language_code", "full_name")
CHAT_FIELDS = ("id", "title", "username", "type")


class UndefinedVariable(ReplayError):
    """A template names something that has no value when the step runs."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        listed = ", ".join(sorted(known)) or "none"
        super().__init__(f"undefined variable {{{{ {name} }}}} (defined now: {listed})")


def names_in(value: Any) -> Iterator[str]:
    """Every template expression used anywhere in `value` (strings, lists, mappings)."""
    if isinstance(value, str):
        if "{{" in value:
            yield from TEMPLATE.findall(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from names_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from names_in(item)


@cache
def faker_providers() -> frozenset[str]:
    from faker import Faker

    faker = Faker()
    return frozenset(name for name in dir(faker) if not name.startswith("_"))


def lookup(name: str, context: Mapping[str, Any]) -> Any:
    """The value of a dotted name; raises KeyError when any part is missing."""
    head, *rest = name.split(".")
    value = context[head]
    for part in rest:
        if isinstance(value, Mapping):
            value = value[part]
        elif head == "faker":
            provider = getattr(value, part, None)
            if not callable(provider):
                raise KeyError(name)
            value = provider()
        else:
            value = getattr(value, part)
    return value


def render(value: Any, context: Mapping[str, Any]) -> Any:
    """`value` with every template replaced; raises `UndefinedVariable`."""
    if isinstance(value, str):
        if "{{" not in value:
            return value
        whole = TEMPLATE.fullmatch(value)
        if whole is not None:
            return _resolve(whole.group(1), context)
        return TEMPLATE.sub(lambda m: str(_resolve(m.group(1), context)), value)
    if isinstance(value, dict):
        return {key: render(item, context) for key, item in value.items()}
    if isinstance(value, list):
        return [render(item, context) for item in value]
    return value


def _resolve(name: str, context: Mapping[str, Any]) -> Any:
    try:
        return lookup(name, context)
    except (KeyError, AttributeError, TypeError):
        raise UndefinedVariable(name, _known_names(context)) from None


def _known_names(context: Mapping[str, Any]) -> list[str]:
    names: list[str] = []
    for key, value in context.items():
        if key in {"actors", "chats"} and isinstance(value, Mapping):
            # `actors.alice` alone is no template; name the form that is.
            names.extend(f"{key}.{inner}.<field>" for inner in value)
        elif key == "faker":
            names.append("faker.<provider>")
        else:
            names.append(key)
    return names


NameCheck = Callable[[str], str | None]
