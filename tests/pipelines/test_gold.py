"""Gold: sessions, funnel, dates and top pages computed from hand-built silver events."""

from datetime import datetime, timedelta

from pipelines.clickstream import gold

T0 = datetime(2026, 11, 26, 23, 58)
SCHEMA = (
    "event_id STRING, event_type STRING, event_time TIMESTAMP, session_id STRING, user_id STRING, "
    "user_key STRING, country STRING, device_type STRING, page_url STRING, page_title STRING, "
    "referrer STRING, properties MAP<STRING,STRING>"
)


def events(spark, rows):
    """rows: (session, user, type, seconds after T0, page)."""
    data = [
        (f"e{i}", t, T0 + timedelta(seconds=s), sid, uid, "k", "FR", "mobile", page, None, None, {})
        for i, (sid, uid, t, s, page) in enumerate(rows)
    ]
    return spark.createDataFrame(data, SCHEMA)


SESSIONS = [
    ("s1", "u1", "page_view", 0, "/"),
    ("s1", "u1", "add_to_cart", 30, "/p/1"),
    ("s1", "u1", "page_view", 10, "/p/1"),
    ("s1", "u1", "checkout", 60, "/cart"),
    ("s1", "u1", "purchase", 240, "/done"),  # crosses midnight
    ("s2", "u2", "page_view", 5, "/"),
    ("s2", "u2", "page_view", 20, "/p/2"),
]


def test_sessions_have_duration_pages_and_conversion_whatever_the_event_order(spark):
    got = {r.session_id: r for r in gold.fact_sessions(events(spark, SESSIONS)).collect()}
    assert (got["s1"].duration_s, got["s1"].pages, got["s1"].converted, got["s1"].events) == (240.0, 2, True, 5)
    assert (got["s2"].duration_s, got["s2"].pages, got["s2"].converted) == (15.0, 2, False)
    assert got["s1"].date_key == 20261126


def test_funnel_counts_sessions_per_step_and_rates_from_the_first(spark):
    got = {
        r.step: (r.step_number, r.sessions, r.conversion_from_first_step)
        for r in gold.kpi_funnel_conversion(events(spark, SESSIONS)).collect()
    }
    assert got == {
        "page_view": (1, 2, 1.0),
        "add_to_cart": (2, 1, 0.5),
        "checkout": (3, 1, 0.5),
        "purchase": (4, 1, 0.5),
    }


def test_date_dimension_covers_every_day_without_gaps(spark):
    rows = [("s", "u", "click", 0, "/"), ("s", "u", "click", 3 * 86400, "/")]
    got = [r.date_key for r in gold.dim_date(events(spark, rows)).orderBy("date").collect()]
    assert got == [20261126, 20261127, 20261128, 20261129]


def test_daily_active_users_and_top_pages(spark):
    ev = events(spark, SESSIONS)
    dau = {r.date_key: (r.active_users, r.sessions) for r in gold.kpi_daily_active_users(ev).collect()}
    assert dau == {20261126: (2, 2), 20261127: (1, 1)}
    top = [
        (r.page_url, r.views, r.rank) for r in gold.kpi_top_pages(gold.fact_page_views(ev)).orderBy("rank").collect()
    ]
    assert top == [("/", 2, 1), ("/p/1", 1, 2), ("/p/2", 1, 3)]
