"""The growth chart: net followers added per branch, day by day, as an inline SVG (no script)."""

from __future__ import annotations

from datetime import date
from html import escape

COLOURS = ("#07c160", "#1677ff", "#fa8c16", "#eb2f96", "#722ed1", "#13c2c2", "#a0d911", "#f5222d")
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 900, 360, 56, 40, 16


def growth_svg(series: dict[str, list[tuple[date, int]]], *, title: str) -> str:
    """One line per branch; the legend names them. Empty series draw an empty frame."""
    points = [value for line in series.values() for _day, value in line]
    low, high = min(points + [0]), max(points + [1])
    days = next(iter(series.values()), [])
    span = max(len(days) - 1, 1)
    inner_w, inner_h = WIDTH - LEFT - 16, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + inner_w * i / span

    def y(value: int) -> float:
        return TOP + inner_h * (high - value) / (high - low or 1)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + 24 * len(series)}" '
             f'role="img" aria-label="{escape(title)}" class="promotion-growth">',
             f'<line x1="{LEFT}" y1="{y(0):.1f}" x2="{WIDTH - 16}" y2="{y(0):.1f}" stroke="#999"/>',
             f'<text x="{LEFT - 6}" y="{y(high) + 4:.1f}" text-anchor="end" font-size="12">{high}</text>',
             f'<text x="{LEFT - 6}" y="{y(low) + 4:.1f}" text-anchor="end" font-size="12">{low}</text>']
    if days:
        parts.append(f'<text x="{LEFT}" y="{HEIGHT - 12}" font-size="12">{days[0][0].isoformat()}</text>')
        parts.append(f'<text x="{WIDTH - 16}" y="{HEIGHT - 12}" text-anchor="end" font-size="12">'
                     f'{days[-1][0].isoformat()}</text>')
    for number, (name, line) in enumerate(series.items()):
        colour = COLOURS[number % len(COLOURS)]
        path = " ".join(f"{x(i):.1f},{y(value):.1f}" for i, (_day, value) in enumerate(line))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}">'
                     f'<title>{escape(name)}: {line[-1][1] if line else 0}</title></polyline>')
        legend_y = HEIGHT + 16 + 24 * number
        parts.append(f'<rect x="{LEFT}" y="{legend_y - 10}" width="14" height="14" fill="{colour}"/>'
                     f'<text x="{LEFT + 22}" y="{legend_y + 2}" font-size="14">{escape(name)} '
                     f'({line[-1][1] if line else 0:+d})</text>')
    parts.append("</svg>")
    return "".join(parts)
