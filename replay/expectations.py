"""Check a step's `expect:` against what happened. Pure: observations in, failure texts out.

Each failure says what was expected and what happened, in words a bot developer reads at a
glance in a terminal or a CI log.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from replay.scenario.errors import did_you_mean
from replay.scenario.model import Expect, TextExpect
from replay.telegram.calls import ApiCall, MessageView

_CAMEL = re.compile(r"_([a-z])")


@dataclass(slots=True)
class Observation:
    """What a step did, as far as expectations can see."""

    actor: str | None
    chat_id: int | None
    views: list[MessageView] = field(default_factory=list)
    calls: list[ApiCall] = field(default_factory=list)
    state: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    handled: bool | None = True
    error: BaseException | None = None

    def messages_to_actor(self) -> list[MessageView]:
        return [
            view
            for view in self.views
            if view.action != "deleted" and (self.chat_id is None or view.chat_id == self.chat_id)
        ]

    def last_message(self) -> MessageView | None:
        messages = self.messages_to_actor()
        return messages[-1] if messages else None

    def sent_count(self) -> int:
        return sum(1 for view in self.messages_to_actor() if view.action == "sent")


@cache
def known_methods() -> frozenset[str]:
    from aiogram import methods

    names = set()
    for name in dir(methods):
        api = getattr(getattr(methods, name), "__api_method__", None)
        if isinstance(api, str):
            names.add(api)
    return frozenset(names)


def api_method_name(name: str) -> str:
    """`send_message` and `SendMessage` -> `sendMessage`, the Bot API's own spelling."""
    if "_" in name:
        name = _CAMEL.sub(lambda m: m.group(1).upper(), name.lower())
    return name[:1].lower() + name[1:]


def _who(observation: Observation) -> str:
    return observation.actor or "anyone"


def quote_text(text: str, limit: int = 200) -> str:
    """`text` as Python would write it, cut at `limit` characters.

    Whitespace is kept as it is (`repr` shows a line break as \\n): a failed check of a
    multi-line reply must show the lines the check saw, not a text with them joined by spaces.
    """
    return repr(_shortened(text, limit))


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pattern(regex: str) -> str:
    """A regex between slashes on one line (a YAML double-quoted pattern may hold real breaks)."""
    return "/" + regex.replace("\n", "\\n").replace("\t", "\\t") + "/"


def _check_text(what: str, rule: TextExpect, text: str, shown: str | None = None) -> list[str]:
    """Failures of `rule` on `text` (`what`: reply or toast); `shown` replaces the quote."""
    failures = []
    was = shown or f"it was {quote_text(text)}"
    if rule.contains is not None and rule.contains not in text:
        failures.append(f"{what} should contain {rule.contains!r}; {was}")
    if rule.not_contains is not None and rule.not_contains in text:
        failures.append(f"{what} should not contain {rule.not_contains!r}; {was}")
    if rule.equals is not None and rule.equals != text:
        failures.append(f"{what} should equal {rule.equals!r}; {was}")
    # DOTALL: `.` crosses line breaks, so 'Welcome.*VIP' holds across a multi-line reply.
    if rule.matches is not None and re.search(rule.matches, text, re.DOTALL) is None:
        failures.append(f"{what} should match {_pattern(rule.matches)}; {was}")
    return failures


def _check_toast(rule: TextExpect, calls: list[ApiCall]) -> list[str]:
    """`toast:` checks the text of the step's last answer to a callback query."""
    answers = [call for call in calls if call.method == "answerCallbackQuery"]
    if not answers:
        return ["expected a toast, but the bot did not answer a callback query in this step"]
    params = answers[-1].params
    text = params.get("text")
    text = str(text) if text is not None else ""
    if not text:
        return _check_text("toast", rule, text, "the bot answered the callback query without text")
    shown = f"it was {quote_text(text)}" + (" (an alert)" if params.get("show_alert") else "")
    return _check_text("toast", rule, text, shown)


def _compare(expected: int | str, actual: int) -> str | None:
    """None when `actual` satisfies `expected` (N, ">=N", "<=N", ">N", "<N")."""
    if isinstance(expected, int):
        return None if actual == expected else f"exactly {expected}"
    match = re.fullmatch(r"\s*(>=|<=|>|<|==)?\s*(\d+)\s*", expected)
    if match is None:
        return f"{expected!r} (not a count: use N, '>=N' or '<=N')"
    operator, number = match.group(1) or "==", int(match.group(2))
    ok = {
        ">=": actual >= number,
        "<=": actual <= number,
        ">": actual > number,
        "<": actual < number,
        "==": actual == number,
    }[operator]
    return None if ok else f"{operator}{number}"


