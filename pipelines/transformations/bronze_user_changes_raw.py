"""bronze.user_changes_raw: every landed user-change (CDC) line, as is."""

from pyspark import pipelines as dp
from pyspark.sql import SparkSession

from contract import USER_CHANGE_SCHEMA_DDL, USER_CHANGES_FEED
from pipelines.clickstream import names, platform

spark = SparkSession.active()


@dp.table(
    name=names.BRONZE_USER_CHANGES,
    comment="Landed user-change lines; nothing dropped",
    **platform.table_options(names.BRONZE_USER_CHANGES),
)
def user_changes_raw():
    landing = platform.settings(spark).feed_path(USER_CHANGES_FEED)
    return platform.read_landing(spark, landing, USER_CHANGE_SCHEMA_DDL)
