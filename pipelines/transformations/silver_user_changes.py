"""silver.user_changes: valid user-profile changes (CDC), e-mail pseudonymised."""

from pyspark import pipelines as dp
from pyspark.sql import SparkSession

from pipelines.clickstream import names, platform, silver
from pipelines.clickstream.context import hmac_key, user_change_rules

spark = SparkSession.active()


@dp.table(
    name=names.SILVER_USER_CHANGES,
    comment="Valid user changes; the SCD2 user dimension's source",
    **platform.table_options(names.SILVER_USER_CHANGES),
)
@platform.expect_all_or_drop(user_change_rules())
def user_changes():
    return silver.typed_user_changes(spark.readStream.table(names.BRONZE_USER_CHANGES), hmac_key(spark))
