"""Bronze parsing keeps every line: what does not fit the contract is rescued, not dropped."""

import json

from contract import EVENT_SCHEMA_DDL, top_level_fields
from pipelines.clickstream import bronze
from tests.pipelines.test_rules import GOOD  # one valid event for the parsing and rule tests


def parse(spark, *lines):
    df = spark.createDataFrame([(line,) for line in lines], "value STRING")
    return bronze.parse_like_auto_loader(df, EVENT_SCHEMA_DDL).collect()


def test_top_level_fields_skip_nested_struct_fields():
    assert top_level_fields(EVENT_SCHEMA_DDL) == (
        "event_id",
        "event_type",
        "event_ts",
        "session_id",
        "user",
        "page",
        "device",
        "properties",
        "schema_version",
    )


def test_a_clean_line_has_no_rescued_or_corrupt_data(spark):
    (row,) = parse(spark, json.dumps(GOOD))
    assert row.event_id == GOOD["event_id"] and row.user.email == "a@b.io" and row.schema_version == 1
    assert row._rescued_data is None and row._corrupt_record is None


def test_a_malformed_line_is_kept_raw_in_corrupt_record(spark):
    line = json.dumps(GOOD)[:25]
    (row,) = parse(spark, line)
    assert row._corrupt_record == line and row.event_id is None


def test_unknown_fields_are_rescued_and_the_rest_still_parses(spark):
    (row,) = parse(spark, json.dumps(GOOD | {"ab_variant": "B", "consent": {"ads": False}}))
    assert row.event_id == GOOD["event_id"] and row._corrupt_record is None
    assert set(json.loads(row._rescued_data)) == {"ab_variant", "consent"}


def test_a_value_of_the_wrong_type_is_rescued_under_its_field_name(spark):
    (row,) = parse(spark, json.dumps(GOOD | {"schema_version": "one"}))
    assert row.schema_version is None and json.loads(row._rescued_data) == {"schema_version": "one"}
    assert row.event_id == GOOD["event_id"]


def test_json_null_is_not_rescued_and_blank_lines_are_skipped_like_the_json_reader(spark):
    rows = parse(spark, json.dumps(GOOD | {"page": None}), "   ")
    assert len(rows) == 1 and rows[0]._rescued_data is None
