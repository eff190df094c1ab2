"""Draw the SKM report's charts as inline SVG strings (no JavaScript, no Django).

Pure functions: the caller passes every text already translated and a number
formatter for its language, so this module holds no user-facing strings. The
charts are sized for the 170 mm text width of an A4 page with 20 mm margins, use
only shades of grey (they must survive a black-and-white printer), and carry a
``<title>`` and ``<desc>`` for screen readers. Every text is escaped here.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape, quoteattr

# Drawing units per millimetre: the viewBox is 680 units wide for a 170 mm wide chart.
UNITS_PER_MM = 4
WIDTH = 680
FONT = "DejaVu Sans, sans-serif"
FONT_SIZE = 11
LABEL_WIDTH = 250
LABEL_CHARS = 40
ROW = 26
BAR = 14
TOP = 34
BOTTOM = 22

Formatter = Callable[[float], str]

# Answer 1 (worst) darkest to answer 4 (best) lightest; unanswered is white, outlined.
ANSWER_FILLS = ("#303030", "#707070", "#b0b0b0", "#e4e4e4", "#ffffff")
ANSWER_TEXT = ("#ffffff", "#ffffff", "#000000", "#000000", "#000000")
BAND_FILLS = ("#f4f4f4", "#e8e8e8")


def _default_format(value: float) -> str:
    return f"{value:.2f}"


def _text(x: float, y: float, content: str, **attrs: object) -> str:
    """Return one escaped SVG text element."""
    extra = "".join(f" {name.replace('_', '-')}={quoteattr(str(v))}" for name, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(content)}</text>'


def _label(y_middle: float, label: str) -> str:
    """Return a row label right-aligned before the plot, wrapped on two lines at most."""
    lines = textwrap.wrap(label, LABEL_CHARS) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), LABEL_CHARS, placeholder="…")]
    first = y_middle + 4 - (len(lines) - 1) * 6.5
    spans = "".join(
        f'<tspan x="{LABEL_WIDTH - 8}" y="{first + i * 13:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text text-anchor="end">{spans}</text>'


def _frame(height: float, title: str, description: str, body: Sequence[str]) -> str:
    """Wrap chart parts in an accessible, A4-sized svg element."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'width="{WIDTH / UNITS_PER_MM:g}mm" height="{height / UNITS_PER_MM:g}mm" '
        f'viewBox="0 0 {WIDTH} {height:g}" font-family={quoteattr(FONT)} '
        f'font-size="{FONT_SIZE}">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
        + "".join(body)
        + "</svg>"
    )


def nrr_bar_chart(
    rows: Sequence[tuple[str, float | None]],
    *,
    title: str,
    description: str = "",
    bands: Sequence[tuple[str, float]] = (),
    no_data: str = "–",
    value_format: Formatter = _default_format,
    low: float = 1.0,
    high: float = 4.0,
) -> str:
    """Return a horizontal bar chart of one score per row on the ``low``..``high`` scale.

    ``rows`` are (label, value or None). ``bands`` are optional (letter, lower bound)
    pairs, e.g. the grade bands on the NRR scale, drawn as alternating grey stripes
    with their letter on top; bounds outside the scale are ignored.
    """
    plot_left, plot_right = LABEL_WIDTH, WIDTH - 50
    span = high - low

    def x_of(value: float) -> float:
        clamped = min(max(value, low), high)
        return plot_left + (clamped - low) / span * (plot_right - plot_left)

    height = TOP + ROW * len(rows) + BOTTOM
    plot_bottom = TOP + ROW * len(rows)
    parts: list[str] = []
    edges = sorted((bound, letter) for letter, bound in bands if low <= bound < high)
    for i, (bound, letter) in enumerate(edges):
        upper = edges[i + 1][0] if i + 1 < len(edges) else high
        x0, x1 = x_of(bound), x_of(upper)
        parts.append(
            f'<rect x="{x0:.1f}" y="{TOP - 14}" width="{x1 - x0:.1f}" '
            f'height="{plot_bottom - TOP + 14}" fill="{BAND_FILLS[i % 2]}"/>'
        )
        parts.append(
            _text((x0 + x1) / 2, TOP - 4, letter, text_anchor="middle", font_weight="bold")
        )
    for tick in range(int(low), int(high) + 1):
        x = x_of(tick)
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP - 2}" x2="{x:.1f}" y2="{plot_bottom}" '
            'stroke="#999999" stroke-width="0.6" stroke-dasharray="2 2"/>'
        )
        parts.append(_text(x, plot_bottom + 14, str(tick), text_anchor="middle"))
    for i, (label, value) in enumerate(rows):
        y = TOP + i * ROW
        middle = y + ROW / 2
        shown = no_data if value is None else value_format(value)
        group = [f"<title>{escape(label)}: {escape(shown)}</title>"]
        group.append(_label(middle, label))
        if value is None:
            group.append(_text(plot_left + 4, middle + 4, no_data))
        else:
            end = x_of(value)
            group.append(
                f'<rect x="{plot_left}" y="{middle - BAR / 2:.1f}" width="{end - plot_left:.1f}" '
                f'height="{BAR}" fill="#505050"/>'
            )
            group.append(_text(end + 4, middle + 4, value_format(value), font_weight="bold"))
        parts.append("<g>" + "".join(group) + "</g>")
    parts.append(
        f'<line x1="{plot_left}" y1="{TOP - 2}" x2="{plot_left}" y2="{plot_bottom}" '
        'stroke="#000000" stroke-width="1"/>'
    )
    return _frame(height, title, description, parts)


