"""The data-quality rule catalogue: named SQL conditions, declared once.

A row passes a rule when the condition is TRUE; NULL counts as a failure (every rule is
wrapped in COALESCE(..., false)), so a missing field can never slip through. The same
strings feed Databricks expectations (``expect_all_or_drop``) and the local filter, and
the quarantine tables list the names of the rules each row broke.
"""

from __future__ import annotations

from pyspark.sql import Column
from pyspark.sql import functions as F

from contract import EVENT_TYPES, SCHEMA_VERSION, USER_CHANGE_OPS
from pipelines.clickstream.names import CORRUPT, INGESTED_AT, RESCUED

FAILED_RULES = "failed_rules"
UUID_RE = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


def _sql_list(values) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _no_contract_field_rescued(fields) -> str:
    # A contract field in _rescued_data means its value had the wrong type.
    return f"NOT exists(map_keys(from_json({RESCUED}, 'MAP<STRING, STRING>')), k -> k IN ({_sql_list(fields)}))"


def event_rules(future_tolerance_minutes: int, contract_fields) -> dict[str, str]:
    """Rules on typed events (the output of silver.typed_events)."""
    raw = {
        "well_formed_json": f"{CORRUPT} IS NULL",
        "contract_types": f"{RESCUED} IS NULL OR {_no_contract_field_rescued(contract_fields)}",
        "valid_event_id": f"event_id RLIKE '{UUID_RE}'",
        "known_event_type": f"event_type IN ({_sql_list(EVENT_TYPES)})",
        "session_id_present": "length(trim(session_id)) > 0",
        "user_id_present": "length(trim(user_id)) > 0",
        "supported_schema_version": f"schema_version = {SCHEMA_VERSION}",
        "timestamp_present": "event_time IS NOT NULL",
        # Relative to ingest time, not to now(): a rebuild from bronze gives the same verdict.
        # A missing time is timestamp_present's to report, not this rule's.
        "timestamp_not_in_future": (
            f"event_time IS NULL OR event_time <= {INGESTED_AT} + INTERVAL {int(future_tolerance_minutes)} MINUTES"
        ),
    }
    return _null_is_failure(raw)


def user_change_rules(contract_fields) -> dict[str, str]:
    """Rules on typed user changes (the CDC feed behind the SCD2 user dimension)."""
    raw = {
        "well_formed_json": f"{CORRUPT} IS NULL",
        "contract_types": f"{RESCUED} IS NULL OR {_no_contract_field_rescued(contract_fields)}",
        "user_id_present": "length(trim(user_id)) > 0",
        "known_op": f"op IN ({_sql_list(USER_CHANGE_OPS)})",
        "sequence_present": "sequence IS NOT NULL",
        "supported_schema_version": f"schema_version = {SCHEMA_VERSION}",
    }
    return _null_is_failure(raw)


def _null_is_failure(rules: dict[str, str]) -> dict[str, str]:
    return {name: f"COALESCE(({condition}), false)" for name, condition in rules.items()}


def all_pass(rules: dict[str, str]) -> Column:
    return F.expr(" AND ".join(f"({c})" for c in rules.values()))


def failed_rules(rules: dict[str, str]) -> Column:
    """Array of the names of the rules a row breaks (empty when it passes all)."""
    flags = [F.when(~F.expr(c), F.lit(name)) for name, c in rules.items()]
    return F.filter(F.array(*flags), lambda name: name.isNotNull())
