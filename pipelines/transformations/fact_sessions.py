"""gold.fact_sessions: one row per session (duration, pages, converted)."""

from pyspark import pipelines as dp
from pyspark.sql import SparkSession

from pipelines.clickstream import gold, names, platform

spark = SparkSession.active()


@dp.materialized_view(
    name=names.FACT_SESSIONS,
    comment="gold.fact_sessions: one row per session (duration, pages, converted).",
    **platform.table_options(names.FACT_SESSIONS),
)
def build():
    return gold.fact_sessions(spark.read.table(names.SILVER_EVENTS))
