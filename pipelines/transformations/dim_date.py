"""gold.dim_date: every day from the first to the last event."""

from pyspark import pipelines as dp
from pyspark.sql import SparkSession

from pipelines.clickstream import gold, names, platform

spark = SparkSession.active()


@dp.materialized_view(
    name=names.DIM_DATE,
    comment="gold.dim_date: every day from the first to the last event.",
    **platform.table_options(names.DIM_DATE),
)
def build():
    return gold.dim_date(spark.read.table(names.SILVER_EVENTS))
