"""The dashboard charts' geometry: every bar's arithmetic, checked without a browser."""

from __future__ import annotations

import pytest

from lms.models import OutcomeCategory
from lms.outcomes.reports import charts
from lms.outcomes.reports.charts import AXIS_HEIGHT, BAR_HEIGHT, LABEL_WIDTH, PLOT_WIDTH, ROW_GAP


def counts(**values: int) -> dict[str, int]:
    """Every category at zero but those given, in the report's order."""
    return {str(c): values.get(str(c), 0) for c in OutcomeCategory}


def test_a_stacked_bar_splits_the_full_length_by_each_categorys_share():
    chart = charts.stacked_shares(
        [("Cohorte 1", counts(full_time_employee=2, still_seeking=1, not_reporting=1))]
    )
    (row,) = chart.rows
    assert [(s.key, s.value) for s in row.segments] == [
        ("full_time_employee", 0.5),
        ("still_seeking", 0.25),
        ("not_reporting", 0.25),
    ]
    assert [s.width for s in row.segments] == [PLOT_WIDTH / 2, PLOT_WIDTH / 4, PLOT_WIDTH / 4]
    assert [s.x for s in row.segments] == [
        LABEL_WIDTH,
        LABEL_WIDTH + PLOT_WIDTH / 2,
        LABEL_WIDTH + 3 * PLOT_WIDTH / 4,
    ]


def test_a_stacked_bar_ends_exactly_at_the_end_of_the_plot_whatever_the_shares():
    chart = charts.stacked_shares(
        [("thirds", counts(full_time_employee=1, short_term=1, excluded=1))]
    )
    last = chart.rows[0].segments[-1]
    assert last.x + last.width == pytest.approx(LABEL_WIDTH + PLOT_WIDTH)


def test_not_reporting_is_drawn_even_when_it_is_everyone():
    (row,) = charts.stacked_shares([("silence", counts(not_reporting=3))]).rows
    assert [(s.key, s.value, s.width) for s in row.segments] == [("not_reporting", 1.0, PLOT_WIDTH)]


def test_a_group_without_graduates_is_an_empty_row_not_a_division_by_zero():
    (row,) = charts.stacked_shares([("Cohorte vide", counts())]).rows
    assert row.empty and row.segments == ()


def test_rows_are_stacked_downwards_below_the_axis_and_the_chart_fits_them():
    chart = charts.stacked_shares([(f"G{i}", counts(still_seeking=1)) for i in range(3)])
    assert [row.y for row in chart.rows] == [
        AXIS_HEIGHT + i * (BAR_HEIGHT + ROW_GAP) for i in range(3)
    ]
    assert chart.height == AXIS_HEIGHT + 3 * (BAR_HEIGHT + ROW_GAP)
    assert chart.rows[0].middle == AXIS_HEIGHT + BAR_HEIGHT / 2


def test_share_charts_have_ticks_every_quarter():
    chart = charts.stacked_shares([("G", counts(still_seeking=1))])
    assert [(t.x, t.value) for t in chart.ticks] == [
        (LABEL_WIDTH + PLOT_WIDTH * q, q) for q in (0, 0.25, 0.5, 0.75, 1)
    ]


def test_paired_bars_sit_one_under_the_other_each_as_long_as_its_rate():
    chart = charts.paired_rates(
        [("A", {"in_field": 0.8, "decent": 0.2}), ("B", {"in_field": 0.5, "decent": 0.5})]
    )
    first, second = chart.rows
    in_field, decent = first.segments
    assert (in_field.key, in_field.width, in_field.y) == ("in_field", 0.8 * PLOT_WIDTH, first.y)
    assert (decent.key, decent.width, decent.y) == (
        "decent",
        0.2 * PLOT_WIDTH,
        first.y + BAR_HEIGHT,
    )
    assert second.y == first.y + 2 * BAR_HEIGHT + ROW_GAP
    assert first.middle == first.y + BAR_HEIGHT


def test_a_rate_without_denominator_draws_nothing_and_says_so():
    (row,) = charts.paired_rates([("A", {"in_field": None, "decent": None})]).rows
    assert row.empty and row.segments == ()


def test_a_zero_rate_is_a_bar_of_no_length_not_an_empty_row():
    (row,) = charts.paired_rates([("A", {"in_field": 0.0, "decent": 0.0})]).rows
    assert not row.empty and [s.width for s in row.segments] == [0.0, 0.0]


def test_progress_measures_all_graduates_against_the_national_target():
    overall, _ = charts.progress([("Souss-Massa", 3000), ("L'Oriental", 750)], 15000)
    (row,) = overall.rows
    target, done = row.segments
    assert (target.key, target.width) == ("target", PLOT_WIDTH)
    assert (done.key, done.value, done.width) == ("graduated", 0.25, PLOT_WIDTH / 4)
    assert [t.value for t in overall.ticks] == [0, 3750, 7500, 11250, 15000]


def test_progress_beyond_the_target_fills_the_bar_and_no_more():
    overall, _ = charts.progress([("Souss-Massa", 20000)], 15000)
    assert overall.rows[0].segments[1].width == PLOT_WIDTH


def test_regions_are_drawn_on_their_own_scale_so_small_ones_show():
    _, regions = charts.progress([("Souss-Massa", 137), ("Drâa-Tafilalet", 0)], 15000)
    assert [t.value for t in regions.ticks] == [0, 50, 100, 150]
    big, none = (row.segments[0] for row in regions.rows)
    assert (big.value, big.width) == (137, PLOT_WIDTH * 137 / 150)
    assert (none.value, none.width) == (0, 0)


@pytest.mark.parametrize(
    ("largest", "scale"),
    [(0, (1, 1)), (1, (1, 1)), (3, (3, 1)), (7, (8, 2)), (137, (150, 50)), (15000, (15000, 5000))],
)
def test_count_axes_end_on_a_round_step_at_or_above_the_largest_value(largest, scale):
    assert charts.nice_scale(largest) == scale


def test_long_labels_are_shortened_and_kept_whole_for_the_tooltip():
    name = "Tanger-Tétouan-Al Hoceïma, cohorte du soir"
    (row,) = charts.stacked_shares([(name, counts(still_seeking=1))]).rows
    assert row.label == name
    assert len(row.short_label) <= charts.LABEL_CHARACTERS and row.short_label.endswith("…")
    assert charts.short("Souss-Massa") == "Souss-Massa"


def test_every_category_has_a_colour():
    assert set(charts.CATEGORY_COLOURS) == {str(c) for c in OutcomeCategory}
