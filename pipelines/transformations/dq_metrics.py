"""gold.dq_metrics: rows in, rescued, quarantined by rule, duplicates dropped, per feed,
layer and ingest batch; fails the update when a bronze row is unaccounted for."""

from pyspark import pipelines as dp
from pyspark.sql import SparkSession

from contract import EVENTS_FEED, USER_CHANGES_FEED
from pipelines.clickstream import names, platform, quality, silver

spark = SparkSession.active()


@dp.materialized_view(
    name=names.DQ_METRICS,
    comment="Data-quality metrics per update and layer",
    **platform.table_options(names.DQ_METRICS),
)
def dq_metrics():
    read = spark.read.table
    events = quality.feed_metrics(
        EVENTS_FEED,
        read(names.BRONZE_EVENTS),
        read(names.SILVER_EVENTS),
        read(names.EVENTS_QUARANTINE),
        silver.dropped_copies(read(names.EVENTS_VALID), names.EVENT_KEY),
    )
    changes = quality.feed_metrics(
        USER_CHANGES_FEED,
        read(names.BRONZE_USER_CHANGES),
        read(names.SILVER_USER_CHANGES),
        read(names.USER_CHANGES_QUARANTINE),
    )
    return events.unionByName(changes)