def distribution_chart(
    rows: Sequence[tuple[str, Sequence[int]]],
    *,
    title: str,
    series: Sequence[str],
    description: str = "",
    percent_format: Formatter = lambda share: f"{share:.0f}%",
) -> str:
    """Return 100 % stacked horizontal bars: per row, the share of each answer.

    ``rows`` are (label, counts) with counts in the order of ``series`` (answers 1..4,
    then unanswered: at most five series, darkest first). Segments wide enough carry
    their percentage; a legend sits above the bars.
    """
    if len(series) > len(ANSWER_FILLS):
        raise ValueError(f"at most {len(ANSWER_FILLS)} series, got {len(series)}")
    plot_left, plot_right = LABEL_WIDTH, WIDTH - 10
    plot_width = plot_right - plot_left
    height = TOP + ROW * len(rows) + 8
    parts: list[str] = []
    # Legend: one swatch per series, spread over the plot width.
    step = min(plot_width / max(len(series), 1), 72)
    for i, name in enumerate(series):
        x = plot_left + i * step
        parts.append(
            f'<rect x="{x:.1f}" y="6" width="12" height="12" fill="{ANSWER_FILLS[i]}" '
            'stroke="#000000" stroke-width="0.6"/>'
        )
        parts.append(_text(x + 16, 16, textwrap.shorten(name, 18, placeholder="…")))
    for i, (label, counts) in enumerate(rows):
        y = TOP + i * ROW
        middle = y + ROW / 2
        total = sum(counts)
        shares = [count / total * 100 if total else 0.0 for count in counts]
        summary = ", ".join(
            f"{name}: {count} ({percent_format(share)})"
            for name, count, share in zip(series, counts, shares, strict=False)
        )
        group = [f"<title>{escape(label)}: {escape(summary)}</title>", _label(middle, label)]
        x = float(plot_left)
        for j, share in enumerate(shares):
            if not share:
                continue
            width = share / 100 * plot_width
            group.append(
                f'<rect x="{x:.1f}" y="{middle - BAR / 2:.1f}" width="{width:.1f}" '
                f'height="{BAR}" fill="{ANSWER_FILLS[j]}" stroke="#000000" stroke-width="0.5"/>'
            )
            if width >= 30:
                group.append(
                    _text(
                        x + width / 2,
                        middle + 4,
                        percent_format(share),
                        text_anchor="middle",
                        fill=ANSWER_TEXT[j],
                        font_size=9,
                    )
                )
            x += width
        parts.append("<g>" + "".join(group) + "</g>")
    return _frame(height, title, description, parts)
