"""SCD type 2 from a CDC feed with Databricks AUTO CDC semantics, for open-source Spark.

Open-source Spark Declarative Pipelines cannot run AUTO CDC locally (see README: SCD2 is
not in pyspark 4.2 and no local table format supports the row-level operations its
target needs), so locally the dimension is a materialized view recomputed from the whole
CDC history with the semantics of ``create_auto_cdc_flow(..., stored_as_scd_type=2)``:

* changes of a key are applied in ``sequence_by`` order, whatever order they arrived in;
* an upsert whose tracked columns differ from the open version closes it
  (``__END_AT`` = the upsert's sequence) and opens a new one (``__START_AT``);
* an upsert that changes no tracked column opens no version: untracked columns are
  updated in place;
* a delete (``apply_as_deletes``) closes the open version at its sequence; a delete with
  no open version does nothing; an upsert after a delete opens a new version;
* the open version has ``__END_AT`` NULL; several changes with the same key and sequence
  keep one (the greatest tie-breaker), since AUTO CDC rejects such ties as ambiguous.

Recomputing from history is what makes out-of-order arrivals exact: a late change lands
in the right place because everything is re-sorted on each update.
"""

from __future__ import annotations

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from pipelines.clickstream.lazy import with_columns

START_AT = "__START_AT"
END_AT = "__END_AT"


def scd2(
    changes: DataFrame,
    *,
    keys: list[str],
    sequence_by: str,
    delete_condition: str,
    columns: list[str],
    track_history_except: list[str] = (),
    tie_breaker: str | None = None,
) -> DataFrame:
    """SCD2 history of ``changes``: ``keys`` + ``columns`` + __START_AT/__END_AT.

    ``columns`` are the non-key output columns; those in ``track_history_except`` do not
    open a new version when they change. ``tie_breaker`` orders changes with equal keys
    and sequence (the survivor is the greatest).
    """
    tracked = [c for c in columns if c not in track_history_except and c != sequence_by]
    by_key = Window.partitionBy(*keys)
    ordered = by_key.orderBy(sequence_by)
    tie_order = [F.col(tie_breaker).desc()] if tie_breaker else []

    ranked = with_columns(
        changes.where(F.col(sequence_by).isNotNull()),
        _is_delete=F.coalesce(F.expr(delete_condition), F.lit(False)),
        _rank=F.row_number().over(Window.partitionBy(*keys, sequence_by).orderBy(*tie_order, F.lit(1))),
    )
    unique = with_columns(ranked.where("_rank = 1"), _tracked=F.struct(*tracked) if tracked else F.lit(None))
    prev_delete = F.lag("_is_delete").over(ordered)
    prev_tracked = F.lag("_tracked").over(ordered)
    flagged = with_columns(
        unique,
        _starts=~F.col("_is_delete")
        & (prev_delete.isNull() | prev_delete | ~F.col("_tracked").eqNullSafe(prev_tracked)),
    )
    starts = with_columns(
        flagged,
        # A boundary (start or delete) ends the version before it.
        _boundary=F.col("_starts") | F.col("_is_delete"),
        _version=F.sum(F.col("_starts").cast("int")).over(ordered.rowsBetween(Window.unboundedPreceding, 0)),
    )
    boundaries = with_columns(
        starts.where("_boundary"), _next_boundary=F.lead(sequence_by).over(by_key.orderBy(sequence_by))
    )
    opened = boundaries.where("_starts").select(
        *keys, "_version", F.col(sequence_by).alias(START_AT), F.col("_next_boundary").alias(END_AT)
    )
    # Untracked columns take their latest value within the version (updated in place).
    latest = (
        with_columns(
            starts.where(~F.col("_is_delete") & (F.col("_version") > 0)),
            _last=F.row_number().over(Window.partitionBy(*keys, "_version").orderBy(F.col(sequence_by).desc())),
        )
        .where("_last = 1")
        .select(*keys, "_version", *columns)
    )
    return latest.join(opened, [*keys, "_version"]).select(*keys, *columns, START_AT, END_AT)
