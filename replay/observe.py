"""From a finished step's probe to what results show: transcript, calls, captures, locations."""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterable, Mapping
from typing import Any

from replay.project import Project
from replay.result import CallRecord, ChatLine
from replay.scenario.model import Capture
from replay.telegram.calls import ApiCall, MessageView

MAX_TRANSCRIPT_LINES = 40
MAX_CALLS_KEPT = 100


def message_views(calls: Iterable[ApiCall]) -> list[MessageView]:
    return [call.message for call in calls if call.message is not None]


def transcript(
    action: ChatLine | None, calls: list[ApiCall], chat_names: Mapping[int, str]
) -> tuple[ChatLine, ...]:
    """The step as a chat: what the user did, then what the bot showed, in order."""
    lines = [action] if action else []
    bot_lines = 0
    for call in calls:
        line = None
        if call.message is not None:
            view = call.message
            line = ChatLine(
                "bot",
                view.chat_id,
                view.text,
                buttons=view.buttons,
                action=view.action,
                actor=chat_names.get(view.chat_id),
            )
        elif call.method == "answerCallbackQuery" and call.params.get("text"):
            alert = "alert" if call.params.get("show_alert") else "toast"
            line = ChatLine("bot", 0, str(call.params["text"]), action=alert)
        elif call.error:
            line = ChatLine(
                "bot",
                call.chat_id or 0,
                f"{call.method} failed: {call.error}",
                action="error",
                actor=chat_names.get(call.chat_id or 0),
            )
        if line is None:
            continue
        bot_lines += 1
        if bot_lines > MAX_TRANSCRIPT_LINES:
            rest = sum(1 for c in calls if c.message is not None) - MAX_TRANSCRIPT_LINES
            lines.append(ChatLine("system", 0, f"… and {max(rest, 1)} more messages"))
            break
        lines.append(line)
    return tuple(lines)


def call_records(calls: list[ApiCall]) -> tuple[CallRecord, ...]:
    kept = calls[:MAX_CALLS_KEPT]
    return tuple(CallRecord(c.method, c.params, c.error, c.late) for c in kept)


def _field(data: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def _first_group(pattern: str, texts: Iterable[str]) -> str | None:
    # No DOTALL, unlike `matches`: a capture takes a value, and 'Ends: (.*)' means the rest of
    # that line, not every line after it.
    compiled = re.compile(pattern)
    for text in texts:
        match = compiled.search(text)
        if match is not None:
            return match.group(1) if compiled.groups else match.group(0)
    return None


def capture_values(
    captures: Mapping[str, Capture],
    replies: list[str],
    views: list[MessageView],
    calls: list[ApiCall],
) -> tuple[dict[str, Any], list[str]]:
    """(values captured, failure texts) for a step's `capture:`."""
    values: dict[str, Any] = {}
    failures: list[str] = []
    for name, capture in captures.items():
        value: Any = None
        if capture.reply is not None:
            value = _first_group(capture.reply, reversed(replies))
            where = f"no reply matched /{capture.reply}/; replies: {replies!r}"
        elif capture.button is not None:
            labels = [text for view in reversed(views) for row in view.buttons for text in row]
            value = _first_group(capture.button, labels)
            where = f"no button matched /{capture.button}/; buttons: {labels!r}"
        elif capture.call is not None:
            wanted = capture.call
            matching = [c for c in calls if c.method.lower() == wanted.method.lower()]
            for call in matching:
                value = _field(call.params, wanted.field)
                if value is None:
                    value = _field(call.result, wanted.field)
                if value is not None:
                    break
            made = sorted({c.method for c in calls})
            where = f"no {wanted.method} call with {wanted.field!r}; calls made: {made!r}"
        else:
            where = "the capture names no source (reply, button or call)"
        if value is None:
            failures.append(f"capture {name!r}: {where}")
        else:
            values[name] = value
    return values, failures


def error_location(error: BaseException, project: Project) -> str:
    """`file:line in function` of the innermost frame of the bot's code in the traceback."""
    found = None
    for frame, line in traceback.walk_tb(error.__traceback__):
        if project.is_app_file(frame.f_code.co_filename):
            found = (frame.f_code.co_filename, line, frame.f_code.co_name)
    if found is None:
        return ""
    return f"{project.relative(found[0])}:{found[1]} in {found[2]}"


def describe_error(error: BaseException, project: Project) -> str:
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    where = error_location(error, project)
    return f"{text} (at {where})" if where else text
