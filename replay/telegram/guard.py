"""The network guard: while replay runs, nothing reaches the real Telegram Bot API.

Two layers, both process-wide while at least one run is active:

* Bots that still talk through aiogram's HTTP session (a module-level `bot = Bot(TOKEN)` the
  bot's code calls directly) are answered by the offline session of the run in whose task the
  call happens, and recorded in its step like the Dispatcher's own bot. While the guard is
  installed but no offline session is active in the caller's context (an app factory, before
  the run's offline Telegram exists; a task with a fresh context) they raise
  `NetworkGuardError`. When no run is active at all, aiogram is left untouched.
* Any other way out (a raw aiohttp request, a hand-made session) fails at the name lookup of a
  Telegram host, or at aiohttp's request entry, with `NetworkGuardError`.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import aiohttp
from aiogram.client.session.aiohttp import AiohttpSession
from yarl import URL

from replay.errors import NetworkGuardError
from replay.telegram.session import OfflineSession

TELEGRAM_HOSTS = ("telegram.org", "t.me", "telegram.me", "telesco.pe")

active_session: ContextVar[OfflineSession | None] = ContextVar(
    "replay_active_offline_session", default=None
)

_lock = threading.Lock()
_depth = 0
_originals: dict[str, Any] = {}


def is_telegram_host(host: str | bytes | None) -> bool:
    if host is None:
        return False
    name = (host.decode() if isinstance(host, bytes) else host).lower().rstrip(".")
    return any(name == h or name.endswith("." + h) for h in TELEGRAM_HOSTS)


def _blocked(target: str) -> NetworkGuardError:
    msg = (
        f"replay blocked a connection to {target}: a replay run never reaches Telegram. "
        "Bot API calls must go through the Bot replay gave the Dispatcher (or a Bot on "
        "aiogram's default session, which replay answers offline)."
    )
    return NetworkGuardError(msg)


async def _routed_make_request(
    self: AiohttpSession, bot: Any, method: Any, timeout: int | None = None
) -> Any:
    offline = active_session.get()
    if offline is None:
        raise _blocked(f"the Bot API ({method.__api_method__})")
    return await offline.make_request(bot, method, timeout)


async def _routed_stream_content(self: AiohttpSession, url: str, *args: Any, **kwargs: Any) -> Any:
    raise _blocked(url)
    yield b""  # pragma: no cover - makes this an async generator like the original


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if is_telegram_host(host):
        raise _blocked(str(host))
    return _originals["getaddrinfo"](host, *args, **kwargs)


async def _guarded_request(
    self: aiohttp.ClientSession, method: str, str_or_url: Any, **kwargs: Any
) -> Any:
    host = URL(str(str_or_url)).host
    if is_telegram_host(host):
        raise _blocked(str(str_or_url))
    return await _originals["request"](self, method, str_or_url, **kwargs)


def _install() -> None:
    _originals["make_request"] = AiohttpSession.make_request
    _originals["stream_content"] = AiohttpSession.stream_content
    _originals["getaddrinfo"] = socket.getaddrinfo
    _originals["request"] = aiohttp.ClientSession._request
    AiohttpSession.make_request = _routed_make_request  # type: ignore[method-assign]
    AiohttpSession.stream_content = _routed_stream_content  # type: ignore[method-assign]
    socket.getaddrinfo = _guarded_getaddrinfo
    aiohttp.ClientSession._request = _guarded_request  # type: ignore[method-assign]


def _uninstall() -> None:
    AiohttpSession.make_request = _originals.pop("make_request")  # type: ignore[method-assign]
    AiohttpSession.stream_content = _originals.pop("stream_content")  # type: ignore[method-assign]
    socket.getaddrinfo = _originals.pop("getaddrinfo")
    aiohttp.ClientSession._request = _originals.pop("request")  # type: ignore[method-assign]


@contextmanager
def network_guard(session: OfflineSession | None = None) -> Iterator[None]:
    """Guard the network for the duration of the block (re-entrant, process-wide).

    `session` answers the calls of stray aiohttp-session bots made in this context.
    """
    global _depth  # noqa: PLW0603 - one process-wide patch, reference counted
    with _lock:
        if _depth == 0:
            _install()
        _depth += 1
    token = active_session.set(session)
    try:
        yield
    finally:
        active_session.reset(token)
        with _lock:
            _depth -= 1
            if _depth == 0:
                _uninstall()


def guard_active() -> bool:
    return _depth > 0
