"""`pytest --replay DIR` collects scenario files as tests; budgets are the assertions."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent.parent

PASSING = """\
app: tests.bots.basic:create_app
actors: { alice: {} }
steps:
  - send: /start
    expect: { buttons: ["Yes"] }
"""

FAILING = """\
app: tests.bots.basic:create_app
actors: { alice: {} }
steps:
  - send: /start
    expect: { reply: { contains: Goodbye } }
"""


@pytest.fixture(autouse=True)
def project_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # The fixture bots import as `tests.bots...` from the project root.
    monkeypatch.setenv("PYTHONPATH", str(ROOT))


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-o", "asyncio_default_fixture_loop_scope=function", *args
    )


def test_each_scenario_is_one_test(pytester: pytest.Pytester) -> None:
    directory = pytester.mkdir("scen")
    (directory / "good.yaml").write_text(PASSING)
    (directory / "bad.yaml").write_text(FAILING)
    (directory / "_fragment.yaml").write_text("steps: []\n")
    result = _run(pytester, "--replay", str(directory), str(directory))
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*reply should contain 'Goodbye'*"])


def test_without_the_flag_yaml_files_are_not_collected(pytester: pytest.Pytester) -> None:
    directory = pytester.mkdir("scen")
    (directory / "good.yaml").write_text(PASSING)
    result = _run(pytester, str(directory))
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_a_missing_replay_path_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = _run(pytester, "--replay", "nowhere")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--replay nowhere: no such file or directory*"])
