"""silver.events: valid events, one row per event id, timestamps in UTC, no raw e-mail."""

from pyspark.sql import SparkSession

from pipelines.clickstream import names, platform

spark = SparkSession.active()

platform.deduplicated_table(
    spark,
    name=names.SILVER_EVENTS,
    comment="Valid, de-duplicated, pseudonymised events",
    source=names.EVENTS_VALID,
    key=names.EVENT_KEY,
    window=platform.settings(spark).dedup_window,
)
