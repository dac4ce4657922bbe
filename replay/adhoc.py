"""Ad-hoc scenarios from the command line: `replay run --send "/admin" --as admin`."""

from __future__ import annotations

from collections.abc import Sequence

from replay.scenario.model import Scenario, Step

ADHOC_ADMIN_ID = 1001


def adhoc_scenario(sends: Sequence[str], actor: str = "user", *, admin: bool = False) -> Scenario:
    """One actor sending each text in turn; an actor named `admin` is an admin."""
    is_admin = admin or actor == "admin"
    spec = {"id": ADHOC_ADMIN_ID, "admin": True} if is_admin else {}
    steps = [Step.model_validate({"as": actor, "send": text}) for text in sends]
    for line, step in enumerate(steps, start=1):
        step._file, step._line = "<command line>", line
    return Scenario.model_validate(
        {
            "name": "adhoc",
            "description": f"{actor} sends " + ", ".join(repr(text) for text in sends),
            "actors": {actor: spec},
            "steps": [],
        }
    ).model_copy(update={"steps": steps})
