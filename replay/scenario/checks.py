"""Checks that need the whole scenario: one verb per step, known actors, chats and variables."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from replay.scenario.errors import Issue, did_you_mean, known
from replay.scenario.model import VERBS, Step
from replay.scenario.pydantic_issues import keys_of
from replay.scenario.source import Path, Positions
from replay.scenario.templates import ACTOR_FIELDS, CHAT_FIELDS, NAME, faker_providers, names_in
from replay.scenario.values import check_expect, check_method, check_state

# Verbs that act as a Telegram user and so need an actor.
ACTOR_VERBS = {"send", "click", "join", "leave", "member", "set_state"}
REPEAT_KEYS = {"repeat", "steps", "name"}


@dataclass(slots=True)
class Entry:
    """A raw step with where it came from; `children` are the steps of a `repeat:`."""

    raw: Any
    positions: Positions
    path: Path
    children: list[Entry] | None = None


@dataclass(slots=True)
class Scope:
    actors: dict[str, Any]
    chats: dict[str, Any]
    vars: dict[str, Any]
    captured: dict[str, int] = field(default_factory=dict)  # name -> line that captures it
    captured_later: dict[str, tuple[str, int]] = field(default_factory=dict)


def _close_to_verb(raw: dict[str, Any]) -> bool:
    """An unknown key that looks like a verb was already reported with 'did you mean'."""
    step_keys = set(keys_of(Step))
    return any(did_you_mean(str(key), VERBS) for key in raw if key not in step_keys)


def _flat_names(scope: Scope) -> list[str]:
    names = list(scope.vars) + list(scope.captured) + ["vu"]
    names += [f"actors.{a}.{f}" for a in scope.actors for f in ("id", "first_name", "username")]
    names += [f"chats.{c}.id" for c in scope.chats]
    return names


def check_name(name: str, scope: Scope) -> tuple[str, str | None] | None:
    """None when `name` is defined, else (message, hint)."""
    if not NAME.match(name):
        return (
            f"{{{{ {name} }}}} is not a name",
            "templates hold one name like {{ token }} or {{ actors.alice.id }}; no expressions",
        )
    head, *rest = name.split(".")
    if head in scope.vars or head in scope.captured or (head == "vu" and not rest):
        return None
    if head == "actors" and len(rest) == 2:
        actor, attribute = rest
        if actor not in scope.actors:
            return f"unknown actor {actor!r} in {{{{ {name} }}}}", did_you_mean(
                actor, scope.actors
            )
        if attribute not in ACTOR_FIELDS:
            return (
                f"actors have no {attribute!r} in {{{{ {name} }}}}",
                "use one of: " + ", ".join(ACTOR_FIELDS),
            )
        return None
    if head == "chats" and len(rest) == 2:
        chat, attribute = rest
        if chat not in scope.chats:
            return f"unknown chat {chat!r} in {{{{ {name} }}}}", did_you_mean(chat, scope.chats)
        if attribute not in CHAT_FIELDS:
            return (
                f"chats have no {attribute!r} in {{{{ {name} }}}}",
                "use one of: " + ", ".join(CHAT_FIELDS),
            )
        return None
    if head == "faker" and len(rest) == 1:
        if rest[0] in faker_providers():
            return None
        hint = did_you_mean(rest[0], faker_providers())
        return f"Faker has no provider {rest[0]!r}", hint
    if head in scope.captured_later:
        file, line = scope.captured_later[head]
        return (
            f"{{{{ {name} }}}} is used before it is captured",
            f"it is captured by the step at {file}:{line}; move the capture earlier",
        )
    hint = did_you_mean(name, _flat_names(scope)) or known("variables", _flat_names(scope))
    return f"undefined variable {{{{ {name} }}}}", hint


def _check_templates(entry: Entry, raw: dict[str, Any], scope: Scope) -> Iterable[Issue]:
    for key, value in raw.items():
        if key in {"capture", "steps"}:
            continue
        for name in names_in(value):
            problem = check_name(name, scope)
            if problem is not None:
                yield entry.positions.issue((*entry.path, key), *problem)


def _check_refs(entry: Entry, raw: dict[str, Any], verb: str, scope: Scope) -> Iterable[Issue]:
    actor = raw.get("as")
    if isinstance(actor, str) and actor not in scope.actors:
        hint = did_you_mean(actor, scope.actors) or known("actors", scope.actors)
        yield entry.positions.issue((*entry.path, "as"), f"unknown actor {actor!r}", hint)
    elif actor is None and verb in ACTOR_VERBS and not scope.actors:
        yield entry.positions.issue(
            entry.path,
            f"'{verb}' needs an actor, but the scenario defines none",
            "add an actors: section, for example  actors: { alice: {} }",
        )
    chat = raw.get(verb) if verb in {"join", "leave"} else None
    if verb == "member" and isinstance(raw.get("member"), dict):
        chat = raw["member"].get("chat")
    if isinstance(chat, str) and "{{" not in chat and chat not in scope.chats:
        hint = did_you_mean(chat, scope.chats) or known("chats", scope.chats)
        yield entry.positions.issue((*entry.path, verb), f"unknown chat {chat!r}", hint)
    click = raw.get("click")
    if isinstance(click, str) and len(click) > 2 and click.startswith("/") and click.endswith("/"):
        try:
            re.compile(click[1:-1])
        except re.error as exc:
            message = f"click: bad regular expression {click!r}: {exc}"
            yield entry.positions.issue((*entry.path, "click"), message)


def _check_shape(entry: Entry, raw: dict[str, Any], verbs: list[str]) -> Iterable[Issue]:
    where = entry.path
    if not verbs and not _close_to_verb(raw):
        yield entry.positions.issue(where, "step has no verb", "add one of: " + ", ".join(VERBS))
    if len(verbs) > 1:
        yield entry.positions.issue(
            (*where, verbs[1]),
            f"two verbs in one step: {verbs[0]!r} and {verbs[1]!r}",
            "a step does one thing; split it into two steps",
            key=True,
        )
    if "repeat" in raw and len(verbs) == 1:
        # Only the repeated steps run: anything else on the repeat step would be ignored.
        ignored = [key for key in raw if key in keys_of(Step) and key not in REPEAT_KEYS]
        for extra in ignored:
            yield entry.positions.issue(
                (*where, extra),
                f"a repeat: step takes no {extra!r}",
                f"put {extra}: on the repeated steps",
                key=True,
            )
    if "repeat" in raw and "steps" not in raw:
        yield entry.positions.issue(
            (*where, "repeat"), "repeat: needs steps: (the steps to repeat)", key=True
        )
    if "steps" in raw and "repeat" not in raw:
        yield entry.positions.issue(
            (*where, "steps"), "steps: inside a step only goes with repeat: N", key=True
        )
    if "data" in raw and "set_state" not in raw:
        yield entry.positions.issue(
            (*where, "data"), "data: goes with set_state: (the FSM data to set)", key=True
        )


def _check_values(entry: Entry, raw: dict[str, Any]) -> Iterable[Issue]:
    if "set_state" in raw:
        where = (*entry.path, "set_state")
        yield from check_state(raw["set_state"], "set_state", entry.positions, where)
    yield from check_expect(raw.get("expect"), entry.positions, (*entry.path, "expect"))


def check_steps(entries: list[Entry], scope: Scope) -> list[Issue]:
    """Issues of every step in order; captures come into scope after their step."""
    issues: list[Issue] = []
    _note_captures(entries, scope)
    for entry in entries:
        raw = entry.raw
        if not isinstance(raw, dict):
            continue  # the model check already reported it
        verbs = [verb for verb in VERBS if verb in raw]
        issues.extend(_check_shape(entry, raw, verbs))
        if verbs:
            issues.extend(_check_refs(entry, raw, verbs[0], scope))
        issues.extend(_check_templates(entry, raw, scope))
        issues.extend(_check_values(entry, raw))
        if entry.children:
            issues.extend(check_steps(entry.children, scope))
        capture = raw.get("capture")
        if isinstance(capture, dict):
            line = entry.positions.of_value(entry.path)[0]
            for name in capture:
                scope.captured.setdefault(str(name), line)
    return issues


def _note_captures(entries: list[Entry], scope: Scope) -> None:
    for entry in entries:
        if isinstance(entry.raw, dict) and isinstance(entry.raw.get("capture"), dict):
            line = entry.positions.of_value(entry.path)[0]
            for name in entry.raw["capture"]:
                scope.captured_later.setdefault(str(name), (entry.positions.file, line))
        if entry.children:
            _note_captures(entry.children, scope)


def check_header(data: dict[str, Any], positions: Positions, scope: Scope) -> list[Issue]:
    """Checks outside the steps: load.shared, api_errors, defaults.expect, duplicate actor ids."""
    issues: list[Issue] = []
    load = data.get("load")
    if isinstance(load, dict) and isinstance(load.get("shared"), list):
        for index, name in enumerate(load["shared"]):
            if isinstance(name, str) and name not in scope.actors:
                hint = did_you_mean(name, scope.actors) or known("actors", scope.actors)
                issues.append(
                    positions.issue(("load", "shared", index), f"unknown actor {name!r}", hint)
                )
    errors = data.get("api_errors")
    if isinstance(errors, list):
        issues.extend(_check_api_errors(errors, positions, scope))
    defaults = data.get("defaults")
    if isinstance(defaults, dict):
        issues.extend(check_expect(defaults.get("expect"), positions, ("defaults", "expect")))
    seen: dict[int, str] = {}
    actors = data.get("actors")
    if isinstance(actors, dict):
        for name, spec in actors.items():
            actor_id = spec.get("id") if isinstance(spec, dict) else None
            if isinstance(actor_id, int):
                if actor_id in seen:
                    message = f"actors {seen[actor_id]!r} and {name!r} have the same id {actor_id}"
                    issues.append(positions.issue(("actors", name, "id"), message))
                seen[actor_id] = str(name)
    return issues


def _check_api_errors(errors: list[Any], positions: Positions, scope: Scope) -> Iterable[Issue]:
    for index, rule in enumerate(errors):
        if not isinstance(rule, dict):
            continue
        where = ("api_errors", index, "method")
        yield from check_method(rule.get("method"), positions, where, key=False)
        for key, names, kind in (
            ("actor", scope.actors, "actor"),
            ("chat", scope.chats, "chat"),
        ):
            value = rule.get(key)
            if isinstance(value, str) and value not in names:
                hint = did_you_mean(value, names) or known(f"{kind}s", names)
                where = ("api_errors", index, key)
                yield positions.issue(where, f"unknown {kind} {value!r}", hint)
