"""Free-text privacy: identifiers planted in any free-text column never reach silver or gold,
and every scrubbing expression stays linear on hostile multi-megabyte values."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime

import pytest
from pyspark.sql import functions as F

from contract import EVENT_FIELDS, EVENT_SCHEMA_DDL
from pipelines.clickstream import bronze, gold, privacy, rules, silver
from tests.pipelines import planted

KEY = b"test-key"
B1 = datetime(2026, 11, 26, 18)
RULES = rules.event_rules(5, EVENT_FIELDS)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("write to ada.l+x@example.co.uk.", "write to <email-redacted>."),
        ('{"contact":"bob@test.io"}', '{"contact":"<email-redacted>"}'),
        ("/search?q=bob%40test.io&page=2", "/search?q=<email-redacted>&page=2"),
        ("/p?Email=x&uid=42&ref=home#top", "/p?Email=<redacted>&uid=<redacted>&ref=home#top"),
        ("/p?user-id=9;token=abc", "/p?user-id=<redacted>;token=<redacted>"),
        ("call +33 6 12 34 56 78 now", "call <phone-redacted> now"),
        ("(555) 123-4567 or 06.12.34.56.78", "(<phone-redacted> or <phone-redacted>"),
        ("q=call+4915112345678", "q=call+<phone-redacted>"),
    ],
)
def test_scrub_removes_addresses_phone_numbers_and_identifying_parameters(spark, text, expected):
    assert _scrubbed(spark, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Search: rain jacket",
        "https://www.google.com/",
        "/p/trail-runner-104?ref=home&page=2",
        "P-10123",
        "2026-11-26",
        "2026-11-26 18:00:00",
        "2026-11-26T18:00:00Z",
        "order 1234567890123456789",
        "@handle",
        "price 49.99 EUR",
        "/search?q=gore-tex",
    ],
)
def test_scrub_leaves_ordinary_text_dates_and_long_numbers_alone(spark, text):
    assert _scrubbed(spark, text) == text


def _scrubbed(spark, text: str) -> str:
    return spark.createDataFrame([(text,)], "t STRING").select(privacy.scrub(F.col("t"))).first()[0]


# Hostile values: a long run of what a pattern scans, without what would end a match.
MB = 1 << 20
ADVERSARIAL = {  # name: (prefix, unit repeated, times)
    "4 MB of letters, no @": ("", "a", 4 * MB),
    "4 MB of local-part characters": ("", "a.b+c-", 4 * MB // 6),
    "@ then a 4 MB label": ("x@", "a", 4 * MB),
    "@ then a.a.a...": ("x@", "a.", 2 * MB),
    "a@a@a@...": ("", "a@", 2 * MB),
    "%40%40...": ("", "a%40", MB),
    "4 MB of digits": ("", "7", 4 * MB),
    "+ and digits and separators": ("+", "1 2-", MB),
    "a=a=a=...": ("?", "a=", 2 * MB),
    "?email=?email=...": ("", "?email=", 4 * MB // 7),
}
TIMEOUT_S = 60  # generous for a shared 2-core machine: linear code needs well under a second


@pytest.mark.parametrize("name, pattern, replacement", privacy.SCRUBBERS, ids=[s[0] for s in privacy.SCRUBBERS])
def test_every_scrubbing_expression_is_linear_on_multi_megabyte_adversarial_values(spark, name, pattern, replacement):
    values = spark.createDataFrame(list(ADVERSARIAL.values()), "prefix STRING, unit STRING, n INT")
    hostile = values.select(F.concat("prefix", F.repeat("unit", F.col("n"))).alias("v")).cache()
    assert hostile.count() == len(ADVERSARIAL)  # built before the clock starts
    query = hostile.select(F.sum(F.length(F.regexp_replace("v", pattern, replacement))))
    elapsed = _timed(spark, query.collect, f"scrub-{name}")
    hostile.unpersist()
    assert elapsed < TIMEOUT_S, f"{name}: not linear ({elapsed:.0f} s on {len(ADVERSARIAL)} values of ~4 MB)"


def _timed(spark, action, group: str) -> float:
    """Seconds ``action`` took, or the timeout when it did not finish (its jobs are cancelled)."""
    done = threading.Event()

    def run():
        spark.sparkContext.setJobGroup(group, group, interruptOnCancel=True)
        try:
            action()
        finally:
            done.set()

    start = time.monotonic()
    threading.Thread(target=run, daemon=True).start()
    if not done.wait(TIMEOUT_S):
        spark.sparkContext.cancelJobGroup(group)
        return TIMEOUT_S
    return time.monotonic() - start


def test_planted_identifiers_in_every_free_text_column_never_reach_silver_or_gold(spark):
    lines = [
        json.dumps(planted.event("0a1b2c3d-0000-8000-8000-000000000001")),
        json.dumps(planted.event("0a1b2c3d-0000-8000-8000-000000000002") | {"event_type": "hover"}),  # quarantined
        '{"event_id": "x", "note": "' + planted.TEXT + '", "url": "' + planted.URL,
    ]  # corrupt
    raw = spark.createDataFrame(
        [(line, B1, "f") for line in lines], "value STRING, _ingested_at TIMESTAMP, _source_file STRING"
    )
    assert all(any(m in line for line in lines) for m in planted.MARKERS)  # the markers are really planted
    parsed = bronze.parse_like_auto_loader(raw, EVENT_SCHEMA_DDL, keep=("_ingested_at", "_source_file"))
    typed = silver.typed_events(parsed, KEY)
    events = silver.first_per_key(silver.passing(typed, RULES), "event_id")
    page_views = gold.fact_page_views(events)
    tables = {
        "silver.events": events,
        "silver.events_quarantine": silver.quarantined(typed, RULES),
        "gold.fact_events": gold.fact_events(events),
        "gold.fact_page_views": page_views,
        "gold.kpi_top_pages": gold.kpi_top_pages(page_views),
    }
    for table, df in tables.items():
        text = "\n".join(r[0] for r in df.select(F.to_json(F.struct("*"))).collect())
        assert text, f"{table} is empty: the planted rows did not get there"
        leaked = [m for m in planted.MARKERS if m in text]
        assert not leaked, f"{table} holds {leaked}"
    row = events.first()
    assert row.page_url == "https://shop.example.com/search?q=<email-redacted>&user_id=<redacted>&page=2"
    assert row.page_title == f"mail {privacy.EMAIL_TOKEN} or call {privacy.PHONE_TOKEN}"
    assert row.properties["product_id"] == planted.STRUCTURED_VALUE  # structured values are kept as they came
    assert privacy.EMAIL_TOKEN in row._rescued_data
