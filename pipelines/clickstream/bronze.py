"""Bronze: every landed line becomes one row, nothing is dropped.

Auto Loader (Databricks) parses JSON against the contract schema and keeps what does not
fit in ``_rescued_data`` (unknown fields, values of the wrong type) and unparseable lines
in ``_corrupt_record``. Open-source Spark has no rescued-data column, so locally the lines
are read as text and :func:`parse_like_auto_loader` reproduces those two columns.
"""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from contract import top_level_fields
from pipelines.clickstream.lazy import with_columns
from pipelines.clickstream.names import CORRUPT, INGESTED_AT, RESCUED, SOURCE_FILE


def with_ingest_metadata(df: DataFrame) -> DataFrame:
    """Source file and ingest time (the micro-batch timestamp, the same for a whole batch)."""
    return with_columns(df, **{SOURCE_FILE: F.col("_metadata.file_path"), INGESTED_AT: F.current_timestamp()})


def bronze_columns(schema_ddl: str) -> list[str]:
    """Bronze column order, identical on both platforms."""
    return [*top_level_fields(schema_ddl), RESCUED, CORRUPT, SOURCE_FILE, INGESTED_AT]


def _mismatch_sql(fields: list[str]) -> str:
    # A raw value that did not survive typing: the field is missing from the typed struct.
    cases = " ".join(f"WHEN '{name}' THEN _typed.`{name}` IS NULL" for name in fields)
    return f"CASE k {cases} ELSE true END"


def parse_like_auto_loader(lines: DataFrame, schema_ddl: str, keep: tuple[str, ...] = ()) -> DataFrame:
    """Text lines (column ``value``) -> contract columns + ``_rescued_data`` + ``_corrupt_record``
    (+ the ``keep`` columns of ``lines``, passed through).

    Same meaning as Auto Loader's: ``_rescued_data`` is a JSON object of the top-level keys
    that are unknown to the contract or whose value has the wrong type; ``_corrupt_record``
    is the raw line when it is not a JSON object at all.

    Each line is parsed once against the contract. Its top-level keys (a scan that builds
    no values) tell whether it is an object and whether any key is unknown or lost its
    value in typing; only such lines (a few in a thousand) are parsed a second time, as a
    map of raw values, to fill ``_rescued_data``.
    """
    fields = top_level_fields(schema_ddl)
    typed = F.from_json("value", schema_ddl)
    needs_rescue = F.expr(f"exists(_keys, k -> {_mismatch_sql(fields)})")
    raw = F.when(needs_rescue, F.from_json("value", "MAP<STRING, STRING>"))
    rescued = F.expr(f"map_filter(_raw, (k, v) -> v IS NOT NULL AND {_mismatch_sql(fields)})")
    passthrough = list(keep)
    return (
        lines.where(F.trim("value") != "")  # the JSON reader skips blank lines too
        .select("value", typed.alias("_typed"), F.json_object_keys("value").alias("_keys"), *passthrough)
        .select("*", raw.alias("_raw"))
        .select(
            *[F.col(f"_typed.`{name}`").alias(name) for name in fields],
            F.when(F.size(rescued) > 0, F.to_json(rescued)).alias(RESCUED),
            F.when(F.col("_keys").isNull(), F.col("value")).alias(CORRUPT),
            *passthrough,
        )
    )
