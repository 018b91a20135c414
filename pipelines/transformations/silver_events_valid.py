"""silver.events_valid: bronze events that pass every rule, typed, pseudonymised and with free
text scrubbed, streamed (each landed line is typed once, not on every update)."""

from pyspark import pipelines as dp
from pyspark.sql import SparkSession

from pipelines.clickstream import names, platform, silver
from pipelines.clickstream.context import event_rules, hmac_key

spark = SparkSession.active()


@dp.table(
    name=names.EVENTS_VALID,
    comment="Valid events before de-duplication (silver.events' input)",
    **platform.table_options(names.EVENTS_VALID),
)
@platform.expect_all_or_drop(event_rules(spark))
def events_valid():
    return silver.typed_events(spark.readStream.table(names.BRONZE_EVENTS), hmac_key(spark))
