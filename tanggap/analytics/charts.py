"""Server-rendered SVG charts for dashboards, statistics and the PDF (pure, no JavaScript).

The caller passes translated texts; every text is escaped here. Charts carry a title and a
description for screen readers, and the pages show the same numbers in a table.
"""

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

WIDTH = 420
LABEL_WIDTH = 170
ROW = 24
BAR = 14
TOP = 8
FONT = "DejaVu Sans, sans-serif"
BAR_FILL = "#1f4e79"
HEAT_FILLS = ("#ffffff", "#dbe7f3", "#a9c6e3", "#6a9bcc", "#2f6aa6", "#103a66")


def _frame(
    height: float, title: str, description: str, body: Sequence[str], width: int = WIDTH
) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'viewBox="0 0 {width} {height:g}" width="100%" font-family={quoteattr(FONT)} '
        f'font-size="12"><title>{escape(title)}</title><desc>{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(rows: Sequence[tuple[str, int | None]], *, title: str, hidden: str = "<5") -> str:
    """Return horizontal bars of (label, count); a None count is hidden and drawn as *hidden*."""
    top = max((n for _label, n in rows if n), default=0) or 1
    plot = WIDTH - LABEL_WIDTH - 40
    body = []
    for i, (label, count) in enumerate(rows):
        y = TOP + i * ROW
        name = escape(_short(label))
        body.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 11}" text-anchor="end">{name}</text>')
        width = plot * (count or 0) / top
        if count:
            body.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR}" '
                f'fill="{BAR_FILL}"/>'
            )
        shown = hidden if count is None else str(count)
        body.append(f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 11}">{escape(shown)}</text>')
    description = "; ".join(f"{label}: {hidden if n is None else n}" for label, n in rows)
    return _frame(TOP * 2 + ROW * max(len(rows), 1), title, description, body)


def heat_map(table: Sequence[Sequence[int]], *, title: str, days: Sequence[str]) -> str:
    """Return a weekday (rows) by hour (columns) grid, darker for more cases received."""
    top = max((n for row in table for n in row), default=0) or 1
    cell, left, header = 15, 48, 18
    body = [
        f'<text x="{left + h * cell + cell / 2}" y="12" text-anchor="middle" '
        f'font-size="10">{h}</text>'
        for h in range(0, 24, 3)
    ]
    for d, row in enumerate(table):
        y = header + d * cell
        body.append(
            f'<text x="{left - 6}" y="{y + 11}" text-anchor="end" font-size="10">'
            f"{escape(days[d])}</text>"
        )
        for h, count in enumerate(row):
            shade = 0 if not count else 1 + min(4, int(5 * count / (top + 1)))
            body.append(
                f'<rect x="{left + h * cell}" y="{y}" width="{cell - 1}" height="{cell - 1}" '
                f'fill="{HEAT_FILLS[shade]}" stroke="#c8c8c8" stroke-width="0.5"/>'
            )
    busiest = max(
        ((n, d, h) for d, row in enumerate(table) for h, n in enumerate(row)), default=(0, 0, 0)
    )
    description = f"max {busiest[0]}: {days[busiest[1]]} {busiest[2]:02d}:00"
    return _frame(header + 7 * cell + 4, title, description, body, width=left + 24 * cell + 4)
