"""gold.kpi_daily_active_users: distinct users, sessions and events per day."""

from pyspark import pipelines as dp
from pyspark.sql import SparkSession

from pipelines.clickstream import gold, names, platform

spark = SparkSession.active()


@dp.materialized_view(
    name=names.KPI_DAILY_ACTIVE_USERS,
    comment="gold.kpi_daily_active_users: distinct users, sessions and events per day.",
    **platform.table_options(names.KPI_DAILY_ACTIVE_USERS),
)
def build():
    return gold.kpi_daily_active_users(spark.read.table(names.SILVER_EVENTS))
