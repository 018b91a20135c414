"""The defect catalogue: what a broken line looks like, one function per kind.

Each takes a clean event line (bytes) and returns the defective line. They run on a
small share of lines, so they may parse and re-serialise. The pipeline must quarantine
(malformed_json, missing_required, wrong_type, unknown_event_type), deduplicate
(duplicate, replayed_id), or normalise / flag (the timestamp and drift kinds).
"""

from __future__ import annotations

import orjson

from contract import REQUIRED_EVENT_FIELDS
from producer.timefmt import iso, legacy_slashed

HOUR_MS = 3_600_000

# Kinds after which the event is still a valid, unique event (counted in events_by_type).
STILL_VALID = frozenset(
    {"late", "out_of_order", "future_ts", "legacy_ts_epoch_millis", "legacy_ts_slashed", "schema_drift"}
)

UNKNOWN_TYPES = ("hover", "scroll_depth", "video_play", "wishlist_add")
DRIFT_FIELDS = ({"ab_variant": "B"}, {"consent": {"analytics": True, "ads": False}}, {"app_version": "5.2.0"})
# Same field, a type Spark cannot read into the contract's schema (unlike number->string).
WRONG_TYPES = (("schema_version", "one"), ("user", "not-a-struct"), ("properties", ["not", "a", "map"]))

# An event line starts with {"event_id":"<36 chars>": the id can be swapped without parsing.
ID_START = len(b'{"event_id":"')
ID_END = ID_START + 36


class DefectInjector:
    def __init__(self, rnd):
        self.rnd = rnd

    def _choice(self, options):
        return options[int(self.rnd() * len(options))]

    def _edit(self, line: bytes, edit) -> bytes:
        event = orjson.loads(line)
        edit(event)
        return orjson.dumps(event)

    def _shift(self, line: bytes, now_ms: int, lo_ms: int, hi_ms: int) -> bytes:
        ts = iso(now_ms + lo_ms + int(self.rnd() * (hi_ms - lo_ms)))
        return self._edit(line, lambda e: e.__setitem__("event_ts", ts))

    def malformed_json(self, line: bytes, now_ms: int, recent: bytes) -> bytes:
        # Any proper prefix of a JSON object is invalid JSON: a writer died mid-line
        # (after the event id, so two broken lines are still different lines).
        return line[: ID_END + int(self.rnd() * (len(line) - ID_END - 1))]

    def missing_required(self, line: bytes, now_ms: int, recent: bytes) -> bytes:
        path = self._choice(REQUIRED_EVENT_FIELDS).split(".")

        def drop(event: dict) -> None:
            parent = event
            for key in path[:-1]:
                parent = parent[key]
            del parent[path[-1]]

        return self._edit(line, drop)

    def wrong_type(self, line: bytes, now_ms: int, recent: bytes) -> bytes:
        key, value = self._choice(WRONG_TYPES)
        return self._edit(line, lambda e: e.__setitem__(key, value))

    def unknown_event_type(self, line: bytes, now_ms: int, recent: bytes) -> bytes:
        kind = self._choice(UNKNOWN_TYPES)
        return self._edit(line, lambda e: e.__setitem__("event_type", kind))

    def duplicate(self, line: bytes, now_ms: int, recent: bytes) -> bytes:
        return recent

    def replayed_id(self, line: bytes, now_ms: int, recent: bytes) -> bytes:
        # A new payload reusing an event id already sent: a client retry with new content.
        return line[:ID_START] + recent[ID_START:ID_END] + line[ID_END:]

    def late(self, line: bytes, now_ms: int, recent: bytes) -> bytes:
        return self._shift(line, now_ms, -48 * HOUR_MS, -2 * HOUR_MS)

    def out_of_order(self, line: bytes, now_ms: int, recent: bytes) -> bytes:
        return self._shift(line, now_ms, -600_000, -5_000)

    def future_ts(self, line: bytes, now_ms: int, recent: bytes) -> bytes:
        return self._shift(line, now_ms, 1 * HOUR_MS, 48 * HOUR_MS)

    def legacy_ts_epoch_millis(self, line: bytes, now_ms: int, recent: bytes) -> bytes:
        return self._edit(line, lambda e: e.__setitem__("event_ts", now_ms))

    def legacy_ts_slashed(self, line: bytes, now_ms: int, recent: bytes) -> bytes:
        ts = legacy_slashed(now_ms)
        return self._edit(line, lambda e: e.__setitem__("event_ts", ts))

    def schema_drift(self, line: bytes, now_ms: int, recent: bytes) -> bytes:
        extra = self._choice(DRIFT_FIELDS)
        return self._edit(line, lambda e: e.update(extra))
