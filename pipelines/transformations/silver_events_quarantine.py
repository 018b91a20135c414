"""silver.events_quarantine: events that broke a rule, with the names of the rules broken."""

from pyspark import pipelines as dp
from pyspark.sql import SparkSession

from pipelines.clickstream import names, platform, silver
from pipelines.clickstream.context import event_rules, hmac_key

spark = SparkSession.active()


@dp.table(
    name=names.EVENTS_QUARANTINE,
    comment="Events that broke a data-quality rule (failed_rules)",
    **platform.table_options(names.EVENTS_QUARANTINE),
)
def events_quarantine():
    typed = silver.typed_events(spark.readStream.table(names.BRONZE_EVENTS), hmac_key(spark))
    return silver.quarantined(typed, event_rules(spark))
