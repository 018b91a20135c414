"""Quality metrics: every bronze row is accounted for per batch, quarantine counted by rule,
duplicates counted where they are dropped, and a lost row fails the metrics query."""

from datetime import datetime

import pytest

from pipelines.clickstream import quality

B1, B2 = datetime(2026, 11, 26, 18), datetime(2026, 11, 26, 19)


def _tables(spark, silver_rows):
    bronze = spark.createDataFrame(
        [(B1, None, None)] * 5 + [(B1, '{"x":"1"}', None), (B1, None, "{bad"), (B2, None, None)],
        "_ingested_at TIMESTAMP, _rescued_data STRING, _corrupt_record STRING",
    )
    silver = spark.createDataFrame(silver_rows, "_ingested_at TIMESTAMP")
    quarantine = spark.createDataFrame(
        [(B1, ["well_formed_json", "valid_event_id"]), (B1, ["valid_event_id"])],
        "_ingested_at TIMESTAMP, failed_rules ARRAY<STRING>",
    )
    dropped = spark.createDataFrame([(B1,)], "_ingested_at TIMESTAMP")
    return bronze, silver, quarantine, dropped


def test_metrics_count_rows_rescued_quarantined_by_rule_and_duplicates_per_batch(spark):
    rows = quality.feed_metrics("events", *_tables(spark, [(B1,)] * 4 + [(B2,)])).collect()
    got = {(r.layer, r._ingested_at, r.metric, r.rule): r.rows for r in rows}
    assert got[("bronze", B1, "rows_in", None)] == 7
    assert got[("bronze", B1, "rescued_rows", None)] == 1
    assert got[("bronze", B1, "corrupt_rows", None)] == 1
    assert got[("silver", B1, "rows_quarantined", None)] == 2
    assert got[("silver", B1, "rows_failing_rule", "valid_event_id")] == 2
    assert got[("silver", B1, "rows_failing_rule", "well_formed_json")] == 1
    assert got[("silver", B1, "duplicates_dropped", None)] == 1
    assert ("silver", B2, "duplicates_dropped", None) not in got  # counted, not derived: none dropped
    assert got[("silver", B1, "rows_unaccounted", None)] == got[("silver", B2, "rows_unaccounted", None)] == 0


@pytest.mark.parametrize("silver_rows, gap", [([(B1,)] * 3 + [(B2,)], "1"), ([(B1,)] * 5 + [(B2,)], "-1")])
def test_a_lost_or_extra_silver_row_fails_the_accounting_check(spark, silver_rows, gap):
    # Planted: silver misses one row of batch B1 (a loss), or holds one too many (a duplicate kept).
    metrics = quality.feed_metrics("events", *_tables(spark, silver_rows))
    with pytest.raises(
        Exception,
        match=rf"events ingest batch 2026-11-26 18:00:00: rows_in != rows_out "
        rf"\+ rows_quarantined \+ duplicates_dropped \({gap} rows unaccounted\)",
    ):
        metrics.collect()


def test_a_feed_without_deduplication_balances_without_duplicates(spark):
    bronze, _silver, quarantine, _dropped = _tables(spark, [])
    silver = spark.createDataFrame([(B1,)] * 5 + [(B2,)], "_ingested_at TIMESTAMP")
    rows = quality.feed_metrics("user_changes", bronze, silver, quarantine).collect()
    assert {r.metric for r in rows} >= {"rows_in", "rows_out", "rows_unaccounted"}
    assert "duplicates_dropped" not in {r.metric for r in rows}
