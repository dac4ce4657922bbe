"""pyinstrument per step: a fresh async-aware profiler in the task that runs the step.

pyinstrument allows one async profiler per context and merges sessions when a Profiler is
reused, so every step gets a new `Profiler(async_mode="enabled")` started inside its own task.
The default 1 ms interval leaves a sub-millisecond step with no samples; replay samples every
0.1 ms by default. The tree kept for reports is pruned and library chains are folded, so a
20-step report stays small; the top list names the bot's own functions.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pyinstrument import Profiler, processors
from pyinstrument.frame import SYNTHETIC_FRAME_IDENTIFIERS, Frame
from pyinstrument.session import Session

from replay.project import Project

DEFAULT_INTERVAL = 0.0001
STEP_ENTRY = "body"  # the function in replay/step_run.py that runs a step in its task
_ENGINE_FILE = os.path.join("replay", "step_run.py")
TREE_THRESHOLD = 0.005  # frames under 0.5% of the step are left out of the kept tree
TOP_FUNCTIONS = 10

_PROCESSORS = [
    processors.remove_importlib,
    processors.remove_tracebackhide,
    processors.merge_consecutive_self_time,
    processors.aggregate_repeated_calls,
    processors.remove_irrelevant_nodes,
    processors.remove_unnecessary_self_time_nodes,
]


@dataclass(frozen=True, slots=True)
class ProfileFrame:
    """A node of the kept call tree; `folded` library frames were merged into this one."""

    function: str
    file: str
    line: int
    ms: float
    library: bool
    children: tuple[ProfileFrame, ...] = ()
    folded: int = 0

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "function": self.function,
            "file": self.file,
            "line": self.line,
            "ms": self.ms,
            "library": self.library,
        }
        if self.folded:
            data["folded"] = self.folded
        if self.children:
            data["children"] = [child.to_json() for child in self.children]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProfileFrame:
        return cls(
            function=data["function"],
            file=data["file"],
            line=data["line"],
            ms=data["ms"],
            library=data["library"],
            children=tuple(cls.from_json(c) for c in data.get("children", ())),
            folded=data.get("folded", 0),
        )


@dataclass(frozen=True, slots=True)
class TopFunction:
    function: str
    file: str
    line: int
    ms: float

    def to_json(self) -> dict[str, Any]:
        return {"function": self.function, "file": self.file, "line": self.line, "ms": self.ms}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TopFunction:
        return cls(data["function"], data["file"], data["line"], data["ms"])


@dataclass(frozen=True, slots=True)
class ProfileSummary:
    """What a report shows of a step's profile: the bot's top functions and the tree."""

    top: tuple[TopFunction, ...] = ()
    tree: ProfileFrame | None = None
    samples: int = 0
    interval_ms: float = DEFAULT_INTERVAL * 1000

    def to_json(self) -> dict[str, Any]:
        return {
            "top": [t.to_json() for t in self.top],
            "samples": self.samples,
            "interval_ms": self.interval_ms,
            "tree": self.tree.to_json() if self.tree else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProfileSummary:
        tree = data.get("tree")
        return cls(
            top=tuple(TopFunction.from_json(t) for t in data.get("top", ())),
            tree=ProfileFrame.from_json(tree) if tree else None,
            samples=data.get("samples", 0),
            interval_ms=data.get("interval_ms", DEFAULT_INTERVAL * 1000),
        )


@dataclass(slots=True)
class StepProfiler:
    """Start inside the step's task, stop in the same task."""

    interval: float = DEFAULT_INTERVAL
    _profiler: Profiler | None = field(default=None, init=False)

    def start(self) -> None:
        self._profiler = Profiler(interval=self.interval, async_mode="enabled")
        self._profiler.start()

    def stop(self) -> Session | None:
        if self._profiler is None or not self._profiler.is_running:
            return None
        session = self._profiler.stop()
        self._profiler = None
        return session


def combine(sessions: Iterable[Session | None]) -> Session | None:
    """One session of several runs of the same step (pyinstrument's own `Session.combine`)."""
    combined: Session | None = None
    for session in sessions:
        if session is None:
            continue
        combined = session if combined is None else Session.combine(combined, session)
    return combined


