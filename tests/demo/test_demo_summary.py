"""The summary numbers come from the lake snapshot, aggregated over days where needed."""

from __future__ import annotations

import pytest

from demo import lake_view
from demo.lake import LakeSnapshot
from demo.tables import table, to_markdown
from tests.demo.lake_fixture import KEY_A, KEY_B


def test_quality_table_has_each_metric_per_feed(snapshot):
    data = lake_view.quality_table(snapshot)
    assert data.columns == ("metric", "events", "user_changes")
    rows = {row[0].split(" (")[0]: row[1:] for row in data.rows}
    assert rows["rows in"] == ("22,000", "600")
    assert rows["quarantined"] == ("200", "10")
    assert rows["duplicates dropped"] == ("100", "0")
    assert rows["unaccounted"] == ("0", "0")
    assert rows["rescued"] == ("60", "0")


def test_rules_are_listed_most_rows_first(snapshot):
    assert lake_view.failing_rules(snapshot)[:2] == [
        ("events", "known_event_type", 120),
        ("events", "user_id_present", 70),
    ]


def test_funnel_sums_days_and_shares_of_the_first_step(snapshot):
    assert lake_view.funnel(snapshot) == [
        (1, "page_view", 3000, 1.0),
        (2, "add_to_cart", 1000, 1000 / 3000),
        (3, "checkout", 400, 400 / 3000),
        (4, "purchase", 200, 200 / 3000),
    ]


def test_top_pages_sum_views_over_days(snapshot):
    assert lake_view.top_pages(snapshot) == [("/home", 1400), ("/product/7", 700), ("/cart", 100)]


def test_daily_active_users_oldest_day_first(snapshot):
    assert [d for d, *_ in lake_view.daily_active_users(snapshot)] == ["2026-11-25", "2026-11-26"]


def test_sample_user_is_the_longest_history_in_sequence_order(snapshot):
    history = lake_view.sample_user(snapshot)
    assert [v["__START_AT"] for v in history.versions] == [2, 9]
    assert history.user_key == KEY_B  # the current version's pseudonymised id


def test_user_history_table_shows_pseudonymised_ids_only(snapshot):
    data = lake_view.user_history_table(lake_view.sample_user(snapshot))
    cells = " ".join(" ".join(row) for row in data.rows) + data.title
    assert KEY_A[:12] in cells and "u-1" not in cells and "@" not in cells
    assert data.rows[-1][-1] == "(current)"


def test_an_empty_lake_gives_empty_tables_not_errors():
    empty = LakeSnapshot({}, {}, {})
    assert lake_view.funnel(empty) == [] and lake_view.top_pages(empty) == []
    assert lake_view.sample_user(empty) is None
    assert lake_view.user_history_table(None).rows == (("gold.dim_user is empty",),)


def test_runs_table_shows_what_each_update_added(runs):
    data = lake_view.runs_table(runs)
    first, second = data.rows
    assert first[data.columns.index("+ bronze events")] == "20,000"
    assert second[data.columns.index("+ bronze events")] == "2,000"


def test_a_row_of_the_wrong_width_is_refused_naming_the_table():
    with pytest.raises(ValueError, match="'t'"):
        table("t", ("a", "b"), [("only one",)])


def test_markdown_cells_escape_pipes():
    assert "a\\|b" in to_markdown(table("t", ("x",), [("a|b",)]))


def test_alerts_table_says_which_alert_would_fire_with_the_environment_thresholds(snapshot):
    from dataclasses import replace

    from demo.lake import AlertState

    states = (
        AlertState("quarantine_rate", "Quarantine rate", 0.15, 0.02, True),
        AlertState("freshness_minutes", "Freshness", 3.0, 90.0, False),
    )
    data = lake_view.alerts_table(replace(snapshot, alerts=states), "dev")
    assert "dev" in data.title
    assert [(r[0], r[2], r[3], r[4]) for r in data.rows] == [
        ("quarantine_rate", "0.15", "0.02", "FIRES"),
        ("freshness_minutes", "3", "90", "ok"),
    ]
