"""Data-quality metrics per update and layer, as a table.

An update is identified by its ingest batch (``_ingested_at``, carried from bronze to
silver). Metrics are counted from the tables themselves (duplicates: from the copies the
de-duplication drops), so they read the same on Databricks and locally, and a rebuild from
bronze reproduces them exactly. Every bronze row must be accounted for: the table's query
fails when one is not (see _balance_checked).
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from pipelines.clickstream import names
from pipelines.clickstream.names import CORRUPT, INGESTED_AT, RESCUED
from pipelines.clickstream.rules import FAILED_RULES

COLUMNS = ["feed", "layer", INGESTED_AT, "metric", "rule", "rows"]
# Where a bronze row can go, each counted where it happens: bronze rows_in = their sum.
# A new way out of silver (a filter, a watermark) needs its own metric here.
OUTCOMES = ("rows_out", "rows_quarantined", "duplicates_dropped")
UNACCOUNTED = "rows_unaccounted"


def _bronze_counts() -> dict[str, Column]:
    """Bronze's per-batch metrics: metric -> which rows it counts (one aggregation, one scan)."""
    return {
        "rows_in": F.lit(True),
        "rescued_rows": F.col(RESCUED).isNotNull(),
        "corrupt_rows": F.col(CORRUPT).isNotNull(),
    }


def _per_batch(df: DataFrame, counts: dict[str, Column]) -> DataFrame:
    """One row per ingest batch of ``df``, a column per metric (rows matching its condition)."""
    return df.groupBy(INGESTED_AT).agg(*[F.count(F.when(cond, 1)).alias(m) for m, cond in counts.items()])


def _long(wide: DataFrame, feed: str, metrics: dict[str, str]) -> DataFrame:
    """Wide per-batch counts -> COLUMNS rows, one per (batch, metric) with rows > 0 (metric -> layer)."""
    entries = F.explode(F.array(*[F.struct(F.lit(m).alias("metric"), F.col(m).alias("rows")) for m in metrics]))
    layer = F.coalesce(*[F.when(F.col("_m.metric") == m, F.lit(layer)) for m, layer in metrics.items()])
    return (
        wide.select(INGESTED_AT, entries.alias("_m"))
        .where((F.col("_m.rows") > 0) | F.col("_m.metric").isin(UNACCOUNTED, "rows_in"))
        .select(
            F.lit(feed).alias("feed"),
            layer.alias("layer"),
            INGESTED_AT,
            F.col("_m.metric").alias("metric"),
            F.lit(None).cast("string").alias("rule"),
            F.col("_m.rows").alias("rows"),
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


def _unaccounted_checked(feed: str) -> Column:
    """rows_unaccounted of a batch: bronze rows that reached none of OUTCOMES. Anything but 0
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
    return F.when(unaccounted == 0, unaccounted).otherwise(failure)


def feed_metrics(
    feed: str, bronze: DataFrame, silver: DataFrame, quarantine: DataFrame, dropped: DataFrame | None = None
) -> DataFrame:
    """Metrics of one feed: rows in, rescued/corrupt rows, quarantined (total and by rule),
    duplicates dropped (counted on ``dropped``, the copies de-duplication dropped; None for a
    feed without de-duplication), and rows_unaccounted, which must be 0 (checked).

    Each table is read once: per-batch counts of each are joined on the batch (a handful
    of rows), the balance is checked on that join, and the result is unpivoted."""
    parts = [
        _per_batch(bronze, _bronze_counts()),
        _per_batch(silver, {"rows_out": F.lit(True)}),
        _per_batch(quarantine, {"rows_quarantined": F.lit(True)}),
    ]
    metrics = {"rows_in": "bronze", "rescued_rows": "bronze", "corrupt_rows": "bronze"}
    metrics |= {"rows_out": "silver", "rows_quarantined": "silver"}
    if dropped is not None:
        parts.append(_per_batch(dropped, {"duplicates_dropped": F.lit(True)}))
        metrics["duplicates_dropped"] = "silver"
    wide = parts[0]
    for part in parts[1:]:
        wide = wide.join(part, INGESTED_AT, "full_outer")
    filled = wide.select(INGESTED_AT, *[F.coalesce(F.col(m), F.lit(0)).alias(m) for m in metrics], *_absent(metrics))
    checked = filled.select("*", _unaccounted_checked(feed).alias(UNACCOUNTED))
    long = _long(checked, feed, metrics | {UNACCOUNTED: "silver"})
    return long.unionByName(_by_rule(quarantine, feed)).select(*COLUMNS)


def _absent(metrics: dict[str, str]) -> list[Column]:
    # A feed without de-duplication drops no copies: 0 in the balance, no metric row.
    return [F.lit(0).alias(m) for m in OUTCOMES if m not in metrics]
