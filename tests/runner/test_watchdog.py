"""A handler that blocks the event loop (time.sleep) is stopped and named, not waited out."""

from __future__ import annotations

import signal
from pathlib import Path

from replay.runner import run_scenario

SCENARIO = """\
app: tests.bots.basic:create_app
actors: { alice: {} }
steps:
  - send: /block
    timeout: 0.3s
  - send: /start
"""


def test_a_blocking_handler_fails_its_step_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "block.yaml"
    path.write_text(SCENARIO)
    result = run_scenario(path, profile=False)
    blocked, after = result.steps
    assert blocked.status == "error"
    assert "blocked the event loop for more than 0.3 s" in blocked.failures[0]
    assert "tests/bots/basic.py:" in blocked.failures[0]
    assert "in block" in blocked.failures[0]
    assert after.status == "passed"  # the run went on


def test_the_alarm_is_restored_after_the_run(tmp_path: Path) -> None:
    path = tmp_path / "block.yaml"
    path.write_text(SCENARIO)
    run_scenario(path, profile=False)
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
