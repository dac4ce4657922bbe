"""speedscope JSON of the combined profile: one profile per step, open it at speedscope.app.

Built from the call trees replay keeps (the same ones the HTML report shows), as "evented"
profiles: a tree becomes open/close events laid end to end.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from replay.capture.profile import ProfileFrame
from replay.reporters.base import Reporter
from replay.result import RunResult

SCHEMA = "https://www.speedscope.app/file-format-schema.json"


class SpeedscopeReporter(Reporter):
    extension = ".speedscope.json"

    def render(self, result: RunResult) -> str:
        return self.render_many([result])

    def render_many(self, results: Sequence[RunResult]) -> str:
        frames: list[dict[str, Any]] = []
        index: dict[tuple[str, str, int], int] = {}
        profiles = []
        for result in results:
            for step in result.steps:
                tree = step.profile.tree if step.profile else None
                if tree is None:
                    continue
                events: list[dict[str, Any]] = []
                end = _emit(tree, 0.0, events, frames, index)
                profiles.append(
                    {
                        "type": "evented",
                        "name": f"{result.scenario} · {step.index} {step.name}",
                        "unit": "milliseconds",
                        "startValue": 0,
                        "endValue": end,
                        "events": events,
                    }
                )
        name = results[0].scenario if len(results) == 1 else "replay"
        document = {
            "$schema": SCHEMA,
            "name": name,
            "exporter": "replay",
            "activeProfileIndex": 0,
            "shared": {"frames": frames},
            "profiles": profiles,
        }
        return json.dumps(document)


def _frame_index(
    frame: ProfileFrame, frames: list[dict[str, Any]], index: dict[tuple[str, str, int], int]
) -> int:
    key = (frame.function, frame.file, frame.line)
    if key not in index:
        index[key] = len(frames)
        entry: dict[str, Any] = {"name": frame.function}
        if frame.file:
            entry["file"] = frame.file
            entry["line"] = frame.line
        frames.append(entry)
    return index[key]


def _emit(
    frame: ProfileFrame,
    start: float,
    events: list[dict[str, Any]],
    frames: list[dict[str, Any]],
    index: dict[tuple[str, str, int], int],
) -> float:
    position = _frame_index(frame, frames, index)
    events.append({"type": "O", "frame": position, "at": start})
    cursor = start
    for child in frame.children:
        cursor = _emit(child, cursor, events, frames, index)
    end = max(start + frame.ms, cursor)
    events.append({"type": "C", "frame": position, "at": end})
    return end
