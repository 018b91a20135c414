"""Data-quality metrics per update and layer, as a table.

An update is identified by its ingest batch (``_ingested_at``, carried from bronze to
silver). Metrics are counted from the tables themselves (duplicates: from the copies the
de-duplication drops), so they read the same on Databricks and locally, and a rebuild from
bronze reproduces them exactly. Every bronze row must be accounted for: the table's query
fails when one is not (see _balance_checked).
"""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from pipelines.clickstream import names
from pipelines.clickstream.names import CORRUPT, INGESTED_AT, RESCUED
from pipelines.clickstream.rules import FAILED_RULES

COLUMNS = ["feed", "layer", INGESTED_AT, "metric", "rule", "rows"]
# Where a bronze row can go, each counted where it happens: bronze rows_in = their sum.
# A new way out of silver (a filter, a watermark) needs its own metric here.
OUTCOMES = ("rows_out", "rows_quarantined", "duplicates_dropped")
UNACCOUNTED = "rows_unaccounted"


def _count(df: DataFrame, feed: str, layer: str, metric: str) -> DataFrame:
    return (
        df.groupBy(INGESTED_AT)
        .agg(F.count("*").alias("rows"))
        .select(
            F.lit(feed).alias("feed"),
            F.lit(layer).alias("layer"),
            INGESTED_AT,
            F.lit(metric).alias("metric"),
            F.lit(None).cast("string").alias("rule"),
            "rows",
        )
    )


def _by_rule(quarantine: DataFrame, feed: str) -> DataFrame:
    return (
        quarantine.select(INGESTED_AT, F.explode(FAILED_RULES).alias("rule"))
        .groupBy(INGESTED_AT, "rule")
        .agg(F.count("*").alias("rows"))
        .select(
            F.lit(feed).alias("feed"),
            F.lit("silver").alias("layer"),
            INGESTED_AT,
            F.lit("rows_failing_rule").alias("metric"),
            "rule",
            "rows",
        )
    )


def _balance_checked(per_batch: DataFrame, feed: str) -> DataFrame:
    """rows_unaccounted per batch: bronze rows that reached none of OUTCOMES. Anything but 0
    raises, so the update fails instead of the loss being counted as something else."""
    unaccounted = F.col("rows_in") - sum(F.col(m) for m in OUTCOMES)
    failure = F.raise_error(
        F.concat(
            F.lit(f"{names.DQ_METRICS}: {feed} ingest batch "),
            F.col(INGESTED_AT).cast("string"),
            F.lit(": rows_in != " + " + ".join(OUTCOMES) + " ("),
            unaccounted.cast("string"),
            F.lit(" rows unaccounted)"),
        )
    )
    return per_batch.select(
        F.lit(feed).alias("feed"),
        F.lit("silver").alias("layer"),
        INGESTED_AT,
        F.lit(UNACCOUNTED).alias("metric"),
        F.lit(None).cast("string").alias("rule"),
        F.when(unaccounted == 0, unaccounted).otherwise(failure).alias("rows"),
    )


def feed_metrics(
    feed: str, bronze: DataFrame, silver: DataFrame, quarantine: DataFrame, dropped: DataFrame | None = None
) -> DataFrame:
    """Metrics of one feed: rows in, rescued/corrupt rows, quarantined (total and by rule),
    duplicates dropped (counted on ``dropped``, the copies de-duplication dropped; None for a
    feed without de-duplication), and rows_unaccounted, which must be 0 (checked)."""
    counts = [
        _count(bronze, feed, "bronze", "rows_in"),
        _count(bronze.where(F.col(RESCUED).isNotNull()), feed, "bronze", "rescued_rows"),
        _count(bronze.where(F.col(CORRUPT).isNotNull()), feed, "bronze", "corrupt_rows"),
        _count(silver, feed, "silver", "rows_out"),
        _count(quarantine, feed, "silver", "rows_quarantined"),
        _by_rule(quarantine, feed),
    ]
    if dropped is not None:
        counts.append(_count(dropped, feed, "silver", "duplicates_dropped"))
    metrics = counts[0]
    for df in counts[1:]:
        metrics = metrics.unionByName(df)
    # Conditional sums rather than pivot/na.fill, which open-source SDP analyses eagerly.
    per_batch = metrics.groupBy(INGESTED_AT).agg(
        *[
            F.coalesce(F.sum(F.when(F.col("metric") == m, F.col("rows"))), F.lit(0)).alias(m)
            for m in ("rows_in", *OUTCOMES)
        ]
    )
    return metrics.unionByName(_balance_checked(per_batch, feed)).select(*COLUMNS)
