"""The network guard: nothing reaches Telegram, and bots on aiogram's own session go offline.

These tests run on a machine without network access too; every request that might slip past
the guard has a short timeout, so a broken guard fails the test quickly instead of hanging.
"""

from __future__ import annotations

import asyncio
import contextvars
import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession

from replay.errors import NetworkGuardError
from replay.probe import StepProbe, current_probe
from replay.telegram import OFFLINE_TOKEN, OfflineTelegram, network_guard
from replay.telegram.guard import guard_active, is_telegram_host
from tests.telegram.conftest import ALICE

QUICK = aiohttp.ClientTimeout(total=3)


@pytest.fixture
async def module_level_bot() -> AsyncIterator[Bot]:
    """A bot as a bot module makes it at import time: aiogram's default HTTP session."""
    bot = Bot("777000:module-level-token")
    assert isinstance(bot.session, AiohttpSession)
    yield bot
    await bot.session.close()


async def test_a_bot_on_aiogram_session_is_answered_offline(
    tg: OfflineTelegram, module_level_bot: Bot
) -> None:
    with network_guard(tg.session):
        message = await module_level_bot.send_message(ALICE.id, "<b>from a module</b>")

    assert message.text == "<b>from a module</b>"  # that bot has no default parse mode
    assert message.bot is module_level_bot
    assert [call.method for call in tg.session.calls] == ["sendMessage"]
    assert tg.world.last_bot_message(ALICE.id) is not None


async def test_a_module_level_bots_calls_land_in_the_running_step(
    tg: OfflineTelegram, module_level_bot: Bot
) -> None:
    probe = StepProbe(index=3, capture_sql=False)
    token = current_probe.set(probe)
    try:
        with network_guard(tg.session):
            await module_level_bot.send_chat_action(ALICE.id, "typing")
    finally:
        current_probe.reset(token)

    assert [call.method for call in probe.calls] == ["sendChatAction"]
    assert list(tg.session.calls) == []


async def test_a_bot_call_without_an_offline_session_is_blocked(module_level_bot: Bot) -> None:
    with network_guard(), pytest.raises(NetworkGuardError, match=r"Bot API \(sendMessage\)"):
        await module_level_bot.send_message(ALICE.id, "nobody answers this")


async def test_a_task_outside_the_runs_context_is_blocked(
    tg: OfflineTelegram, module_level_bot: Bot
) -> None:
    # The guard is process-wide, the offline session belongs to one context: a call made in
    # a context that never entered a guard finds no session and must not reach Telegram.
    with network_guard(tg.session):
        stray = asyncio.get_running_loop().create_task(
            module_level_bot.get_me(), context=contextvars.Context()
        )
        with pytest.raises(NetworkGuardError):
            await stray

    assert list(tg.session.calls) == []


async def test_concurrent_runs_each_answer_their_own_calls(module_level_bot: Bot) -> None:
    first, second = OfflineTelegram.attach(), OfflineTelegram.attach()
    both_inside = asyncio.Barrier(2)

    async def run(tg: OfflineTelegram, text: str) -> None:
        with network_guard(tg.session):
            await both_inside.wait()
            await module_level_bot.send_message(ALICE.id, text)

    await asyncio.gather(run(first, "one"), run(second, "two"))

    assert [call.params["text"] for call in first.session.calls] == ["one"]
    assert [call.params["text"] for call in second.session.calls] == ["two"]


async def test_downloads_through_aiogram_session_are_blocked(
    tg: OfflineTelegram, module_level_bot: Bot
) -> None:
    with network_guard(tg.session), pytest.raises(NetworkGuardError):
        await module_level_bot.download_file("documents/file_1.pdf")


async def test_a_raw_aiohttp_request_to_telegram_is_blocked(tg: OfflineTelegram) -> None:
    url = f"https://api.telegram.org/bot{OFFLINE_TOKEN}/getMe"
    with network_guard(tg.session):
        async with aiohttp.ClientSession(timeout=QUICK) as http:
            with pytest.raises(NetworkGuardError, match="api.telegram.org"):
                await http.get(url)


async def test_a_relative_request_to_a_telegram_base_url_is_blocked(
    tg: OfflineTelegram,
) -> None:
    # The request's own URL names no host; the name lookup of the base URL's host trips.
    with network_guard(tg.session):
        async with aiohttp.ClientSession("https://api.telegram.org", timeout=QUICK) as http:
            with pytest.raises(NetworkGuardError):
                await http.get("/getMe")


async def test_a_name_lookup_of_telegram_is_blocked() -> None:
    with network_guard():
        for host in ("api.telegram.org", "t.me", "API.Telegram.Org.", b"telegram.me"):
            with pytest.raises(NetworkGuardError):
                socket.getaddrinfo(host, 443)


async def test_an_asyncio_connection_to_telegram_is_blocked() -> None:
    with network_guard(), pytest.raises(NetworkGuardError):
        await asyncio.wait_for(asyncio.open_connection("api.telegram.org", 443), timeout=3)


async def test_other_hosts_still_resolve() -> None:
    with network_guard():
        addresses = socket.getaddrinfo("localhost", 80, type=socket.SOCK_STREAM)

    assert addresses


def test_telegram_hosts_are_told_from_lookalikes() -> None:
    assert is_telegram_host("api.telegram.org")
    assert is_telegram_host("telesco.pe")
    assert not is_telegram_host("nottelegram.org")
    assert not is_telegram_host("telegram.org.example.com")
    assert not is_telegram_host(None)


async def test_leaving_the_guard_restores_everything(tg: OfflineTelegram) -> None:
    originals = (
        AiohttpSession.make_request,
        AiohttpSession.stream_content,
        socket.getaddrinfo,
        aiohttp.ClientSession._request,
    )

    with network_guard(tg.session):
        assert guard_active()
        assert socket.getaddrinfo is not originals[2]
        assert AiohttpSession.make_request is not originals[0]

    assert not guard_active()
    assert (
        AiohttpSession.make_request,
        AiohttpSession.stream_content,
        socket.getaddrinfo,
        aiohttp.ClientSession._request,
    ) == originals


async def test_nested_guards_stay_installed_until_the_outermost_exits(
    tg: OfflineTelegram,
) -> None:
    original = socket.getaddrinfo
    with network_guard(tg.session):
        with network_guard(tg.session):
            pass
        assert guard_active()
        with pytest.raises(NetworkGuardError):
            socket.getaddrinfo("api.telegram.org", 443)

    assert socket.getaddrinfo is original


async def test_the_guard_is_removed_when_the_block_raises(tg: OfflineTelegram) -> None:
    with pytest.raises(RuntimeError), network_guard(tg.session):
        raise RuntimeError

    assert not guard_active()
