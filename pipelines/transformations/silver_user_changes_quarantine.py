"""silver.user_changes_quarantine: user changes that broke a rule, with the rules broken."""

from pyspark import pipelines as dp
from pyspark.sql import SparkSession

from pipelines.clickstream import names, platform, silver
from pipelines.clickstream.context import hmac_key, user_change_rules

spark = SparkSession.active()


@dp.table(
    name=names.USER_CHANGES_QUARANTINE,
    comment="User changes that broke a data-quality rule",
    **platform.table_options(names.USER_CHANGES_QUARANTINE),
)
def user_changes_quarantine():
    typed = silver.typed_user_changes(spark.readStream.table(names.BRONZE_USER_CHANGES), hmac_key(spark))
    return silver.quarantined(typed, user_change_rules())
