"""Inline SVG charts for load reports: no script, no library, no network; the file stays
self-contained and renders in any browser (and in the CI artifact viewer)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import Any

from markupsafe import Markup

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 14, 30
COLORS = {"p50": "#2563eb", "p95": "#f59e0b", "p99": "#dc2626", "throughput": "#16a34a"}


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def _label(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.2g}"


def _frame(x_max: float, y_max: float, y_title: str, x_title: str) -> list[str]:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" '
        'stroke="currentColor" stroke-opacity="0.25"/>'
    ]
    for tick in range(5):
        value = y_max * tick / 4
        y = TOP + plot_h - plot_h * tick / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="currentColor" stroke-opacity="0.1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_label(value)}</text>'
        )
    for tick in range(5):
        value = x_max * tick / 4
        x = LEFT + plot_w * tick / 4
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - 12}" text-anchor="middle">{_label(value)}</text>'
        )
    parts.append(
        f'<text x="{LEFT}" y="{TOP - 3}" font-weight="600">{escape(y_title)}</text>'
        f'<text x="{LEFT + plot_w}" y="{HEIGHT - 1}" text-anchor="end">{escape(x_title)}</text>'
    )
    return parts


SVG_ATTRIBUTES = (
    'xmlns="http://www.w3.org/2000/svg" class="chart" width="100%" role="img" font-size="11" '
    'font-family="system-ui, sans-serif" fill="currentColor"'
)


def _svg(parts: Sequence[str], title: str, height: int = HEIGHT) -> Markup:
    body = "".join(parts)
    return Markup(
        f'<svg viewBox="0 0 {WIDTH} {height}" {SVG_ATTRIBUTES}>'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def time_chart(series: Sequence[dict[str, Any]], keys: Sequence[str], y_title: str) -> Markup:
    """Lines of `keys` (p50_ms, throughput, ...) over the run's seconds."""
    points = [p for p in series if any(k in p for k in keys)]
    if not points:
        return Markup("")
    x_max = max(p["second"] + p["span"] for p in points)
    y_max = _nice_max(max(p.get(k, 0.0) for p in points for k in keys))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = _frame(x_max, y_max, y_title, "seconds")
    for key in keys:
        name = key.removesuffix("_ms")
        coordinates = " ".join(
            f"{LEFT + plot_w * (p['second'] + p['span'] / 2) / x_max:.1f},"
            f"{TOP + plot_h - plot_h * p.get(key, 0.0) / y_max:.1f}"
            for p in points
        )
        color = COLORS.get(name, "#6b7280")
        parts.append(
            f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{coordinates}"/>'
        )
    legend_x = LEFT + 8
    for key in keys:
        name = key.removesuffix("_ms")
        color = COLORS.get(name, "#6b7280")
        parts.append(
            f'<rect x="{legend_x}" y="{TOP + 6}" width="10" height="10" fill="{color}"/>'
            f'<text x="{legend_x + 14}" y="{TOP + 15}">{escape(name)}</text>'
        )
        legend_x += 70
    return _svg(parts, f"{y_title} over time")


def distribution_chart(steps: Sequence[dict[str, Any]]) -> Markup:
    """Per step: a bar to p50, then p90, p95, p99 and max marks, on one millisecond scale."""
    rows = [s for s in steps if s["latency"].get("count")]
    if not rows:
        return Markup("")
    row_h, label_w = 22, 240
    height = TOP + BOTTOM + row_h * len(rows)
    x_max = _nice_max(max(s["latency"]["p99_ms"] for s in rows))
    plot_w = WIDTH - label_w - RIGHT
    parts = []
    for tick in range(5):
        x = label_w + plot_w * tick / 4
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{height - BOTTOM}" '
            'stroke="currentColor" stroke-opacity="0.1"/>'
            f'<text x="{x:.1f}" y="{height - 12}" text-anchor="middle">'
            f"{_label(x_max * tick / 4)}</text>"
        )
    for number, step in enumerate(rows):
        latency = step["latency"]
        y = TOP + row_h * number

        def at(value: float) -> float:
            return label_w + plot_w * min(value, x_max) / x_max

        name = step["name"] if len(step["name"]) <= 34 else step["name"][:33] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{escape(name)}</text>'
            f'<rect x="{label_w}" y="{y + 5}" width="{at(latency["p50_ms"]) - label_w:.1f}" '
            f'height="12" fill="{COLORS["p50"]}" opacity="0.8"/>'
            f'<rect x="{at(latency["p50_ms"]):.1f}" y="{y + 8}" '
            f'width="{at(latency["p95_ms"]) - at(latency["p50_ms"]):.1f}" height="6" '
            f'fill="{COLORS["p95"]}" opacity="0.8"/>'
            f'<line x1="{at(latency["p99_ms"]):.1f}" x2="{at(latency["p99_ms"]):.1f}" '
            f'y1="{y + 3}" y2="{y + 19}" stroke="{COLORS["p99"]}" stroke-width="2"/>'
        )
    parts.append(
        f'<text x="{WIDTH - RIGHT}" y="{height - 1}" text-anchor="end">'
        "ms: bar to p50, then to p95; red mark at p99</text>"
    )
    return _svg(parts, "latency per step", height)
