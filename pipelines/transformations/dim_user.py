"""gold.dim_user: user dimension, SCD type 2 from the user_changes CDC feed.

AUTO CDC on Databricks, the local equivalent elsewhere (see clickstream/platform.py).
"""

from pyspark.sql import SparkSession

from pipelines.clickstream import names, platform

spark = SparkSession.active()

platform.scd2_dimension(
    spark,
    target=names.DIM_USER,
    source=names.SILVER_USER_CHANGES,
    keys=["user_id"],
    sequence_by="sequence",
    delete_condition="op = 'delete'",
    columns=["user_key", "country", "plan", "changed_at", "sequence"],
    # When a change was recorded is not an attribute of the user: it opens no version.
    track_history_except=["changed_at", "sequence"],
    tie_breaker="change_id",
    comment="Users, SCD type 2 (__START_AT/__END_AT = user_changes.sequence)",
)
