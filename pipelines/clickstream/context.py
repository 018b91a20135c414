"""What the transformation files share: the configured rules and the HMAC key."""

from __future__ import annotations

from pyspark.sql import SparkSession

from contract import EVENT_FIELDS, USER_CHANGE_FIELDS
from pipelines.clickstream import platform, rules


def event_rules(spark: SparkSession) -> dict[str, str]:
    tolerance = platform.settings(spark).future_tolerance_minutes
    return rules.event_rules(tolerance, EVENT_FIELDS)


def user_change_rules() -> dict[str, str]:
    return rules.user_change_rules(USER_CHANGE_FIELDS)


def hmac_key(spark: SparkSession) -> bytes:
    return platform.hmac_key(platform.settings(spark))
