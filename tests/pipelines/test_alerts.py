"""Data-quality alerts: the SQL the stack deploys, run on local Spark over metrics that
quality.feed_metrics computes from planted batches, with dev's thresholds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from infra.config import load_environment
from pipelines.clickstream import alerts, quality

RULES = "_ingested_at TIMESTAMP, failed_rules ARRAY<STRING>"


def _now() -> datetime:
    # Spark compares with current_timestamp(); the session time zone is UTC.
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _batch(spark, at: datetime, *, good: int, quarantined: int = 0, duplicates: int = 0):
    """bronze, silver, quarantine and dropped-copy frames of one ingest batch with the given fates."""
    bronze = spark.createDataFrame(
        [(at, None, None)] * (good + quarantined + duplicates),
        "_ingested_at TIMESTAMP, _rescued_data STRING, _corrupt_record STRING",
    )
    silver = spark.createDataFrame([(at,)] * good, "_ingested_at TIMESTAMP")
    quarantine = spark.createDataFrame([(at, ["valid_event_id"])] * quarantined, RULES)
    dropped = spark.createDataFrame([(at,)] * duplicates, "_ingested_at TIMESTAMP")
    return bronze, silver, quarantine, dropped


def _metrics_view(spark, *batches) -> str:
    parts = [_batch(spark, at, **fates) for at, fates in batches]
    bronze, silver, quarantine, dropped = (_union(frames) for frames in zip(*parts, strict=False))
    quality.feed_metrics("events", bronze, silver, quarantine, dropped).createOrReplaceTempView("dq_metrics_fixture")
    return "dq_metrics_fixture"


def _union(frames):
    out = frames[0]
    for frame in frames[1:]:
        out = out.unionByName(frame)
    return out


@pytest.fixture(scope="module")
def thresholds():
    return load_environment("dev", {}).alerts.model_dump()


def _fired(spark, table, thresholds) -> set[str]:
    return {e.alert.key for e in alerts.evaluate(spark, table, thresholds) if e.fired}


def test_a_clean_recent_batch_fires_no_alert(spark, thresholds):
    table = _metrics_view(spark, (_now() - timedelta(minutes=5), {"good": 995, "quarantined": 3, "duplicates": 2}))
    assert _fired(spark, table, thresholds) == set()


def test_a_planted_bad_batch_fires_quarantine_and_duplicate_alerts(spark, thresholds):
    now = _now()
    table = _metrics_view(
        spark,
        (now - timedelta(minutes=40), {"good": 1000}),
        (now - timedelta(minutes=5), {"good": 80, "quarantined": 15, "duplicates": 5}),
    )
    evaluations = {e.alert.key: e for e in alerts.evaluate(spark, table, thresholds)}
    assert evaluations["quarantine_rate"].value == pytest.approx(0.15)
    assert evaluations["duplicate_rate"].value == pytest.approx(0.05)
    assert {k for k, e in evaluations.items() if e.fired} == {"quarantine_rate", "duplicate_rate"}


def test_an_older_bad_batch_does_not_fire_once_a_clean_one_followed(spark, thresholds):
    now = _now()
    table = _metrics_view(
        spark,
        (now - timedelta(minutes=40), {"good": 50, "quarantined": 50}),
        (now - timedelta(minutes=5), {"good": 1000}),
    )
    assert _fired(spark, table, thresholds) == set()


def test_no_bronze_row_for_longer_than_allowed_fires_freshness(spark, thresholds):
    stale = _now() - timedelta(minutes=thresholds["freshness_minutes"] + 10)
    table = _metrics_view(spark, (stale, {"good": 1000}))
    assert _fired(spark, table, thresholds) == {"freshness_minutes"}


def test_an_empty_metrics_table_fires_freshness_only(spark, thresholds):
    table = _metrics_view(spark, (_now(), {"good": 0}))
    assert _fired(spark, table, thresholds) == {"freshness_minutes"}


def test_queries_tolerate_added_metrics_and_columns(spark, thresholds):
    table = _metrics_view(spark, (_now() - timedelta(minutes=5), {"good": 80, "quarantined": 20}))
    spark.sql(
        f"SELECT *, 'extra' AS added_column FROM {table} UNION ALL "
        f"SELECT feed, layer, _ingested_at, 'a_new_metric', rule, 10000, 'extra' FROM {table}"
    ).createOrReplaceTempView("dq_metrics_wider")
    assert _fired(spark, "dq_metrics_wider", thresholds) == {"quarantine_rate"}


def test_every_alert_has_a_threshold_in_every_environment():
    for env in ("dev", "prod", "pr-42"):
        config = load_environment(env, {"CLICKSTREAM_EXPIRES_ON": "2026-12-31"}).alerts
        assert {a.key for a in alerts.ALERTS} <= set(config.model_dump())
