"""Geometry of the outcome dashboard's charts: numbers in, rectangles out, in SVG user units.
The templates draw the rectangles as inline SVG; nothing here knows Flask, so each chart is
checked by its arithmetic (tests/outcomes/test_charts.py). The table beside each chart stays
the source of truth: a chart only shows what the table already says."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: Room for the group names before the bars, and the bars' full length.
LABEL_WIDTH = 210
PLOT_WIDTH = 460
#: Room after the bars for a value written beside them.
VALUE_WIDTH = 70
BAR_HEIGHT = 22
ROW_GAP = 12
#: Room above the first bar for the axis' tick labels.
AXIS_HEIGHT = 22
LABEL_CHARACTERS = 28

SHARE_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)

#: One colour per category, in the report's order. Jobs in greens and blues, the rest in
#: warm tones and greys; "not reporting" is also hatched, so it stays visible without colour.
CATEGORY_COLOURS = {
    "full_time_employee": "#1b7837",
    "full_time_contract": "#5aae61",
    "hired_by_operator": "#a6dba0",
    "started_company": "#2166ac",
    "short_term": "#92c5de",
    "out_of_field": "#e08214",
    "still_seeking": "#fdb863",
    "not_seeking": "#b2abd2",
    "not_reporting": "#9e9e9e",
    "excluded": "#5e5e5e",
}
RATE_COLOURS = {"in_field": "#2166ac", "decent": "#1b7837"}
PROGRESS_COLOURS = {"graduated": "#2166ac", "target": "#d9d9d9"}


@dataclass(frozen=True)
class Segment:
    """One rectangle: a category's share of a bar, or a whole bar."""

    key: str
    value: float
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Row:
    """One group's line of the chart; ``empty`` when there is nothing to draw (no graduates,
    a rate without denominator), which the template says in words."""

    label: str
    short_label: str
    y: float
    height: float
    segments: tuple[Segment, ...]
    empty: bool = False

    @property
    def middle(self) -> float:
        """Where the row's label sits: half way down its bars."""
        return self.y + self.height / 2


@dataclass(frozen=True)
class Tick:
    x: float
    value: float


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    plot_x: float
    plot_width: float
    rows: tuple[Row, ...]
    ticks: tuple[Tick, ...]


def stacked_shares(groups: Sequence[tuple[str, Mapping[str, int]]]) -> Chart:
    """A full-length bar per group, split by each key's share of the group's total. Shares are
    computed from the counts, so the segments always end exactly at the bar's end."""
    rows = []
    for index, (label, counts) in enumerate(groups):
        y = _row_top(index, BAR_HEIGHT)
        total = sum(counts.values())
        segments, x = [], float(LABEL_WIDTH)
        for key, count in counts.items():
            if count:
                width = PLOT_WIDTH * count / total
                segments.append(Segment(key, count / total, x, y, width, BAR_HEIGHT))
                x += width
        rows.append(_row(label, y, segments, empty=total == 0))
    return _chart(rows, BAR_HEIGHT, _share_ticks())


def paired_rates(
    groups: Sequence[tuple[str, Mapping[str, float | None]]],
) -> Chart:
    """Bars side by side per group (one per key, e.g. in-field and decent in-field), each as
    long as its rate (0 to 1). A rate that has no denominator (None) draws nothing."""
    keys = len(groups[0][1]) if groups else 1
    height = keys * BAR_HEIGHT
    rows = []
    for index, (label, rates) in enumerate(groups):
        y = _row_top(index, height)
        segments = [
            Segment(key, rate, LABEL_WIDTH, y + n * BAR_HEIGHT, PLOT_WIDTH * rate, BAR_HEIGHT)
            for n, (key, rate) in enumerate(rates.items())
            if rate is not None
        ]
        rows.append(_row(label, y, segments, empty=not segments, height=height))
    return _chart(rows, height, _share_ticks())


def progress(regions: Sequence[tuple[str, int]], target: int) -> tuple[Chart, Chart]:
    """Toward the national target: one bar of everyone graduated against the target (the bar's
    full length), then one bar per region on a scale of its own, so small regions still show."""
    total = sum(graduated for _, graduated in regions)
    share = min(total / target, 1.0) if target else 0.0
    y = _row_top(0, BAR_HEIGHT)
    target_bar = Segment("target", 1.0, LABEL_WIDTH, y, PLOT_WIDTH, BAR_HEIGHT)
    done = Segment("graduated", share, LABEL_WIDTH, y, PLOT_WIDTH * share, BAR_HEIGHT)
    overall = _chart(
        [_row("total", y, [target_bar, done])],
        BAR_HEIGHT,
        tuple(Tick(LABEL_WIDTH + PLOT_WIDTH * t, round(t * target)) for t in SHARE_TICKS),
    )
    maximum, step = nice_scale(max((g for _, g in regions), default=0))
    rows = []
    for index, (region, graduated) in enumerate(regions):
        y = _row_top(index, BAR_HEIGHT)
        width = PLOT_WIDTH * graduated / maximum
        rows.append(
            _row(region, y, [Segment("graduated", graduated, LABEL_WIDTH, y, width, BAR_HEIGHT)])
        )
    ticks = tuple(
        Tick(LABEL_WIDTH + PLOT_WIDTH * value / maximum, value)
        for value in range(0, maximum + 1, step)
    )
    return overall, _chart(rows, BAR_HEIGHT, ticks)


def nice_scale(largest: int) -> tuple[int, int]:
    """The axis for counts up to ``largest``: a step of 1, 2 or 5 times a power of ten giving
    at most about four intervals, and the first multiple of it at or above ``largest``."""
    raw = max(largest / 4, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return max(step * math.ceil(largest / step), step), step


def short(label: str, limit: int = LABEL_CHARACTERS) -> str:
    """A label cut to fit before the bars; the full one stays in the SVG <title>."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _row_top(index: int, height: float) -> float:
    return AXIS_HEIGHT + index * (height + ROW_GAP)


def _row(label: str, y: float, segments, empty: bool = False, height: float = BAR_HEIGHT) -> Row:
    return Row(label, short(label), y, height, tuple(segments), empty)


def _chart(rows: Sequence[Row], row_height: float, ticks: tuple[Tick, ...]) -> Chart:
    height = AXIS_HEIGHT + len(rows) * (row_height + ROW_GAP)
    return Chart(
        width=LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH,
        height=height,
        plot_x=LABEL_WIDTH,
        plot_width=PLOT_WIDTH,
        rows=tuple(rows),
        ticks=ticks,
    )


def _share_ticks() -> tuple[Tick, ...]:
    return tuple(Tick(LABEL_WIDTH + PLOT_WIDTH * t, t) for t in SHARE_TICKS)
