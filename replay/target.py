"""The one seam to the bot under test: its app factory.

A bot exposes `create_app(ctx: SandboxContext) -> App` (sync or async), named in
`pyproject.toml` as `[tool.replay] app = "module:function"`, in a scenario's `app:` key, or
with `--app` (in rising order of precedence). The factory gets the sandbox (a database URL
replay created, admin ids, the scenario's `seed:` mapping, a seeded Faker) and returns the
bot's real Dispatcher, the background jobs a scenario may run by name, and a shutdown hook.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import tomllib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import BaseStorage
from faker import Faker

from replay.errors import ReplayError

Job = Callable[[Bot], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class ActorInfo:
    """An actor as the app factory sees it."""

    name: str
    id: int
    first_name: str
    last_name: str | None
    username: str | None
    language_code: str | None
    admin: bool


@dataclass(frozen=True, slots=True)
class ChatInfo:
    name: str
    id: int
    type: str
    title: str | None


@dataclass(frozen=True, slots=True)
class SandboxContext:
    """What replay hands the app factory for one run."""

    database_url: str
    admin_ids: tuple[int, ...]
    seed: Mapping[str, Any]
    faker: Faker
    actors: Mapping[str, ActorInfo]
    chats: Mapping[str, ChatInfo]
    scenario: str
    workdir: Path
    fsm_storage: BaseStorage | None = None
    # True when another process already created the schema and seeded this database (load
    # workers sharing a server database): the factory must then skip both.
    prepared: bool = False

    def chat_id(self, name: str, default: int) -> int:
        """The id of the scenario's chat `name`, or `default` when it defines none."""
        chat = self.chats.get(name)
        return chat.id if chat else default


@dataclass(slots=True)
class App:
    """What the factory returns: the real Dispatcher and what replay may call besides it.

    `bot` is optional: give your own Bot to keep its default properties (parse mode, ...);
    replay replaces its session with the offline one either way.
    """

    dispatcher: Dispatcher
    jobs: Mapping[str, Job] = field(default_factory=dict)
    shutdown: Callable[[], Awaitable[None] | None] | None = None
    bot: Bot | None = None


AppFactory = Callable[[SandboxContext], "App | Awaitable[App]"]


def find_project_root(start: Path | None = None) -> Path:
    """The nearest directory upwards with a pyproject.toml, else the working directory."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        if (directory / "pyproject.toml").is_file():
            return directory
    return here


def configured_app(root: Path) -> str | None:
    """`[tool.replay] app` from the project's pyproject.toml."""
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        return None
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        msg = f"pyproject.toml: cannot read [tool.replay]: {exc}"
        raise ReplayError(msg) from None
    value = data.get("tool", {}).get("replay", {}).get("app")
    return value if isinstance(value, str) else None


def resolve_app_ref(cli: str | None, scenario: str | None, root: Path) -> str:
    ref = cli or scenario or configured_app(root)
    if not ref:
        msg = (
            "no app factory to load the bot from; point replay at one with --app "
            "module:function, an app: key in the scenario, or [tool.replay] app = "
            '"module:function" in pyproject.toml (see docs/adapter.md)'
        )
        raise ReplayError(msg)
    return ref


def load_factory(ref: str, root: Path) -> AppFactory:
    module_name, _, attribute = ref.partition(":")
    if not module_name or not attribute:
        msg = f"app {ref!r} must have the form module:function, e.g. bot.replay_app:create_app"
        raise ReplayError(msg)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            msg = (
                f"app {ref!r}: no module named {exc.name!r} (looked in {root.name}/ and sys.path)"
            )
            raise ReplayError(msg) from None
        raise
    factory: Any = module
    for part in attribute.split("."):
        factory = getattr(factory, part, None)
        if factory is None:
            names = [n for n in dir(module) if not n.startswith("_")]
            from replay.scenario.errors import did_you_mean

            hint = did_you_mean(part, names)
            msg = f"app {ref!r}: module {module_name!r} has no {part!r}" + (
                f"; {hint}" if hint else ""
            )
            raise ReplayError(msg)
    if not callable(factory):
        msg = f"app {ref!r} is not callable; it must be a function that returns replay.App"
        raise ReplayError(msg)
    return factory  # type: ignore[no-any-return]


async def build_app(factory: AppFactory, ctx: SandboxContext, ref: str) -> App:
    app = factory(ctx)
    if inspect.isawaitable(app):
        app = await app
    if isinstance(app, Dispatcher):
        app = App(dispatcher=app)
    if not isinstance(app, App):
        msg = (
            f"app factory {ref!r} returned {type(app).__name__}; it must return "
            "replay.App(dispatcher=..., jobs=..., shutdown=...)"
        )
        raise ReplayError(msg)
    return app
