"""Silver: typed, normalised, pseudonymised rows; broken rows quarantined; duplicates out.

The raw e-mail address stops here: typing replaces it with its keyed HMAC, and any raw
text kept for diagnosis (rescued or corrupt data) has addresses redacted.
"""

from __future__ import annotations

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from pipelines.clickstream import pseudonymise, timestamps
from pipelines.clickstream.lazy import with_columns
from pipelines.clickstream.names import CORRUPT, INGESTED_AT, RESCUED, SOURCE_FILE
from pipelines.clickstream.rules import FAILED_RULES, all_pass, failed_rules


def _redacted_metadata() -> list:
    return [
        pseudonymise.redact_emails(F.col(RESCUED)).alias(RESCUED),
        pseudonymise.redact_emails(F.col(CORRUPT)).alias(CORRUPT),
        F.col(SOURCE_FILE),
        F.col(INGESTED_AT),
    ]


def typed_events(bronze: DataFrame, key: bytes) -> DataFrame:
    """Bronze events -> flat, typed columns with event_time in UTC and no raw e-mail."""
    return bronze.select(
        F.col("event_id"),
        F.col("event_type"),
        timestamps.to_utc("event_ts").alias("event_time"),
        F.col("event_ts").alias("event_ts_raw"),
        F.col("session_id"),
        F.col("user.id").alias("user_id"),
        pseudonymise.email_key(F.col("user.email"), key).alias("user_key"),
        F.col("user.country").alias("country"),
        F.col("user.locale").alias("locale"),
        F.col("page.url").alias("page_url"),
        F.col("page.referrer").alias("referrer"),
        F.col("page.title").alias("page_title"),
        F.col("device.type").alias("device_type"),
        F.col("device.os").alias("device_os"),
        F.col("device.browser").alias("browser"),
        F.col("properties"),
        F.col("schema_version"),
        *_redacted_metadata(),
    )


def typed_user_changes(bronze: DataFrame, key: bytes) -> DataFrame:
    """Bronze user changes -> typed CDC rows; the e-mail becomes its HMAC."""
    return bronze.select(
        F.col("change_id"),
        F.col("user_id"),
        F.lower(F.trim("op")).alias("op"),
        F.col("sequence"),
        timestamps.to_utc("changed_at").alias("changed_at"),
        pseudonymise.email_key(F.col("email"), key).alias("user_key"),
        F.col("country"),
        F.col("plan"),
        F.col("schema_version"),
        *_redacted_metadata(),
    )


def passing(typed: DataFrame, rules: dict[str, str]) -> DataFrame:
    """Rows that pass every rule (the local stand-in for expect_all_or_drop)."""
    return typed.where(all_pass(rules))


def quarantined(typed: DataFrame, rules: dict[str, str]) -> DataFrame:
    """Rows that break at least one rule, with the names of the rules they broke."""
    return with_columns(typed, **{FAILED_RULES: failed_rules(rules)}).where(F.size(FAILED_RULES) > 0)


def deduplicated(valid: DataFrame, window: str) -> DataFrame:
    """One row per event id among copies ingested within ``window`` of each other.

    The watermark is on ingest time on purpose: Spark's streaming de-duplication drops rows
    that are behind the watermark, so an event-time watermark would silently lose late
    events. Ingest time never runs behind its own watermark, so nothing is lost, while
    late and out-of-order events (by event time) pass through to gold, which orders by
    event time.
    """
    return valid.withWatermark(INGESTED_AT, window).dropDuplicatesWithinWatermark(["event_id"])


def first_per_key(valid: DataFrame, key: str) -> DataFrame:
    """Batch de-duplication: the first copy of each key, deterministically.

    First = earliest ingested, then earliest event time (a replayed id carries a later
    time than the event it reuses), then source file, then a content hash, so a rebuild
    from bronze always keeps the same copy.
    """
    content = F.expr("sha2(to_json(struct(*)), 256)")  # no .columns: it would analyse eagerly
    order = Window.partitionBy(key).orderBy(F.col(INGESTED_AT), F.col("event_time"), F.col(SOURCE_FILE), content)
    # struct/star instead of .drop(): open-source SDP analyses a drop eagerly, before any
    # pipeline table exists, and the flow could not even be registered.
    copies = valid.select(F.struct("*").alias("_row"), F.row_number().over(order).alias("_copy"))
    return copies.where("_copy = 1").select("_row.*")
