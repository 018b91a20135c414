"""gold.kpi_top_pages: the most viewed pages per day."""

from pyspark import pipelines as dp
from pyspark.sql import SparkSession

from pipelines.clickstream import gold, names, platform

spark = SparkSession.active()


@dp.materialized_view(
    name=names.KPI_TOP_PAGES,
    comment="gold.kpi_top_pages: the most viewed pages per day.",
    **platform.table_options(names.KPI_TOP_PAGES),
)
def build():
    return gold.kpi_top_pages(spark.read.table(names.FACT_PAGE_VIEWS))
