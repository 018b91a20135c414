"""Data-quality metrics per update and layer, as a table.

An update is identified by its ingest batch (``_ingested_at``, carried from bronze to
silver). Metrics are counted from the tables themselves, so they read the same on
Databricks and locally, and a rebuild from bronze reproduces them exactly.
"""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from pipelines.clickstream.names import CORRUPT, INGESTED_AT, RESCUED
from pipelines.clickstream.rules import FAILED_RULES

COLUMNS = ["feed", "layer", INGESTED_AT, "metric", "rule", "rows"]


def _count(df: DataFrame, feed: str, layer: str, metric: str) -> DataFrame:
    return df.groupBy(INGESTED_AT).agg(F.count("*").alias("rows")).select(
        F.lit(feed).alias("feed"), F.lit(layer).alias("layer"), INGESTED_AT,
        F.lit(metric).alias("metric"), F.lit(None).cast("string").alias("rule"), "rows")


def _by_rule(quarantine: DataFrame, feed: str) -> DataFrame:
    return (
        quarantine.select(INGESTED_AT, F.explode(FAILED_RULES).alias("rule"))
        .groupBy(INGESTED_AT, "rule").agg(F.count("*").alias("rows"))
        .select(F.lit(feed).alias("feed"), F.lit("silver").alias("layer"), INGESTED_AT,
                F.lit("rows_failing_rule").alias("metric"), "rule", "rows")
    )


def feed_metrics(feed: str, bronze: DataFrame, silver: DataFrame, quarantine: DataFrame) -> DataFrame:
    """Metrics of one feed: rows in, rescued/corrupt rows, quarantined (total and by rule),
    duplicates dropped (= bronze - silver - quarantine: the only other way out of silver)."""
    counts = [
        _count(bronze, feed, "bronze", "rows_in"),
        _count(bronze.where(F.col(RESCUED).isNotNull()), feed, "bronze", "rescued_rows"),
        _count(bronze.where(F.col(CORRUPT).isNotNull()), feed, "bronze", "corrupt_rows"),
        _count(silver, feed, "silver", "rows_out"),
        _count(quarantine, feed, "silver", "rows_quarantined"),
        _by_rule(quarantine, feed),
    ]
    metrics = counts[0]
    for df in counts[1:]:
        metrics = metrics.unionByName(df)
    # Conditional sums rather than pivot/na.fill, which open-source SDP analyses eagerly.
    per_batch = metrics.groupBy(INGESTED_AT).agg(*[
        F.coalesce(F.sum(F.when(F.col("metric") == m, F.col("rows"))), F.lit(0)).alias(m)
        for m in ("rows_in", "rows_out", "rows_quarantined")])
    duplicates = per_batch.select(
        F.lit(feed).alias("feed"), F.lit("silver").alias("layer"), INGESTED_AT,
        F.lit("duplicates_dropped").alias("metric"), F.lit(None).cast("string").alias("rule"),
        (F.col("rows_in") - F.col("rows_out") - F.col("rows_quarantined")).alias("rows"))
    return metrics.unionByName(duplicates).select(*COLUMNS)