def summarize(session: Session | None, project: Project, runs: int = 1) -> ProfileSummary:
    """The kept tree and top functions of `session`; times are per run when `runs` > 1."""
    if session is None:
        return ProfileSummary()
    interval_ms = round(session.duration / max(session.sample_count, 1) * 1000, 4)
    empty = ProfileSummary(samples=session.sample_count, interval_ms=interval_ms)
    root = session.root_frame()
    if root is None:
        return empty
    options = {"filter_threshold": TREE_THRESHOLD}
    for processor in _PROCESSORS:
        root = processor(root, options=options)
        if root is None:
            return empty
    scale = 1000 / max(runs, 1)
    tree = _step_tree(root, project, scale)
    return ProfileSummary(
        top=top_functions(tree),
        tree=tree,
        samples=session.sample_count,
        interval_ms=interval_ms,
    )


def _find_entry(frame: Frame) -> list[Frame] | None:
    """The path from `frame` down to the frame that runs the step (replay's `body`)."""
    if frame.function == STEP_ENTRY and (frame.file_path or "").endswith(_ENGINE_FILE):
        return [frame]
    for child in frame.children:
        path = _find_entry(child)
        if path is not None:
            return [frame, *path]
    return None


def _step_tree(root: Frame, project: Project, scale: float) -> ProfileFrame:
    """The step's own frames under one root, without the stack that merely awaited it.

    The sampled stacks start at the thread's `<module>` and go through the event loop down to
    replay's step task; only the part below the task is the bot's. ORM work that SQLAlchemy
    runs in its greenlet has no parent frame there and arrives as separate roots: they are
    kept beside the task's frames.
    """
    path = _find_entry(root)
    if path is None:
        return _convert(root, project, scale)
    entry = path[-1]
    detached = (
        [c for c in root.children if c is not path[1] and c.time > 0] if len(path) > 1 else []
    )
    children = [c for c in entry.children if c.time > 0] + detached
    converted = tuple(_convert(child, project, scale) for child in children)
    return ProfileFrame(
        function="step",
        file="",
        line=0,
        ms=round(sum(child.ms for child in converted), 3),
        library=True,
        children=converted,
    )


# Below this many library frames with no bot code under them, the subtree is cut.
LIBRARY_DEPTH_KEPT = 3


def _has_app_code(frame: Frame, project: Project) -> bool:
    return _is_app(frame, project) or any(_has_app_code(c, project) for c in frame.children)


def _convert(frame: Frame, project: Project, scale: float, library_depth: int = 0) -> ProfileFrame:
    library = not _is_app(frame, project)
    library_depth = library_depth + 1 if library else 0
    children = [c for c in frame.children if c.time > 0]
    if library_depth >= LIBRARY_DEPTH_KEPT and not any(
        _has_app_code(c, project) for c in children
    ):
        children = []
    folded = 0
    # Fold a chain of library frames with one child each (aiogram's middleware onion).
    while library and len(children) == 1 and not _is_app(children[0], project):
        only = children[0]
        if only.identifier in SYNTHETIC_FRAME_IDENTIFIERS:
            break
        folded += 1
        children = [c for c in only.children if c.time > 0]
    return ProfileFrame(
        function=frame.function,
        file=project.relative(frame.file_path) if frame.file_path else "",
        line=frame.line_no or 0,
        ms=round(frame.time * scale, 3),
        library=library,
        children=tuple(_convert(child, project, scale, library_depth) for child in children),
        folded=folded,
    )


def _is_app(frame: Frame, project: Project) -> bool:
    return bool(frame.file_path) and project.is_app_file(frame.file_path or "")


def top_functions(tree: ProfileFrame) -> tuple[TopFunction, ...]:
    """The bot's own functions by their own time: what they spent minus what the bot's other
    functions under them spent (a middleware wrapping the handler does not outrank it).
    Recursion counts once per call path."""
    own: dict[tuple[str, str, int], float] = {}

    def nearest_app_time(frame: ProfileFrame) -> float:
        total = 0.0
        for child in frame.children:
            total += child.ms if not child.library else nearest_app_time(child)
        return total

    def visit(frame: ProfileFrame, active: frozenset[tuple[str, str, int]]) -> None:
        key = None
        if not frame.library:
            key = (frame.function, frame.file, frame.line)
            if key not in active:
                own[key] = own.get(key, 0.0) + max(frame.ms - nearest_app_time(frame), 0.0)
        inner = active | {key} if key else active
        for child in frame.children:
            visit(child, inner)

    visit(tree, frozenset())
    ranked = sorted(own.items(), key=lambda item: -item[1])[:TOP_FUNCTIONS]
    return tuple(
        TopFunction(function, file, line, round(ms, 3))
        for (function, file, line), ms in ranked
        if ms > 0
    )