def _check_calls(expected: dict[str, int | str], calls: list[ApiCall]) -> list[str]:
    failures = []
    counts = Counter(call.method for call in calls)
    for raw_name, want in expected.items():
        name = api_method_name(raw_name)
        problem = _compare(want, counts.get(name, 0))
        if problem is None:
            continue
        text = f"expected {problem} {name} call(s), got {counts.get(name, 0)}"
        if name not in known_methods():
            hint = did_you_mean(name, known_methods())
            text += f" ({name!r} is not a Bot API method" + (f"; {hint})" if hint else ")")
        elif counts:
            made = ", ".join(f"{m} ×{n}" for m, n in counts.most_common())
            text += f"; calls made: {made}"
        failures.append(text)
    return failures


def _subset_problems(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    problems = []
    for key, want in expected.items():
        if key not in actual:
            problems.append(f"{key!r} missing")
        elif actual[key] != want and str(actual[key]) != str(want):
            problems.append(f"{key!r} is {actual[key]!r}, not {want!r}")
    return problems


def check(expect: Expect, observation: Observation) -> list[str]:
    """Failure texts for every expectation that does not hold (budgets are checked apart)."""
    failures: list[str] = []
    who = _who(observation)
    last = observation.last_message()
    if expect.reply is not None:
        if last is None:
            failures.append(f"expected a reply to {who}, but the bot sent nothing")
        else:
            failures.extend(_check_text("reply", expect.reply, last.text))
    if expect.toast is not None:
        failures.extend(_check_toast(expect.toast, observation.calls))
    if expect.replies is not None and observation.sent_count() != expect.replies:
        failures.append(
            f"expected {expect.replies} message(s) to {who}, got {observation.sent_count()}"
        )
    if expect.no_reply is True and observation.messages_to_actor():
        texts = [_shortened(v.text, 60) for v in observation.messages_to_actor()]
        failures.append(f"expected no reply to {who}, but the bot sent {texts!r}")
    # With `reply:` as well, a missing message has already been reported, in the same words.
    no_reply_false_unmet = expect.no_reply is False and not observation.messages_to_actor()
    if no_reply_false_unmet and expect.reply is None:
        failures.append(f"expected a reply to {who}, but the bot sent nothing")
    if expect.buttons is not None:
        failures.extend(_check_buttons(expect.buttons, last, who))
    if expect.calls:
        failures.extend(_check_calls(expect.calls, observation.calls))
    if "state" in expect.model_fields_set and observation.state != expect.state:
        # Say "no state" rather than Python's None: scenarios write `state: null`.
        wanted = f"FSM state {expect.state!r}" if expect.state is not None else "no FSM state"
        got = repr(observation.state) if observation.state is not None else "no state"
        failures.append(f"expected {wanted}, got {got}")
    if expect.data is not None:
        problems = _subset_problems(expect.data, observation.data)
        if problems:
            failures.append("FSM data: " + "; ".join(problems) + f" (data: {observation.data!r})")
    failures.extend(_check_outcome(expect, observation))
    return failures


def _check_buttons(wanted: list[str], last: MessageView | None, who: str) -> list[str]:
    if last is None:
        return [f"expected buttons {wanted!r} on a message to {who}, but the bot sent nothing"]
    labels = [label for row in last.buttons for label in row]
    missing = [label for label in wanted if label not in labels]
    if not missing:
        return []
    there = ", ".join(repr(label) for label in labels) or "none"
    return [f"expected buttons {missing!r} on the last message; buttons there: {there}"]


def _check_outcome(expect: Expect, observation: Observation) -> list[str]:
    failures = []
    if expect.handled is not None and observation.handled is not None:
        if expect.handled and not observation.handled:
            failures.append("expected a handler to take the update, but none matched it")
        if not expect.handled and observation.handled:
            failures.append("expected no handler to match the update, but one did")
    error = observation.error
    if expect.error is not None:
        if error is None:
            failures.append(f"expected the step to raise {expect.error}, but it did not")
        elif expect.error not in _names_of(error):
            failures.append(f"expected {expect.error}, but the step raised {_describe(error)}")
    return failures


def _names_of(error: BaseException) -> set[str]:
    names = set()
    for cls in type(error).__mro__:
        names.add(cls.__name__)
        names.add(f"{cls.__module__}.{cls.__qualname__}")
    return names


def _describe(error: BaseException) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
