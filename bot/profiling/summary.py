"""A run's summary as a Telegram message: HTML, within Telegram's length limit.

Long summaries are shortened by whole lines (never inside a tag); the full data is in the
HTML report sent as a document after it.
"""

from html import escape

from replay.result import RunResult

LIMIT = 3900  # Telegram allows 4096 characters; leave room for the closing lines
STATUS_MARK = {"passed": "ok", "failed": "FAIL", "error": "ERR"}


def _row(step_index: int, name: str, ms: float, queries: int, findings: int, status: str) -> str:
    n1 = str(findings) if findings else "-"
    mark = STATUS_MARK.get(status, status)
    return f"{step_index:>2} {ms:>7.1f} {queries:>4} {n1:>3} {mark:<4} {name[:28]}"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_summary(result: RunResult, limit: int = LIMIT) -> str:
    steps = result.steps
    passed = sum(1 for step in steps if step.passed)
    queries = sum(step.queries.count for step in steps)
    findings = sum(1 for s in steps for f in s.n_plus_one if f.severity != "allowed")
    head = (
        f"<b>{escape(result.scenario)}</b>: {escape(result.status)} · {passed}/{len(steps)} steps"
        f" · {queries} queries · {findings} N+1 · {result.duration_ms:.0f} ms"
    )
    if result.iterations > 1:
        head += f" · {result.iterations} iterations (median)"
    rows = [" #      ms  SQL N+1 stat step"]
    for step in steps:
        count = sum(1 for f in step.n_plus_one if f.severity != "allowed")
        rows.append(
            _row(step.index, step.name, step.wall_ms, step.queries.count, count, step.status)
        )
    # Shortened before escaping, so an entity like &amp; is never cut in half.
    problems = [
        f"• {step.index} {escape(step.name[:60])}: {escape(_short(failure, 280))}"
        for step in steps
        for failure in step.failures
    ]
    return _fit(head, rows, problems, limit)


def _fit(head: str, rows: list[str], problems: list[str], limit: int) -> str:
    """Whole lines only, so no tag is ever cut; say how much was left out."""
    table: list[str] = []
    budget = limit - len(head) - len("<pre></pre>\n\n")
    for position, row in enumerate(rows):
        line = escape(row)
        if len(line) + 1 > budget - 60:
            table.append(f"… {len(rows) - position} more steps in the report")
            break
        table.append(line)
        budget -= len(line) + 1
    text = f"{head}\n<pre>{chr(10).join(table)}</pre>"
    if problems:
        text += "\n<b>Failures</b>"
        for position, problem in enumerate(problems):
            line = problem
            if len(text) + len(line) + 1 > limit - 40:
                text += f"\n… {len(problems) - position} more in the report"
                break
            text += "\n" + line
    return text
