"""JUnit XML: each step a test case, failures and budget breaches as failures, for CI."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from replay.reporters.base import Reporter
from replay.result import ERROR, FAILED, RunResult


class JunitReporter(Reporter):
    extension = ".xml"

    def render(self, result: RunResult) -> str:
        return self.render_many([result])

    def render_many(self, results: Sequence[RunResult]) -> str:
        root = ET.Element("testsuites", name="replay")
        for result in results:
            root.append(self._suite(result))
        ET.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"

    def _suite(self, result: RunResult) -> ET.Element:
        failures = sum(1 for s in result.steps if s.status == FAILED)
        errors = sum(1 for s in result.steps if s.status == ERROR)
        suite = ET.Element(
            "testsuite",
            name=result.scenario,
            tests=str(len(result.steps)),
            failures=str(failures),
            errors=str(errors),
            time=f"{result.duration_ms / 1000:.3f}",
            timestamp=result.started_at,
        )
        if result.path:
            suite.set("file", result.path)
        for step in result.steps:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"replay.{result.scenario}",
                name=f"{step.index:02d} {step.name}",
                time=f"{step.wall_ms / 1000:.6f}",
            )
            if step.source:
                file, _, line = step.source.rpartition(":")
                case.set("file", file)
                case.set("line", line)
            if step.status in (FAILED, ERROR):
                tag = "error" if step.status == ERROR else "failure"
                element = ET.SubElement(
                    case, tag, message=step.failures[0] if step.failures else ""
                )
                element.text = "\n".join(step.failures)
            details = [
                f"queries: {step.queries.count} ({step.queries.time_ms:.2f} ms)",
                *(f"N+1 [{f.severity}]: {f.message}" for f in step.n_plus_one),
                *(f"warning: {w}" for w in step.warnings),
            ]
            ET.SubElement(case, "system-out").text = "\n".join(details)
        if result.load is not None:
            suite.append(_load_case(result))
        return suite


def _load_case(result: RunResult) -> ET.Element:
    """The run-wide load thresholds (error rate, throughput) as one more test case."""
    load = result.load or {}
    case = ET.Element("testcase", classname=f"replay.{result.scenario}", name="load thresholds")
    breaches = [
        t["message"] for t in load.get("thresholds", []) if t["step"] is None and not t["passed"]
    ]
    if breaches:
        element = ET.SubElement(case, "failure", message=breaches[0])
        element.text = "\n".join(breaches)
    ET.SubElement(case, "system-out").text = (
        f"{load.get('updates', 0)} updates, {load.get('throughput', 0)}/s, "
        f"error rate {load.get('error_rate', 0)}, p95 {load.get('latency', {}).get('p95_ms')} ms"
    )
    return case
