"""Silver: typed, normalised, pseudonymised rows; broken rows quarantined; duplicates out.

The raw e-mail address stops here: typing replaces it with its keyed HMAC. Free text and the
raw text kept for diagnosis (rescued or corrupt data) are scrubbed (privacy.py).
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from pipelines.clickstream import privacy, pseudonymise, timestamps
from pipelines.clickstream.lazy import with_columns
from pipelines.clickstream.names import INGESTED_AT, SOURCE_FILE
from pipelines.clickstream.rules import FAILED_RULES, all_pass, failed_rules


def _scrubbed_metadata() -> list:
    return [*(privacy.scrub(F.col(c)).alias(c) for c in privacy.RAW_TEXT), F.col(SOURCE_FILE), F.col(INGESTED_AT)]


def typed_events(bronze: DataFrame, key: bytes) -> DataFrame:
    """Bronze events -> flat, typed columns with event_time in UTC, no raw e-mail, free text scrubbed."""
    return bronze.select(
        F.col("event_id"),
        F.col("event_type"),
        timestamps.to_utc("event_ts").alias("event_time"),
        F.col("event_ts").alias("event_ts_raw"),
        F.col("session_id"),
        F.col("user.id").alias("user_id"),
        pseudonymise.email_key(F.col("user.email"), key).alias("user_key"),
        privacy.field("user.country").alias("country"),
        privacy.field("user.locale").alias("locale"),
        privacy.field("page.url").alias("page_url"),
        privacy.field("page.referrer").alias("referrer"),
        privacy.field("page.title").alias("page_title"),
        privacy.field("device.type").alias("device_type"),
        privacy.field("device.os").alias("device_os"),
        privacy.field("device.browser").alias("browser"),
        privacy.field("properties").alias("properties"),
        F.col("schema_version"),
        *_scrubbed_metadata(),
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
        *_scrubbed_metadata(),
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


def _copy_order(key: str, *tie_breaks: Column) -> Window:
    """Copies of a key, first first: earliest ingested; ``tie_breaks`` order copies ingested together."""
    return Window.partitionBy(key).orderBy(F.col(INGESTED_AT), *tie_breaks)


def _repeated(valid: DataFrame, key: str) -> DataFrame:
    """The keys that occur more than once (a few in a hundred), small enough to broadcast."""
    return F.broadcast(valid.groupBy(key).agg(F.count("*").alias("_n")).where("_n > 1").select(key))


def first_per_key(valid: DataFrame, key: str) -> DataFrame:
    """Batch de-duplication: the first copy of each key, deterministically.

    First = earliest ingested, then earliest event time (a replayed id carries a later
    time than the event it reuses), then source file, then a content hash, so a rebuild
    from bronze always keeps the same copy. Only the rows of repeated keys are ordered:
    the others pass as they are, so the update sorts a few thousand rows, not all of them.
    """
    repeated = _repeated(valid, key)
    content = F.expr("sha2(to_json(struct(*)), 256)")  # no .columns: it would analyse eagerly
    order = _copy_order(key, F.col("event_time"), F.col(SOURCE_FILE), content)
    # struct/star instead of .drop(): open-source SDP analyses a drop eagerly, before any
    # pipeline table exists, and the flow could not even be registered.
    copies = valid.join(repeated, key, "left_semi").select(
        F.struct("*").alias("_row"), F.row_number().over(order).alias("_copy")
    )
    return valid.join(repeated, key, "left_anti").unionByName(copies.where("_copy = 1").select("_row.*"))


def dropped_copies(valid: DataFrame, key: str) -> DataFrame:
    """The copies de-duplication drops (the ingest batch of each): rows whose key was already
    ingested, by the same first-copy order as first_per_key. Ties inside one batch are left
    unbroken: whichever copy of a batch is kept, that batch drops the same number."""
    # Only the key and the ingest time, of repeated keys only: the optimizer prunes the HMAC
    # and the free-text scrubbing away (what the rules read stays).
    narrow = valid.select(key, INGESTED_AT)
    copies = narrow.join(_repeated(narrow, key), key, "left_semi").select(
        F.col(INGESTED_AT), F.row_number().over(_copy_order(key)).alias("_copy")
    )
    return copies.where("_copy > 1").select(INGESTED_AT)
