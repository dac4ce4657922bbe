"""Shared fixtures. Every test is checked for leaks that would skew the next one's numbers:
an open step probe, an installed network guard, a running profiler, a moved clock."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from replay.probe import current_probe
from replay.project import Project
from replay.telegram import guard

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def no_leaks() -> Iterator[None]:
    yield
    assert current_probe.get() is None, "a test left a step probe set"
    assert not guard.guard_active(), "a test left the network guard installed"
    drift = abs(time.time() - time.monotonic() - _CLOCK_OFFSET)
    assert drift < 60, "a test left the process clock moved (time-machine still travelling)"


_CLOCK_OFFSET = time.time() - time.monotonic()


@pytest.fixture
def project() -> Project:
    return Project(ROOT)
