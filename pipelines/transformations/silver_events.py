"""silver.events: valid events, one row per event id, timestamps in UTC, no raw e-mail."""

from pyspark.sql import SparkSession

from pipelines.clickstream import names, platform, silver
from pipelines.clickstream.context import event_rules, hmac_key

spark = SparkSession.active()


def typed_events(reader):
    """Typed bronze events, read as a stream (spark.readStream) or a batch (spark.read)."""
    return silver.typed_events(reader.table(names.BRONZE_EVENTS), hmac_key(spark))


platform.deduplicated_table(
    spark,
    name=names.SILVER_EVENTS,
    comment="Valid, de-duplicated, pseudonymised events",
    typed=typed_events,
    rules=event_rules(spark),
    key=names.EVENT_KEY,
    window=platform.settings(spark).dedup_window,
    valid_view=names.EVENTS_VALID,
)
