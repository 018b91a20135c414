"""Pipeline configuration keys (spark conf / Lakeflow pipeline configuration), read once.

The infra stack sets the clickstream.* keys on Databricks; the local runner writes them
into the generated spark-pipeline.yml. Everything else has a default that suits both.
"""

from __future__ import annotations

from dataclasses import dataclass

ENV = "clickstream.env"
LANDING_PATH = "clickstream.landing_path"
SECRET_SCOPE = "clickstream.secret_scope"
SECRET_KEY = "clickstream.secret_key"
# Databricks: the Unity Catalog catalog, where the column-mask functions live.
CATALOG = "clickstream.catalog"
# Events stamped later than ingest time + this many minutes break `timestamp_not_in_future`.
FUTURE_TOLERANCE_MINUTES = "clickstream.future_tolerance_minutes"
# Two copies of an event id ingested within this interval count as one event.
DEDUP_WINDOW = "clickstream.dedup_window"

DEFAULT_FUTURE_TOLERANCE_MINUTES = 5
DEFAULT_DEDUP_WINDOW = "7 days"


class SettingsError(ValueError):
    """A configuration key is missing or malformed; the message names the key."""


@dataclass(frozen=True)
class Settings:
    env: str
    landing_path: str
    secret_scope: str
    secret_key: str
    future_tolerance_minutes: int = DEFAULT_FUTURE_TOLERANCE_MINUTES
    dedup_window: str = DEFAULT_DEDUP_WINDOW

    def feed_path(self, feed: str) -> str:
        """Where the producer lands ``feed`` (contract.EVENTS_FEED / USER_CHANGES_FEED)."""
        return f"{self.landing_path.rstrip('/')}/{feed}"


def from_conf(get) -> Settings:
    """Build Settings from a conf getter (``spark.conf.get``-like: key, default -> value)."""
    landing = get(LANDING_PATH, None)
    if not landing:
        raise SettingsError(f"{LANDING_PATH} is not set: the pipeline does not know where events land")
    tolerance = get(FUTURE_TOLERANCE_MINUTES, str(DEFAULT_FUTURE_TOLERANCE_MINUTES))
    if not str(tolerance).isdigit():
        raise SettingsError(f"{FUTURE_TOLERANCE_MINUTES} must be a whole number of minutes, got {tolerance!r}")
    return Settings(
        env=get(ENV, "local"),
        landing_path=landing,
        secret_scope=get(SECRET_SCOPE, ""),
        secret_key=get(SECRET_KEY, ""),
        future_tolerance_minutes=int(tolerance),
        dedup_window=get(DEDUP_WINDOW, DEFAULT_DEDUP_WINDOW),
    )
