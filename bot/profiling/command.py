"""Parse `/profile` arguments. A scenario name is a name, never a path."""

import re
from dataclasses import dataclass

NAME = re.compile(r"^[a-z0-9_-]+$")
MAX_ITERATIONS = 10

USAGE = (
    "Usage: /profile — list the scenarios; "
    "/profile scenario:NAME [iterations:N] — run one (N from 1 to 10)."
)


class ProfileUsageError(ValueError):
    """The arguments do not say what to run; the message says why, then the usage line."""


@dataclass(frozen=True, slots=True)
class ListScenarios:
    pass


@dataclass(frozen=True, slots=True)
class RunScenario:
    name: str
    iterations: int = 1


def parse_profile_args(args: str | None) -> ListScenarios | RunScenario:
    """`""`/`"list"` -> ListScenarios; `"scenario:vip_flow iterations:3"` -> RunScenario."""
    text = (args or "").strip()
    if text in {"", "list"}:
        return ListScenarios()
    values: dict[str, str] = {}
    for part in text.split():
        key, sep, value = part.partition(":")
        if not sep or key not in {"scenario", "iterations"} or key in values:
            msg = f"I did not understand {part!r}."
            raise ProfileUsageError(msg)
        values[key] = value
    name = values.get("scenario")
    if not name:
        msg = "Name the scenario to run."
        raise ProfileUsageError(msg)
    if not NAME.match(name):
        msg = "A scenario name has only lowercase letters, digits, '_' and '-'."
        raise ProfileUsageError(msg)
    raw = values.get("iterations", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_ITERATIONS:
        msg = f"iterations must be a whole number from 1 to {MAX_ITERATIONS}."
        raise ProfileUsageError(msg)
    return RunScenario(name, int(raw))
