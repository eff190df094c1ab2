"""Breakdown and heat-map sections (rows and SVG charts) shared by pages and the PDF."""

from django.utils.translation import gettext as _

from . import charts
from .measures import Measures
from .presentation import breakdown

BREAKDOWN_TITLES = {
    "kinds": lambda: _("By kind"),
    "channels": lambda: _("By channel"),
    "categories": lambda: _("By category"),
    "statuses": lambda: _("By status"),
    "ratings": lambda: _("Reporters' ratings of the handling (1 to 5)"),
}


def breakdown_sections(measures: Measures, names, *, public: bool) -> list[dict]:
    """Return, per breakdown, its title, rows and bar chart."""
    sections = []
    for name in names:
        rows = breakdown(measures, name, public=public)
        title = BREAKDOWN_TITLES[name]()
        sections.append(
            {
                "name": name,
                "title": title,
                "rows": rows,
                "chart": charts.bar_chart([(r["label"], r["count"]) for r in rows], title=title)
                if rows
                else "",
            }
        )
    return sections


def weekday_names() -> list[str]:
    """Return the short weekday names, Monday first."""
    return [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def heat_section(measures: Measures) -> dict:
    """Return the weekday x hour table and its chart."""
    days = weekday_names()
    return {
        "chart": charts.heat_map(
            measures.heat, title=_("Reports received by weekday and hour"), days=days
        ),
        "rows": list(zip(days, measures.heat, strict=True)),
        "hours": range(24),
    }
