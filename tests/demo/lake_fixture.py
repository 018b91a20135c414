"""A small lake, shaped like the pipeline's API output: ``LocalPipeline.row_counts()``,
``quality_totals()`` and gold rows as ``LocalPipeline.read_rows`` returns them."""

from __future__ import annotations

from pipelines.clickstream import names

ROWS = {
    names.BRONZE_EVENTS: 22_000,
    names.BRONZE_USER_CHANGES: 600,
    names.SILVER_EVENTS: 21_700,
    names.EVENTS_QUARANTINE: 200,
    names.SILVER_USER_CHANGES: 590,
    names.USER_CHANGES_QUARANTINE: 10,
    names.FACT_EVENTS: 21_700,
    names.FACT_PAGE_VIEWS: 9_000,
    names.FACT_SESSIONS: 3_100,
    names.DIM_USER: 3,
    names.DIM_DATE: 2,
    names.KPI_DAILY_ACTIVE_USERS: 2,
    names.KPI_FUNNEL_CONVERSION: 8,
    names.KPI_TOP_PAGES: 4,
    names.DQ_METRICS: 30,
}
QUALITY = {
    ("events", "bronze", "rows_in", None): 22_000,
    ("events", "bronze", "rescued_rows", None): 60,
    ("events", "bronze", "corrupt_rows", None): 20,
    ("events", "silver", "rows_out", None): 21_700,
    ("events", "silver", "rows_quarantined", None): 200,
    ("events", "silver", "duplicates_dropped", None): 100,
    ("events", "silver", "rows_unaccounted", None): 0,
    ("events", "silver", "rows_failing_rule", "well_formed_json"): 20,
    ("events", "silver", "rows_failing_rule", "known_event_type"): 120,
    ("events", "silver", "rows_failing_rule", "user_id_present"): 70,
    ("user_changes", "bronze", "rows_in", None): 600,
    ("user_changes", "silver", "rows_out", None): 590,
    ("user_changes", "silver", "rows_quarantined", None): 10,
    ("user_changes", "silver", "rows_unaccounted", None): 0,  # no de-duplication: no duplicates_dropped
    ("user_changes", "silver", "rows_failing_rule", "known_op"): 10,
}
KEY_A = "a3f1" + "0" * 60  # HMAC-SHA256 hex of two e-mail addresses of user u-1
KEY_B = "b7c2" + "1" * 60
TABLES = {
    names.KPI_DAILY_ACTIVE_USERS: [
        {"date_key": 20261126, "active_users": 900, "sessions": 2000, "events": 15_000},
        {"date_key": 20261125, "active_users": 400, "sessions": 1100, "events": 6_700},
    ],
    names.KPI_FUNNEL_CONVERSION: [
        {"date_key": d, "step_number": n, "step": s, "sessions": v, "conversion_from_first_step": None}
        for d, rows in ((20261125, (1000, 300, 100, 50)), (20261126, (2000, 700, 300, 150)))
        for n, s, v in zip(range(1, 5), ("page_view", "add_to_cart", "checkout", "purchase"), rows, strict=False)
    ],
    names.KPI_TOP_PAGES: [
        {"date_key": 20261125, "page_url": "/home", "views": 500, "unique_users": 300, "rank": 1},
        {"date_key": 20261125, "page_url": "/cart", "views": 100, "unique_users": 90, "rank": 2},
        {"date_key": 20261126, "page_url": "/home", "views": 900, "unique_users": 600, "rank": 1},
        {"date_key": 20261126, "page_url": "/product/7", "views": 700, "unique_users": 400, "rank": 2},
    ],
    names.DIM_USER: [
        {
            "user_id": "u-1",
            "user_key": KEY_B,
            "country": "DE",
            "plan": "pro",
            "changed_at": None,
            "sequence": 9,
            "__START_AT": 9,
            "__END_AT": None,
        },
        {
            "user_id": "u-1",
            "user_key": KEY_A,
            "country": "FR",
            "plan": "free",
            "changed_at": None,
            "sequence": 2,
            "__START_AT": 2,
            "__END_AT": 9,
        },
        {
            "user_id": "u-2",
            "user_key": "c" * 64,
            "country": "NL",
            "plan": "free",
            "changed_at": None,
            "sequence": 4,
            "__START_AT": 4,
            "__END_AT": None,
        },
    ],
}
