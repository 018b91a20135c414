"""What the transformation files share: the configured rules and the HMAC key."""

from __future__ import annotations

from pyspark.sql import SparkSession

from contract import EVENT_SCHEMA_DDL, USER_CHANGE_SCHEMA_DDL
from pipelines.clickstream import platform, rules
from pipelines.clickstream.bronze import top_level_fields


def event_rules(spark: SparkSession) -> dict[str, str]:
    tolerance = platform.settings(spark).future_tolerance_minutes
    return rules.event_rules(tolerance, top_level_fields(EVENT_SCHEMA_DDL))


def user_change_rules() -> dict[str, str]:
    return rules.user_change_rules(top_level_fields(USER_CHANGE_SCHEMA_DDL))


def hmac_key(spark: SparkSession) -> bytes:
    return platform.hmac_key(platform.settings(spark))
