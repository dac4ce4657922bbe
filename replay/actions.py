"""What each verb does: turn a step into updates for the real Dispatcher, or act directly.

An update goes through `dp.feed_update` exactly as aiogram's polling would hand it over; a
`TelegramMethod` a handler returns (the webhook-reply style) is executed the way aiogram's
webhook handler would, so its call is made and recorded.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.methods import TelegramMethod
from aiogram.types import Update

from replay.errors import ButtonNotFoundError, ReplayError
from replay.result import ChatLine
from replay.scenario.durations import format_duration, parse_duration
from replay.scenario.errors import known
from replay.scenario.model import ClickTarget, MemberChange, SendContent, Step

if TYPE_CHECKING:
    from replay.engine import ScenarioRun
    from replay.telegram.world import TgChat


class StepProblem(ReplayError):
    """The step could not be performed as written (a missing button, an unknown job)."""


@dataclass(slots=True)
class ActionOutcome:
    handled: bool | None = None  # None: the verb feeds no update
    line: ChatLine | None = None


@dataclass(slots=True)
class Prepared:
    """A step ready to go: an update to feed, or an action that needs no update."""

    update: Update | None = None
    line: ChatLine | None = None
    direct: Callable[[], Awaitable[ActionOutcome]] | None = None


def prepare(run: ScenarioRun, step: Step, argument: Any, actor: str | None) -> Prepared:
    """Build what the step sends (the update, and the chat line a person would see)."""
    verb = step.verb
    if verb == "send":
        return _send(run, argument, actor)
    if verb == "click":
        return _click(run, argument, actor)
    if verb in {"join", "leave", "member"}:
        return _membership(run, verb, argument, actor)
    if verb == "set_state":
        return Prepared(direct=lambda: _set_state(run, str(argument), step.data, actor))
    if verb == "advance":
        delta = parse_duration(argument)
        line = ChatLine("system", 0, f"time passes: {format_duration(delta)}")

        async def advance() -> ActionOutcome:
            run.clock.advance(delta)
            return ActionOutcome(line=line)

        return Prepared(direct=advance)
    if verb == "job":
        return Prepared(direct=lambda: _job(run, str(argument)))
    msg = f"verb {verb!r} cannot run as a single step"  # repeat/include are expanded earlier
    raise AssertionError(msg)


async def perform(run: ScenarioRun, step: Step, argument: Any, actor: str | None) -> ActionOutcome:
    return await carry_out(run, prepare(run, step, argument, actor))


async def carry_out(run: ScenarioRun, prepared: Prepared) -> ActionOutcome:
    """Feed the prepared update (or do the direct action): the part a step's time measures."""
    if prepared.direct is not None:
        return await prepared.direct()
    return ActionOutcome(handled=await feed(run, prepared.update), line=prepared.line)


async def feed(run: ScenarioRun, update: Any) -> bool:
    """Feed one update; True when a handler took it."""
    bot = run.telegram.bot
    result = await run.dispatcher.feed_update(bot, update)
    if isinstance(result, TelegramMethod):
        await bot(result)
    return result is not UNHANDLED


def _actor(run: ScenarioRun, actor: str | None) -> str:
    if actor is None:  # the loader guarantees an actor for the verbs that need one
        msg = "this step needs an actor"
        raise StepProblem(msg)
    return actor


def _send(run: ScenarioRun, argument: Any, actor: str | None) -> Prepared:
    name = _actor(run, actor)
    user = run.users[name]
    world, updates = run.telegram.world, run.telegram.updates
    if isinstance(argument, SendContent):
        content = argument
        reply_to = world.last_bot_message(user.id) if content.reply_to == "last" else None
        if content.reply_to == "last" and reply_to is None:
            msg = "reply_to: last, but the bot has sent no message in this chat to reply to"
            raise StepProblem(msg)
        contact = content.contact
        if contact is True:
            contact = {"phone_number": "+10000000000", "first_name": user.first_name}
        update = updates.message(
            user,
            content.text,
            caption=content.caption,
            photo=bool(content.photo),
            document=content.document,
            contact=contact if isinstance(contact, dict) else None,
            location=content.location,
            reply_to=reply_to,
        )
        shown = content.text or content.caption or _content_kind(content)
    else:
        update = updates.message(user, str(argument))
        shown = str(argument)
    return Prepared(update, ChatLine("user", user.id, shown, action="sent", actor=name))


