"""bronze.user_changes_raw: every landed user-change (CDC) line, as is."""

from pyspark import pipelines as dp
from pyspark.sql import SparkSession

from contract import USER_CHANGE_SCHEMA_DDL
from pipelines.clickstream import names, platform

spark = SparkSession.active()


@dp.table(name=names.BRONZE_USER_CHANGES, comment="Landed user-change lines; nothing dropped",
          **platform.table_options())
def user_changes_raw():
    return platform.read_landing(spark, platform.settings(spark).user_changes_path, USER_CHANGE_SCHEMA_DDL)
