"""bronze.events_raw: every landed event line, as is, with its source file and ingest time."""

from pyspark import pipelines as dp
from pyspark.sql import SparkSession

from contract import EVENT_SCHEMA_DDL, EVENTS_FEED
from pipelines.clickstream import names, platform

spark = SparkSession.active()


@dp.table(
    name=names.BRONZE_EVENTS,
    comment="Landed event lines; nothing dropped",
    **platform.table_options(names.BRONZE_EVENTS),
)
def events_raw():
    return platform.read_landing(spark, platform.settings(spark).feed_path(EVENTS_FEED), EVENT_SCHEMA_DDL)