def _content_kind(content: SendContent) -> str:
    for kind in ("photo", "document", "contact", "location"):
        if getattr(content, kind):
            return f"[{kind}]"
    return "[message]"


def _click(run: ScenarioRun, argument: Any, actor: str | None) -> Prepared:
    name = _actor(run, actor)
    user = run.users[name]
    world = run.telegram.world
    if isinstance(argument, ClickTarget) and argument.forge:
        return _forged_click(run, argument, name)
    try:
        if isinstance(argument, ClickTarget):
            message, button = world.find_button(user.id, text=argument.text, data=argument.data)
        elif len(argument) > 2 and argument.startswith("/") and argument.endswith("/"):
            message, button = world.find_button(user.id, pattern=re.compile(argument[1:-1]))
        else:
            message, button = world.find_button(user.id, text=str(argument))
    except ButtonNotFoundError as exc:
        raise StepProblem(str(exc)) from None
    if button.kind == "reply":
        msg = f"{button.text!r} is a reply-keyboard button: press it with  send: {button.text}"
        raise StepProblem(msg)
    if button.kind != "callback" or button.data is None:
        msg = f"{button.text!r} is a {button.kind} button; pressing it sends nothing to the bot"
        raise StepProblem(msg)
    update = run.telegram.updates.callback_query(user, message, button.data)
    return Prepared(
        update, ChatLine("user", user.id, f"[{button.text}]", action="pressed", actor=name)
    )


def _forged_click(run: ScenarioRun, target: ClickTarget, name: str) -> Prepared:
    """A callback query no button sends: `data` attached to the newest bot message in the chat.

    A Telegram client only sends the data of buttons the bot made, but anyone can craft a
    callback query by hand; this tests that the bot's guards refuse data it never offered.
    """
    if target.data is None:  # the model requires data with forge
        msg = "forge: true needs data: (the callback data to send)"
        raise StepProblem(msg)
    user = run.users[name]
    world = run.telegram.world
    message = world.last_bot_message(user.id) or world.earlier_bot_message(user.id)
    update = run.telegram.updates.callback_query(user, message, target.data)
    line = ChatLine(
        "user", user.id, f"[forged callback data {target.data!r}]", action="pressed", actor=name
    )
    return Prepared(update, line)


def _membership(run: ScenarioRun, verb: str, argument: Any, actor: str | None) -> Prepared:
    name = _actor(run, actor)
    user = run.users[name]
    updates = run.telegram.updates
    if verb == "join":
        chat = _chat(run, str(argument))
        update = updates.join_request(user, chat)
        text = f"asks to join {chat.title or chat.id}"
    else:
        change = argument if isinstance(argument, MemberChange) else None
        chat = _chat(run, change.chat if change else str(argument))
        status = change.status if change else "left"
        update = updates.chat_member(user, chat, status)
        text = f"is now {status} in {chat.title or chat.id}"
    return Prepared(update, ChatLine("user", chat.id, text, action=verb, actor=name))


def _chat(run: ScenarioRun, name: str) -> TgChat:
    """A chat of `chats:` by name; the loader checks literal names, a template may miss."""
    chat = run.chats.get(name)
    if chat is None:
        msg = f"unknown chat {name!r}; " + known("chats", run.chats)
        raise StepProblem(msg)
    return chat


async def _set_state(
    run: ScenarioRun, state: str, data: dict[str, Any] | None, actor: str | None
) -> ActionOutcome:
    name = _actor(run, actor)
    context = run.fsm_context(name)
    await context.set_state(state)
    if data is not None:
        await context.set_data(data)
    line = ChatLine("system", run.users[name].id, f"{name}: FSM state set to {state}", actor=name)
    return ActionOutcome(line=line)


async def _job(run: ScenarioRun, name: str) -> ActionOutcome:
    job = run.app.jobs.get(name)
    if job is None:  # checked before the run starts; kept for jobs removed at run time
        msg = f"the app has no job {name!r}"
        raise StepProblem(msg)
    result = await job(run.telegram.bot)
    text = f"job {name}" + (f" -> {result!r}" if result is not None else "")
    return ActionOutcome(line=ChatLine("system", 0, text))
