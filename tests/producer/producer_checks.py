"""Independent re-classification of landing lines, to check the producer's summary
against what is actually in the files (not against the producer's own counters)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

import orjson

from contract import EVENT_FIELDS, EVENT_TYPES, REQUIRED_EVENT_FIELDS, SCHEMA_VERSION

SCHEMA_FIELDS = set(EVENT_FIELDS)
SLASHED = re.compile(r"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}$")


def _has(event: dict, dotted: str) -> bool:
    node = event
    for key in dotted.split("."):
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def _ms(ts: str) -> int:
    return int(datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp() * 1000)


def classify(lines: list[bytes], start_ms: int) -> tuple[Counter, Counter, set[str]]:
    """Returns (defects by kind, valid unique events by type, ids of valid unique events)."""
    defects: Counter = Counter()
    types: Counter = Counter()
    seen_lines: set[bytes] = set()
    seen_ids: set[str] = set()
    newest = start_ms
    for line in lines:
        if line in seen_lines:
            defects["duplicate"] += 1
            continue
        seen_lines.add(line)
        try:
            event = orjson.loads(line)
        except orjson.JSONDecodeError:
            defects["malformed_json"] += 1
            continue
        if (
            not isinstance(event.get("schema_version", 0), int)
            or not isinstance(event.get("user", {}), dict)
            or not isinstance(event.get("properties", {}), dict)
        ):
            defects["wrong_type"] += 1
            continue
        if not all(_has(event, f) for f in REQUIRED_EVENT_FIELDS):
            defects["missing_required"] += 1
            continue
        if event["event_type"] not in EVENT_TYPES:
            defects["unknown_event_type"] += 1
            continue
        assert event["schema_version"] == SCHEMA_VERSION
        if event["event_id"] in seen_ids:
            defects["replayed_id"] += 1
            continue
        seen_ids.add(event["event_id"])
        types[event["event_type"]] += 1
        ts = event["event_ts"]
        if set(event) - SCHEMA_FIELDS:
            defects["schema_drift"] += 1
        elif isinstance(ts, int):
            defects["legacy_ts_epoch_millis"] += 1
        elif SLASHED.match(ts):
            defects["legacy_ts_slashed"] += 1
        else:
            ms = _ms(ts)
            if ms >= newest + 3_600_000:
                defects["future_ts"] += 1
            elif ms <= newest - 7_200_000:
                defects["late"] += 1
            elif ms < newest:
                defects["out_of_order"] += 1
            else:
                newest = ms
    return defects, types, seen_ids
