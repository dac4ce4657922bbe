"""`/profile` runs a scenario and sends the profile back; `/profile_stats` shows live stats.

Both sit behind the admin guard: anyone else gets the same refusal as for any admin command.
"""

import asyncio
from html import escape

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import FSInputFile, Message

from bot.config import Config
from bot.profiling.command import (
    USAGE,
    ListScenarios,
    ProfileUsageError,
    RunScenario,
    parse_profile_args,
)
from bot.profiling.runner import (
    ProfileBusy,
    ProfileFailed,
    ProfileRunner,
    ProfileTimeout,
    ScenarioEntry,
)
from bot.profiling.stats import HandlerStats, format_stats
from bot.profiling.summary import format_summary

BUSY = "⏳ A profile run is in progress; try again when it has finished."
STATS_OFF = (
    "Live handler statistics are off. Start the bot with PROFILE_HANDLERS=1 to collect them "
    "(and PROFILE_SAMPLE_RATE=0.1 to measure one update in ten)."
)


def _listing(runner: ProfileRunner) -> str:
    entries = runner.entries()
    if not entries:
        return f"No scenarios in {escape(runner.scenarios.name)}/.\n{USAGE}"
    lines = [f"<b>Scenarios</b> ({len(entries)}):"]
    lines += [f"• <code>{e.name}</code> — {escape(e.description)}" for e in entries]
    lines.append("Run one with /profile scenario:NAME [iterations:N]")
    return "\n".join(lines)


async def _run_and_report(
    bot: Bot,
    runner: ProfileRunner,
    chat_id: int,
    status_id: int,
    entry: ScenarioEntry,
    iterations: int,
) -> None:
    try:
        outcome = await runner.run(entry, iterations)
    except ProfileBusy:
        await bot.edit_message_text(BUSY, chat_id=chat_id, message_id=status_id)
        return
    except ProfileTimeout:
        text = (
            f"⌛ The run of <b>{entry.name}</b> took longer than {runner.timeout:g} s "
            "and was stopped."
        )
        await bot.edit_message_text(text, chat_id=chat_id, message_id=status_id)
        return
    except ProfileFailed as error:
        text = f"❌ The run of <b>{entry.name}</b> failed:\n<pre>{escape(str(error))}</pre>"
        await bot.edit_message_text(text, chat_id=chat_id, message_id=status_id)
        return
    try:
        await bot.send_document(
            chat_id,
            FSInputFile(outcome.report, filename=f"{entry.name}-profile.html"),
            caption=f"Full report of {entry.name}: open it in a browser.",
        )
    finally:
        outcome.cleanup()
    # The status message above the report becomes the summary.
    await bot.edit_message_text(
        format_summary(outcome.result), chat_id=chat_id, message_id=status_id
    )


def create_router() -> Router:
    router = Router(name="admin-profile")

    @router.message(Command("profile"))
    async def profile(
        message: Message,
        command: CommandObject,
        bot: Bot,
        profile_runner: ProfileRunner,
        config: Config,
    ) -> None:
        try:
            request = parse_profile_args(command.args)
        except ProfileUsageError as error:
            await message.answer(f"{escape(str(error))}\n{USAGE}")
            return
        if isinstance(request, ListScenarios):
            await message.answer(_listing(profile_runner))
            return
        assert isinstance(request, RunScenario)
        entry = profile_runner.find(request.name)
        if entry is None:
            names = ", ".join(e.name for e in profile_runner.entries()) or "none"
            await message.answer(
                f"No scenario called <code>{request.name}</code>. Available: {names}"
            )
            return
        if profile_runner.busy:
            await message.answer(BUSY)
            return
        plural = "s" if request.iterations != 1 else ""
        status = await message.answer(
            f"⏳ Profiling <b>{entry.name}</b> ({request.iterations} iteration{plural})…"
        )
        # In the background: the live bot keeps answering while the child process runs.
        task = asyncio.create_task(
            _run_and_report(
                bot,
                profile_runner,
                message.chat.id,
                status.message_id,
                entry,
                request.iterations,
            )
        )
        profile_runner.current = task
        if not config.profile_background:
            await task

    @router.message(Command("profile_stats"))
    async def profile_stats(
        message: Message, command: CommandObject, handler_stats: HandlerStats | None
    ) -> None:
        if handler_stats is None:
            await message.answer(STATS_OFF)
            return
        if (command.args or "").strip() == "reset":
            handler_stats.reset()
            await message.answer("Handler statistics cleared.")
            return
        await message.answer(format_stats(handler_stats))

    return router
