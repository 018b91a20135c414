"""Silver: quarantine and the valid rows partition the input; one copy per event id; no raw e-mail."""

import json
from datetime import datetime

from contract import EVENT_FIELDS, EVENT_SCHEMA_DDL
from pipelines.clickstream import bronze, rules, silver
from pipelines.clickstream.privacy import contains_email

KEY = b"test-key"
B1, B2 = datetime(2026, 11, 26, 18), datetime(2026, 11, 26, 19)
RULES = rules.event_rules(5, EVENT_FIELDS)


def event(n: int, **extra) -> dict:
    return {
        "event_id": f"0a1b2c3d-0000-8000-8000-{n:012d}",
        "event_type": "click",
        "event_ts": "2026-11-26T17:00:00Z",
        "session_id": "s",
        "schema_version": 1,
        "user": {"id": "u", "email": f"user{n}@example.com"},
    } | extra


def typed(spark, rows):
    """rows: (line, ingested_at, source_file)."""
    lines = spark.createDataFrame(rows, "value STRING, _ingested_at TIMESTAMP, _source_file STRING")
    parsed = bronze.parse_like_auto_loader(lines, EVENT_SCHEMA_DDL, keep=("_ingested_at", "_source_file"))
    return silver.typed_events(parsed, KEY)


def test_valid_and_quarantined_rows_partition_the_input(spark):
    rows = [
        (json.dumps(event(1)), B1, "a"),
        (json.dumps(event(2, event_type="hover")), B1, "a"),
        ('{"event_id": "x", "user": {"email": "leak@example.com"', B1, "a"),
    ]
    df = typed(spark, rows)
    valid, bad = silver.passing(df, RULES), silver.quarantined(df, RULES)
    assert valid.count() + bad.count() == 3 and valid.count() == 1
    assert sorted(r.failed_rules[0] for r in bad.collect()) == ["known_event_type", "well_formed_json"]


def test_no_raw_email_survives_typing_even_in_corrupt_or_rescued_text(spark):
    rows = [
        (json.dumps(event(1, extra={"contact": "x@example.com"})), B1, "a"),
        ('{"event_id": "x", "user": {"email": "leak@example.com"', B1, "a"),
    ]
    for row in typed(spark, rows).collect():
        assert not any(contains_email(str(v)) for v in row.asDict().values())


def test_first_per_key_keeps_the_earliest_copy_whatever_the_input_order(spark):
    original = event(1)
    replay = event(1, event_type="purchase", event_ts="2026-11-26T17:05:00Z")
    rows = [
        (json.dumps(replay), B1, "b"),
        (json.dumps(original), B2, "c"),
        (json.dumps(original), B1, "a"),
        (json.dumps(event(2)), B2, "c"),
    ]
    for ordering in (rows, rows[::-1]):
        kept = silver.first_per_key(silver.passing(typed(spark, ordering), RULES), "event_id").collect()
        assert sorted((r.event_id[-1], r.event_type, r._source_file) for r in kept) == [
            ("1", "click", "a"),
            ("2", "click", "c"),
        ]


def test_dropped_copies_are_exactly_the_rows_first_per_key_drops_per_batch(spark):
    original, other = event(1), event(2)
    rows = [
        (json.dumps(original), B1, "a"),
        (json.dumps(original), B1, "b"),
        (json.dumps(original), B2, "c"),
        (json.dumps(other), B2, "c"),
        (json.dumps(other), B2, "d"),
    ]
    valid = silver.passing(typed(spark, rows), RULES)
    dropped = sorted(r._ingested_at for r in silver.dropped_copies(valid, "event_id").collect())
    kept = silver.first_per_key(valid, "event_id").count()
    assert dropped == [B1, B2, B2] and kept + len(dropped) == len(rows)
