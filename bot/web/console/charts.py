"""Charts as inline SVG, drawn on the server: no chart library, nothing fetched, readable on a phone."""
from __future__ import annotations

from html import escape

COLOURS = {"dispute": "#2f6fb3", "inquiry": "#3f9c5a", "fraud": "#c2410c", "help": "#9b1c1c"}
PALETTE = ("#2f6fb3", "#3f9c5a", "#c2410c", "#9b1c1c", "#6d28d9", "#0e7490")


def stacked_weeks(weeks: list[str], series: dict[str, dict[str, int]], names: dict[str, str]) -> str:
    """Cases opened per week, one stacked bar per week, a colour per kind, with a legend."""
    width, height, left, bottom, top = 720, 260, 34, 40, 30
    totals = [sum(s.get(w, 0) for s in series.values()) for w in weeks]
    peak = max(totals + [1])
    step = (width - left - 10) / max(len(weeks), 1)
    bar = min(step * 0.7, 48)
    parts = [_axis(left, top, width, height - bottom, peak)]
    for i, week in enumerate(weeks):
        x, y = left + i * step + (step - bar) / 2, height - bottom
        for kind, counts in series.items():
            n = counts.get(week, 0)
            if n:
                h = (height - bottom - top) * n / peak
                y -= h
                parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                             f'fill="{COLOURS.get(kind, "#666")}"><title>{escape(names.get(kind, kind))} {n}</title></rect>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 16}" font-size="11" text-anchor="middle">'
                     f'{escape(week[5:])}</text>')
        if totals[i]:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" font-size="11" text-anchor="middle">{totals[i]}</text>')
    legend = [(names.get(k, k), COLOURS.get(k, "#666")) for k in series if any(series[k].values())]
    parts.append(_legend(legend, left, 14))
    return _svg(width, height, "每周登记案件（按类型）", parts)


def rate_bars(rows: list[tuple[str, float | None, str]], title: str) -> str:
    """Horizontal bars of rates in [0, 1]: (label, rate or None, the text shown at the bar's end)."""
    width, row_h, left = 720, 30, 110
    height = 20 + row_h * max(len(rows), 1)
    parts = []
    for i, (label, rate, shown) in enumerate(rows):
        y = 10 + i * row_h
        length = (width - left - 140) * (rate or 0)
        parts.append(f'<text x="{left - 8}" y="{y + 17}" font-size="13" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect x="{left}" y="{y + 4}" width="{width - left - 140}" height="18" fill="#e4e7eb"/>')
        parts.append(f'<rect x="{left}" y="{y + 4}" width="{length:.1f}" height="18" fill="{PALETTE[i % len(PALETTE)]}"/>')
        parts.append(f'<text x="{width - 132}" y="{y + 17}" font-size="13">{escape(shown)}</text>')
    return _svg(width, height, title, parts)


def _axis(left: int, top: int, width: int, base: int, peak: int) -> str:
    lines = [f'<line x1="{left}" y1="{base}" x2="{width - 5}" y2="{base}" stroke="#9aa5b1"/>']
    for frac in (0.5, 1.0):
        y = base - (base - top) * frac
        lines.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 5}" y2="{y:.1f}" stroke="#e4e7eb"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{round(peak * frac)}</text>')
    return "".join(lines)


def _legend(items: list[tuple[str, str]], x: int, y: int) -> str:
    out = []
    for name, colour in items:
        out.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>'
                   f'<text x="{x + 16}" y="{y}" font-size="12">{escape(name)}</text>')
        x += 28 + 14 * len(name)
    return "".join(out)


def _svg(width: int, height: int, title: str, parts: list[str]) -> str:
    return (f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
            f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{"".join(parts)}</svg>')
