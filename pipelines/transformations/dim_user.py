"""gold.dim_user: user dimension, SCD type 2 from the user_changes CDC feed.

AUTO CDC on Databricks, the local equivalent elsewhere (see clickstream/platform.py).
"""

from pyspark.sql import SparkSession

from pipelines.clickstream import gold, names, platform

spark = SparkSession.active()

platform.scd2_dimension(
    spark,
    target=names.DIM_USER,
    source=names.SILVER_USER_CHANGES,
    comment="Users, SCD type 2 (__START_AT/__END_AT = user_changes.sequence)",
    **gold.DIM_USER_SCD2,
)
