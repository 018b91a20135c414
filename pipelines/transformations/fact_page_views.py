"""gold.fact_page_views: one row per page view."""

from pyspark import pipelines as dp
from pyspark.sql import SparkSession

from pipelines.clickstream import gold, names, platform

spark = SparkSession.active()


@dp.materialized_view(
    name=names.FACT_PAGE_VIEWS,
    comment="gold.fact_page_views: one row per page view.",
    **platform.table_options(names.FACT_PAGE_VIEWS),
)
def build():
    return gold.fact_page_views(spark.read.table(names.SILVER_EVENTS))
