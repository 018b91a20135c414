"""gold.fact_events: one row per valid event, keyed to dim_date."""

from pyspark import pipelines as dp
from pyspark.sql import SparkSession

from pipelines.clickstream import gold, names, platform

spark = SparkSession.active()


@dp.materialized_view(
    name=names.FACT_EVENTS,
    comment="gold.fact_events: one row per valid event, keyed to dim_date.",
    **platform.table_options(names.FACT_EVENTS),
)
def build():
    return gold.fact_events(spark.read.table(names.SILVER_EVENTS))
