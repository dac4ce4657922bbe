"""What each verb does: turn a step into updates for the real Dispatcher, or act directly.

An update goes through `dp.feed_update` exactly as aiogram's polling would hand it over; a
`TelegramMethod` a handler returns (the webhook-reply style) is executed the way aiogram's
webhook handler would, so its call is made and recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.methods import TelegramMethod

from replay.errors import ButtonNotFoundError, ReplayError
from replay.result import ChatLine
from replay.scenario.durations import format_duration, parse_duration
from replay.scenario.model import ClickTarget, MemberChange, SendContent, Step

if TYPE_CHECKING:
    from replay.engine import ScenarioRun


class StepProblem(ReplayError):
    """The step could not be performed as written (a missing button, an unknown job)."""


@dataclass(slots=True)
class ActionOutcome:
    handled: bool | None = None  # None: the verb feeds no update
    line: ChatLine | None = None


async def perform(run: ScenarioRun, step: Step, argument: Any, actor: str | None) -> ActionOutcome:
    verb = step.verb
    if verb == "send":
        return await _send(run, argument, actor)
    if verb == "click":
        return await _click(run, argument, actor)
    if verb in {"join", "leave", "member"}:
        return await _membership(run, verb, argument, actor)
    if verb == "set_state":
        return await _set_state(run, str(argument), step.data, actor)
    if verb == "advance":
        delta = parse_duration(argument)
        run.clock.advance(delta)
        return ActionOutcome(line=ChatLine("system", 0, f"time passes: {format_duration(delta)}"))
    if verb == "job":
        return await _job(run, str(argument))
    msg = f"verb {verb!r} cannot run as a single step"  # repeat/include are expanded earlier
    raise AssertionError(msg)


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


async def _send(run: ScenarioRun, argument: Any, actor: str | None) -> ActionOutcome:
    name = _actor(run, actor)
    user = run.users[name]
    world, updates = run.telegram.world, run.telegram.updates
    if isinstance(argument, SendContent):
        content = argument
        reply_to = world.last_bot_message(user.id) if content.reply_to == "last" else None
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
    line = ChatLine("user", user.id, shown, action="sent", actor=name)
    return ActionOutcome(handled=await feed(run, update), line=line)


def _content_kind(content: SendContent) -> str:
    for kind in ("photo", "document", "contact", "location"):
        if getattr(content, kind):
            return f"[{kind}]"
    return "[message]"


async def _click(run: ScenarioRun, argument: Any, actor: str | None) -> ActionOutcome:
    name = _actor(run, actor)
    user = run.users[name]
    world = run.telegram.world
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
    line = ChatLine("user", user.id, f"[{button.text}]", action="pressed", actor=name)
    return ActionOutcome(handled=await feed(run, update), line=line)


async def _membership(
    run: ScenarioRun, verb: str, argument: Any, actor: str | None
) -> ActionOutcome:
    name = _actor(run, actor)
    user = run.users[name]
    updates = run.telegram.updates
    if verb == "join":
        chat = run.chats[str(argument)]
        update = updates.join_request(user, chat)
        text = f"asks to join {chat.title or chat.id}"
    else:
        change = argument if isinstance(argument, MemberChange) else None
        chat = run.chats[change.chat if change else str(argument)]
        status = change.status if change else "left"
        update = updates.chat_member(user, chat, status)
        text = f"is now {status} in {chat.title or chat.id}"
    line = ChatLine("user", chat.id, text, action=verb, actor=name)
    return ActionOutcome(handled=await feed(run, update), line=line)


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
