"""The rule catalogue: each defect breaks the rule named after it, NULL never passes."""

import json
from datetime import datetime

import pytest

from contract import EVENT_FIELDS, EVENT_SCHEMA_DDL, USER_CHANGE_FIELDS, USER_CHANGE_SCHEMA_DDL
from pipelines.clickstream import bronze, rules, silver

KEY = b"test-key"
GOOD = {
    "event_id": "0a1b2c3d-0000-8000-8000-000000000001",
    "event_type": "page_view",
    "event_ts": "2026-11-26T18:00:00Z",
    "session_id": "s1",
    "user": {"id": "u1", "email": "a@b.io"},
    "schema_version": 1,
}
INGESTED = datetime(2026, 11, 26, 18, 30)
META = ("_ingested_at", "_source_file")


def broken_rules(spark, event: dict | str) -> list[str]:
    line = event if isinstance(event, str) else json.dumps(event)
    lines = spark.createDataFrame(
        [(line, INGESTED, "f.json")], "value STRING, _ingested_at TIMESTAMP, _source_file STRING"
    )
    typed = silver.typed_events(bronze.parse_like_auto_loader(lines, EVENT_SCHEMA_DDL, keep=META), KEY)
    checks = rules.event_rules(5, EVENT_FIELDS)
    return typed.select(rules.failed_rules(checks).alias("f")).first().f


def without(field):
    return {k: v for k, v in GOOD.items() if k != field}


@pytest.mark.parametrize(
    "event, expected",
    [
        (GOOD, []),
        (GOOD | {"ab_variant": "B"}, []),  # schema drift is kept in _rescued_data, not quarantined
        (GOOD | {"event_ts": "2026/11/26 18:00:00"}, []),
        (GOOD | {"event_ts": "2026-11-26T18:34:00Z"}, []),  # within the 5 minute tolerance
        (json.dumps(GOOD)[:30], None),  # malformed: checked separately below
        (GOOD | {"event_type": "hover"}, ["known_event_type"]),
        (GOOD | {"event_id": "not-a-uuid"}, ["valid_event_id"]),
        (without("event_id"), ["valid_event_id"]),
        (without("session_id"), ["session_id_present"]),
        (GOOD | {"user": {"email": "a@b.io"}}, ["user_id_present"]),
        (without("schema_version"), ["supported_schema_version"]),
        (GOOD | {"schema_version": "one"}, ["contract_types", "supported_schema_version"]),
        (GOOD | {"user": "not-a-struct"}, ["contract_types", "user_id_present"]),
        (without("event_ts"), ["timestamp_present"]),
        (GOOD | {"event_ts": "yesterday"}, ["timestamp_present"]),
        (GOOD | {"event_ts": "2026-11-26T19:00:00Z"}, ["timestamp_not_in_future"]),
    ],
)
def test_each_defect_breaks_exactly_the_rules_named_for_it(spark, event, expected):
    if expected is None:
        assert "well_formed_json" in broken_rules(spark, event)
    else:
        assert broken_rules(spark, event) == expected


def test_every_rule_treats_null_as_a_failure():
    for condition in rules.event_rules(5, EVENT_FIELDS).values():
        assert condition.startswith("COALESCE((") and condition.endswith("), false)")


def test_user_change_rules_catch_unknown_ops_and_missing_sequences(spark):
    rows = [
        ('{"change_id":"c","user_id":"u","op":"merge","sequence":1,"schema_version":1}', INGESTED, "f"),
        ('{"change_id":"c","user_id":"u","op":"upsert","schema_version":1}', INGESTED, "f"),
    ]
    lines = spark.createDataFrame(rows, "value STRING, _ingested_at TIMESTAMP, _source_file STRING")
    typed = silver.typed_user_changes(bronze.parse_like_auto_loader(lines, USER_CHANGE_SCHEMA_DDL, keep=META), KEY)
    checks = rules.user_change_rules(USER_CHANGE_FIELDS)
    assert [r.f for r in typed.select(rules.failed_rules(checks).alias("f")).collect()] == [
        ["known_op"],
        ["sequence_present"],
    ]
