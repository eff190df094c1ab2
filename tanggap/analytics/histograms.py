"""Fixed-bucket histograms of durations, so medians come from rollups, not cases (pure)."""

from collections.abc import Iterable, Sequence

# Upper bounds (hours, excluded) of the buckets; the last bucket holds everything longer.
EDGES = (
    1, 2, 3, 4, 6, 8, 12, 18, 24, 36, 48, 72, 96, 120, 168, 240, 336, 504, 720, 1080, 1440, 2160,
)  # fmt: skip
SIZE = len(EDGES) + 1


def empty() -> list[int]:
    """Return a histogram with every bucket at zero."""
    return [0] * SIZE


def bucket(hours: float) -> int:
    """Return the index of the bucket holding a duration of *hours*."""
    for index, edge in enumerate(EDGES):
        if hours < edge:
            return index
    return len(EDGES)


def build(durations: Iterable[float]) -> list[int]:
    """Return the histogram of *durations* (hours); negative ones count as zero."""
    counts = empty()
    for hours in durations:
        counts[bucket(max(hours, 0.0))] += 1
    return counts


def merge(histograms: Iterable[Sequence[int]]) -> list[int]:
    """Return the bucket-wise sum of *histograms*."""
    total = empty()
    for histogram in histograms:
        for index, count in enumerate(histogram[:SIZE]):
            total[index] += count
    return total


def median(histogram: Sequence[int]) -> float | None:
    """Return the median in hours, interpolated inside its bucket; None when empty.

    The true median lies in the same bucket; the last bucket has no upper bound, so a median
    there is reported as its lower bound.
    """
    n = sum(histogram)
    if not n:
        return None
    half, seen = n / 2, 0
    for index, count in enumerate(histogram):
        if count and seen + count >= half:
            low = EDGES[index - 1] if index else 0
            if index == len(EDGES):
                return float(low)
            return low + (EDGES[index] - low) * (half - seen) / count
        seen += count
    return float(EDGES[-1])
