"""gold.kpi_funnel_conversion: sessions reaching each funnel step per day."""

from pyspark import pipelines as dp
from pyspark.sql import SparkSession

from pipelines.clickstream import gold, names, platform

spark = SparkSession.active()


@dp.materialized_view(
    name=names.KPI_FUNNEL_CONVERSION,
    comment="gold.kpi_funnel_conversion: sessions reaching each funnel step per day.",
    **platform.table_options(names.KPI_FUNNEL_CONVERSION),
)
def build():
    return gold.kpi_funnel_conversion(spark.read.table(names.SILVER_EVENTS))
