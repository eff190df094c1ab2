"""The measures of a period, summed from daily rollup rows (pure)."""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from . import histograms

COUNTS = (
    "received",
    "confidential",
    "verified",
    "verified_on_time",
    "replied",
    "replied_on_time",
    "resolved",
    "resolved_on_time",
    "closed",
    "delayed",
    "accepted",
)
BREAKDOWNS = ("kinds", "channels", "categories", "statuses", "ratings")
HISTOGRAMS = ("verify_hours", "reply_hours", "resolve_hours")
DAY_FIELDS = ("unit_id", "day", *COUNTS, *BREAKDOWNS, *HISTOGRAMS, "hours")
MONTH_FIELDS = ("unit_id", "month", *COUNTS, *BREAKDOWNS, *HISTOGRAMS, "heat")
# A public breakdown cell below this shows no number (it could single someone out).
SMALL_CELL = 5


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Measures:
    """Counts, breakdowns, duration histograms and the weekday x hour table of a period."""

    counts: dict = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    breakdowns: dict = field(default_factory=lambda: {name: Counter() for name in BREAKDOWNS})
    durations: dict = field(default_factory=lambda: {n: histograms.empty() for n in HISTOGRAMS})
    # weekday (Monday 0) x local hour.
    heat: list = field(default_factory=lambda: [[0] * 24 for _ in range(7)])

    def add(self, row: Mapping) -> None:
        """Add one daily (DAY_FIELDS) or monthly (MONTH_FIELDS) rollup row."""
        for name in COUNTS:
            self.counts[name] += row[name]
        for name in BREAKDOWNS:
            self.breakdowns[name].update(row[name])
        for name in HISTOGRAMS:
            total = self.durations[name]
            for index, count in enumerate(row[name][: histograms.SIZE]):
                total[index] += count
        if "heat" in row:
            for weekday, hours in enumerate(row["heat"][:7]):
                for hour, count in enumerate(hours[:24]):
                    self.heat[weekday][hour] += count
            return
        day: date = row["day"]
        for hour, count in enumerate(row["hours"][:24]):
            self.heat[day.weekday()][hour] += count

    def fields(self) -> dict:
        """Return the stored fields of a monthly rollup row holding these measures."""
        values = dict(self.counts)
        values |= {name: dict(counter) for name, counter in self.breakdowns.items()}
        return values | {name: list(h) for name, h in self.durations.items()} | {"heat": self.heat}

    def median_hours(self, name: str) -> float | None:
        """Return the median of a duration histogram (verify_hours, reply_hours, ...)."""
        return histograms.median(self.durations[name])

    def on_time(self, step: str) -> float | None:
        """Return the share of cases done on time among those that got through *step*."""
        return _share(self.counts[f"{step}_on_time"], self.counts[step])

    @property
    def rated(self) -> int:
        """Return how many verdicts were given."""
        return sum(self.breakdowns["ratings"].values())

    @property
    def rating_average(self) -> float | None:
        """Return the average rating (1 to 5), or None without verdicts."""
        total = sum(int(k) * n for k, n in self.breakdowns["ratings"].items())
        return _share(total, self.rated)

    @property
    def accepted_share(self) -> float | None:
        """Return the share of verdicts that accepted the reply."""
        return _share(self.counts["accepted"], self.rated)


def summed(rows: Iterable[Mapping]) -> Measures:
    """Return the measures of rollup *rows*."""
    measures = Measures()
    for row in rows:
        measures.add(row)
    return measures


def suppressed(counts: Mapping[str, int], *, small: int = SMALL_CELL) -> dict[str, int | None]:
    """Return *counts* with small non-zero cells hidden (None), and one more if only one is.

    A lone hidden cell could be worked out from the total and the others, so the next
    smallest cell is hidden with it.
    """
    result: dict[str, int | None] = dict(counts)
    hidden = [key for key, n in counts.items() if 0 < n < small]
    if len(hidden) == 1:
        others = sorted((n, key) for key, n in counts.items() if n >= small)
        if others:
            hidden.append(others[0][1])
    for key in hidden:
        result[key] = None
    return result
