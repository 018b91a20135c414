"""Quality metrics: every bronze row is accounted for per batch, quarantine counted by rule."""

from datetime import datetime

from pipelines.clickstream import quality

B1, B2 = datetime(2026, 11, 26, 18), datetime(2026, 11, 26, 19)


def test_metrics_count_rows_rescued_quarantined_by_rule_and_duplicates_per_batch(spark):
    bronze = spark.createDataFrame(
        [(B1, None, None)] * 5 + [(B1, '{"x":"1"}', None), (B1, None, "{bad"), (B2, None, None)],
        "_ingested_at TIMESTAMP, _rescued_data STRING, _corrupt_record STRING")
    silver = spark.createDataFrame([(B1,)] * 4 + [(B2,)], "_ingested_at TIMESTAMP")
    quarantine = spark.createDataFrame([(B1, ["well_formed_json", "valid_event_id"]), (B1, ["valid_event_id"])],
                                       "_ingested_at TIMESTAMP, failed_rules ARRAY<STRING>")
    rows = quality.feed_metrics("events", bronze, silver, quarantine).collect()
    got = {(r.layer, r._ingested_at, r.metric, r.rule): r.rows for r in rows}
    assert got[("bronze", B1, "rows_in", None)] == 7
    assert got[("bronze", B1, "rescued_rows", None)] == 1
    assert got[("bronze", B1, "corrupt_rows", None)] == 1
    assert got[("silver", B1, "rows_quarantined", None)] == 2
    assert got[("silver", B1, "rows_failing_rule", "valid_event_id")] == 2
    assert got[("silver", B1, "rows_failing_rule", "well_formed_json")] == 1
    assert got[("silver", B1, "duplicates_dropped", None)] == 1
    assert got[("silver", B2, "duplicates_dropped", None)] == 0
