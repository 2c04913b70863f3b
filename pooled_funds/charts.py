"""Server-rendered SVG charts for the fund pages and the board report PDF. Pure:
numbers in, an SVG string out; no JavaScript, nothing fetched.

Readable without colour (WCAG 1.4.1): budget bars are solid, forecast bars are
hatched, the trend line has square markers, every bar and point carries its value
as text, and the legend names each pattern. Each chart is an ``role="img"`` with a
title and description; pages put the same numbers in a table beside it.
"""

from dataclasses import dataclass
from decimal import Decimal
from html import escape
from itertools import count

_ids = count(1)
WIDTH = 720
LABEL_W = 230
VALUE_W = 90
BAR_H = 14
DARK = "#0b0c0c"
BUDGET_FILL = "#505a5f"
FORECAST_FILL = "#1d70b8"
OVER_FILL = "#d4351c"


def money_short(value: Decimal | int | float) -> str:
    """£14.3m, £94k, £0 (charts only; tables give the full figure)."""
    value = Decimal(value)
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1_000_000:
        return f"{sign}£{value / 1_000_000:.2f}m".replace(".00m", "m")
    if value >= 1_000:
        return f"{sign}£{value / 1_000:.0f}k"
    return f"{sign}£{value:.0f}"


def _fit(text: str, limit: int = 32) -> str:
    """Left-hand labels fit the 230-pixel margin; the table beside has the full text."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _open(chart_id: str, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fund-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" font-family="Arial, sans-serif" '
        f'font-size="12">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
        "<defs>",
        f'<pattern id="{chart_id}-hatch" width="6" height="6" '
        f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#ffffff"/>'
        f'<rect width="3" height="6" fill="{FORECAST_FILL}"/></pattern>',
        "</defs>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]


@dataclass(frozen=True)
class SchemeBar:
    label: str
    budget: Decimal
    forecast: Decimal
    sublabel: str = ""


def budget_vs_forecast(bars: list[SchemeBar], *, title: str) -> str:
    """Horizontal paired bars per scheme: budget (solid) and forecast outturn
    (hatched; outlined heavier where it exceeds the budget)."""
    chart_id = f"chart{next(_ids)}"
    row_h = 2 * BAR_H + 14
    height = 40 + row_h * max(1, len(bars)) + 10
    biggest = max([b.budget for b in bars] + [b.forecast for b in bars] + [Decimal(1)])
    plot_w = WIDTH - LABEL_W - VALUE_W
    desc = "; ".join(
        f"{b.label}: budget {money_short(b.budget)}, forecast {money_short(b.forecast)}"
        for b in bars
    )
    out = _open(chart_id, height, title, desc or "No schemes.")
    out += [
        f'<rect x="{LABEL_W}" y="8" width="14" height="12" fill="{BUDGET_FILL}"/>',
        f'<text x="{LABEL_W + 20}" y="18">Budget (solid)</text>',
        f'<rect x="{LABEL_W + 140}" y="8" width="14" height="12" '
        f'fill="url(#{chart_id}-hatch)" stroke="{DARK}"/>',
        f'<text x="{LABEL_W + 160}" y="18">Forecast outturn (hatched)</text>',
    ]
    for i, bar in enumerate(bars):
        y = 36 + i * row_h
        out.append(
            f'<text x="{LABEL_W - 8}" y="{y + BAR_H - 3}" text-anchor="end">'
            f"{escape(_fit(bar.label))}</text>"
        )
        if bar.sublabel:
            out.append(
                f'<text x="{LABEL_W - 8}" y="{y + 2 * BAR_H - 1}" text-anchor="end" '
                f'font-size="11">{escape(_fit(bar.sublabel))}</text>'
            )
        for j, (value, fill, name) in enumerate(
            (
                (bar.budget, BUDGET_FILL, "budget"),
                (bar.forecast, f"url(#{chart_id}-hatch)", "forecast"),
            )
        ):
            w = float(value / biggest) * plot_w
            by = y + j * BAR_H
            over = name == "forecast" and bar.forecast > bar.budget
            stroke = f' stroke="{OVER_FILL if over else DARK}" stroke-width="{2 if over else 1}"'
            out.append(
                f'<rect x="{LABEL_W}" y="{by}" width="{w:.1f}" height="{BAR_H - 2}" '
                f'fill="{fill}"{stroke if name == "forecast" else ""}/>'
            )
            mark = " over budget" if over else ""
            out.append(
                f'<text x="{LABEL_W + w + 4:.1f}" y="{by + BAR_H - 3}">'
                f"{money_short(value)}{mark}</text>"
            )
    out.append("</svg>")
    return "\n".join(out)


def variance_trend(points: list[tuple[str, Decimal]], *, title: str) -> str:
    """The fund's forecast variance (overspend above the zero line) period by
    period, with square markers and each value written beside its point."""
    chart_id = f"chart{next(_ids)}"
    height = 240
    left, right, top, bottom = 70, WIDTH - 30, 30, height - 40
    values = [v for _, v in points] or [Decimal(0)]
    high = max(max(values), Decimal(0))
    low = min(min(values), Decimal(0))
    span = (high - low) or Decimal(1)

    def y_of(v: Decimal) -> float:
        return top + float((high - v) / span) * (bottom - top)

    desc = "; ".join(f"{p}: variance {money_short(v)}" for p, v in points)
    out = _open(chart_id, height, title, desc or "No returns yet.")
    zero = y_of(Decimal(0))
    out += [
        f'<line x1="{left}" y1="{zero:.1f}" x2="{right}" y2="{zero:.1f}" '
        f'stroke="{DARK}" stroke-dasharray="4 3"/>',
        f'<text x="{left - 6}" y="{zero + 4:.1f}" text-anchor="end">£0</text>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{money_short(high)}</text>',
        f'<text x="{left - 6}" y="{bottom + 4}" text-anchor="end">{money_short(low)}</text>',
        f'<text x="{left}" y="18">Above the dashed line: forecast overspend; '
        "below: underspend</text>",
    ]
    if points:
        step = (right - left) / max(1, len(points) - 1) if len(points) > 1 else 0
        coords = [
            (left + (i * step if len(points) > 1 else (right - left) / 2), y_of(v))
            for i, (_, v) in enumerate(points)
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{FORECAST_FILL}" stroke-width="2"/>'
        )
        for (label, value), (x, y) in zip(points, coords, strict=True):
            out += [
                f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{DARK}"/>',
                f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle">'
                f"{money_short(value)}</text>",
                f'<text x="{x:.1f}" y="{bottom + 20}" text-anchor="middle">'
                f"{escape(label)}</text>",
            ]
    out.append("</svg>")
    return "\n".join(out)


@dataclass(frozen=True)
class MetricBar:
    label: str
    planned: Decimal
    actual: Decimal | None
    status: str


def metrics_against_plan(metrics: list[MetricBar], *, title: str) -> str:
    """Each metric's actual as a percentage of its plan (metrics have different
    units), with a marked line at 100% = plan and the status written out."""
    chart_id = f"chart{next(_ids)}"
    row_h = 30
    height = 40 + row_h * max(1, len(metrics)) + 10
    plot_w = WIDTH - LABEL_W - 200
    scale = 150  # percent shown at the right edge of the plot

    def x_of(percent: float) -> float:
        return LABEL_W + min(percent, scale) / scale * plot_w

    desc = "; ".join(
        f"{m.label}: planned {m.planned}, actual "
        f"{'not available' if m.actual is None else m.actual} ({m.status})"
        for m in metrics
    )
    out = _open(chart_id, height, title, desc or "No metrics.")
    plan_x = x_of(100)
    out += [
        f'<line x1="{plan_x:.1f}" y1="24" x2="{plan_x:.1f}" y2="{height - 8}" '
        f'stroke="{DARK}" stroke-width="2" stroke-dasharray="6 3"/>',
        f'<text x="{plan_x:.1f}" y="18" text-anchor="middle">Plan (100%)</text>',
    ]
    for i, m in enumerate(metrics):
        y = 32 + i * row_h
        out.append(
            f'<text x="{LABEL_W - 8}" y="{y + 12}" text-anchor="end">'
            f"{escape(_fit(m.label))}</text>"
        )
        if m.actual is None or m.planned == 0:
            out.append(f'<text x="{LABEL_W}" y="{y + 12}">data not available</text>')
            continue
        percent = float(m.actual / m.planned * 100)
        out += [
            f'<rect x="{LABEL_W}" y="{y}" width="{x_of(percent) - LABEL_W:.1f}" '
            f'height="16" fill="url(#{chart_id}-hatch)" stroke="{DARK}"/>',
            f'<text x="{LABEL_W + plot_w + 8}" y="{y + 12}">{percent:.0f}% of plan: '
            f"{escape(m.status)}</text>",
        ]
    out.append("</svg>")
    return "\n".join(out)
