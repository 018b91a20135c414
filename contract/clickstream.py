"""Clickstream contract, version 1.

Two feeds land under the landing root, each newline-delimited JSON:

* ``events/``        behavioural events (page views, clicks, cart, purchases...)
* ``user_changes/``  user-profile change data capture (upserts and deletes with a
                     per-user ``sequence``), the source of the SCD2 user dimension.

Files are time partitioned: ``<feed>/yyyy/MM/dd/HH/<unique>.json``.

Timestamps are ISO-8601 UTC (``2026-11-26T18:00:00.123Z``). Legacy producers also
send epoch milliseconds (a JSON number) or ``yyyy/MM/dd HH:mm:ss`` (UTC); the
pipeline normalises all three, which is why ``event_ts`` is read as a string.
"""

from __future__ import annotations

SCHEMA_VERSION = 1

# Landing sub-folders, one per feed.
EVENTS_FEED = "events"
USER_CHANGES_FEED = "user_changes"

# Event types the pipeline accepts; anything else is quarantined as unknown.
EVENT_TYPES = (
    "session_start",
    "page_view",
    "click",
    "search",
    "add_to_cart",
    "remove_from_cart",
    "checkout",
    "purchase",
    "session_end",
)

# Ordered purchase funnel used by the producer's session model and the gold KPI.
FUNNEL_STEPS = ("page_view", "add_to_cart", "checkout", "purchase")

# Fields without which an event is unusable (dotted paths into the JSON object).
REQUIRED_EVENT_FIELDS = ("event_id", "event_type", "event_ts", "session_id", "user.id", "schema_version")

# Timestamp formats accepted in ``event_ts`` / ``changed_at``, as Spark patterns.
ISO_TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ss[.SSS]XXX"
LEGACY_TIMESTAMP_FORMAT = "yyyy/MM/dd HH:mm:ss"

# CDC operations in the user_changes feed.
USER_CHANGE_OPS = ("upsert", "delete")

# Fields that carry personal data: never stored raw beyond bronze.
PII_FIELDS = ("user.email",)

# Free text: values typed by a visitor or passed on by another site, which may carry e-mail
# addresses, phone numbers or identifiers in URL query strings. Scrubbed before silver
# (pipelines/clickstream/privacy.py), together with the raw text kept for unknown fields.
FREE_TEXT_FIELDS = ("page.url", "page.referrer", "page.title")
# String maps whose values are free text except under the listed keys (ids, amounts, codes):
# the search ``query`` and any key a producer adds later are free text.
FREE_TEXT_MAPS = {
    "properties": (
        "product_id",
        "category",
        "quantity",
        "price",
        "currency",
        "items",
        "value",
        "revenue",
        "order_id",
        "target",
        "channel",
        "landing",
        "results",
        "duration_s",
        "events",
    ),
}

# Spark DDL of the events feed. ``event_ts`` is a string on purpose (see above);
# ``properties`` is a string map so new keys are schema drift, not parse errors.
EVENT_SCHEMA_DDL = (
    "event_id STRING, "
    "event_type STRING, "
    "event_ts STRING, "
    "session_id STRING, "
    "user STRUCT<id: STRING, email: STRING, country: STRING, locale: STRING>, "
    "page STRUCT<url: STRING, referrer: STRING, title: STRING>, "
    "device STRUCT<type: STRING, os: STRING, browser: STRING>, "
    "properties MAP<STRING, STRING>, "
    "schema_version INT"
)

# Spark DDL of the user_changes feed.
USER_CHANGE_SCHEMA_DDL = (
    "change_id STRING, "
    "user_id STRING, "
    "op STRING, "
    "sequence BIGINT, "
    "changed_at STRING, "
    "email STRING, "
    "country STRING, "
    "plan STRING, "
    "schema_version INT"
)


def top_level_fields(schema_ddl: str) -> tuple[str, ...]:
    """Top-level field names of a Spark DDL string (nested STRUCT<...> commas skipped)."""
    fields, depth, start = [], 0, 0
    for i, ch in enumerate(schema_ddl + ","):
        if ch in "<(":
            depth += 1
        elif ch in ">)":
            depth -= 1
        elif ch == "," and depth == 0:
            fields.append(schema_ddl[start:i].strip().split()[0].strip("`"))
            start = i + 1
    return tuple(fields)


EVENT_FIELDS = top_level_fields(EVENT_SCHEMA_DDL)
USER_CHANGE_FIELDS = top_level_fields(USER_CHANGE_SCHEMA_DDL)

__all__ = [
    "SCHEMA_VERSION",
    "EVENTS_FEED",
    "USER_CHANGES_FEED",
    "EVENT_TYPES",
    "FUNNEL_STEPS",
    "REQUIRED_EVENT_FIELDS",
    "ISO_TIMESTAMP_FORMAT",
    "LEGACY_TIMESTAMP_FORMAT",
    "USER_CHANGE_OPS",
    "PII_FIELDS",
    "FREE_TEXT_FIELDS",
    "FREE_TEXT_MAPS",
    "EVENT_SCHEMA_DDL",
    "USER_CHANGE_SCHEMA_DDL",
    "EVENT_FIELDS",
    "USER_CHANGE_FIELDS",
    "top_level_fields",
]
