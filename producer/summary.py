"""The run summary: what was written, machine-readable for the pipeline's tests and the
demo. It counts committed files only: a file that failed to upload is reported under
``uncommitted`` and none of its events are in the totals.

Reconciliation: every events line is either a valid unique event (``events_by_type``
sums to ``valid_unique_events``) or one of the defects that make it invalid or a repeat:
``lines.events == valid_unique_events + malformed_json + missing_required + wrong_type
+ unknown_event_type + duplicate + replayed_id``. The other defect kinds are valid events
with an odd timestamp or extra fields, counted in both places.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import orjson

from contract import EVENTS_FEED, SCHEMA_VERSION, USER_CHANGES_FEED
from producer.config import DefectRates, ProducerConfig
from producer.defects import STILL_VALID
from producer.generator import Batch


@dataclass
class RunSummary:
    run_id: str
    sink: str
    location: str
    seed: int
    start: str
    events_requested: int
    rate: float | None
    defect_rates: dict[str, float]
    schema_version: int = SCHEMA_VERSION
    status: str = "running"  # running | completed | failed | interrupted
    error: str | None = None
    started_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    elapsed_s: float = 0.0
    lines: dict[str, int] = field(default_factory=lambda: {EVENTS_FEED: 0, USER_CHANGES_FEED: 0})
    valid_unique_events: int = 0
    events_by_type: dict[str, int] = field(default_factory=dict)
    defects: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DefectRates.kinds(), 0))
    user_changes_by_op: dict[str, int] = field(default_factory=dict)
    files: list[dict] = field(default_factory=list)
    bytes: int = 0
    events_per_s: float = 0.0
    uncommitted: dict | None = None
    summary_path: str | None = None

    @classmethod
    def begin(cls, config: ProducerConfig, run_id: str, start: datetime, sink_kind: str, location: str) -> RunSummary:
        summary = cls(
            run_id=run_id,
            sink=sink_kind,
            location=location,
            seed=config.seed,
            start=start.isoformat(timespec="milliseconds"),
            events_requested=config.events,
            rate=config.rate,
            defect_rates=config.defects.as_dict(),
        )
        summary._t0 = time.perf_counter()
        return summary

    def record(self, batch: Batch, path: str) -> None:
        """Account for a file once it is committed."""
        self.files.append({"path": path, "feed": batch.feed, "lines": batch.lines, "bytes": len(batch.payload)})
        self.lines[batch.feed] += batch.lines
        self.bytes += len(batch.payload)
        _add(self.events_by_type, batch.events_by_type)
        _add(self.defects, batch.defects)
        _add(self.user_changes_by_op, batch.user_changes_by_op)
        self.valid_unique_events = sum(self.events_by_type.values())
        self._tick()

    def fail(self, status: str, error: str, batch: Batch | None = None, path: str | None = None) -> None:
        self.status, self.error = status, error
        if batch is not None:
            self.uncommitted = {"path": path, "feed": batch.feed, "lines": batch.lines}

    def finish(self) -> None:
        if self.status == "running":
            self.status = "completed"
        self._tick()

    def _tick(self) -> None:
        self.elapsed_s = round(time.perf_counter() - self._t0, 3)
        self.events_per_s = round(self.lines[EVENTS_FEED] / self.elapsed_s, 1) if self.elapsed_s else 0.0

    def invalid_or_repeated(self) -> int:
        return sum(n for kind, n in self.defects.items() if kind not in STILL_VALID)

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> bytes:
        return orjson.dumps(self.to_dict(), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)


def _add(total: dict[str, int], part: dict[str, int]) -> None:
    for key, n in part.items():
        total[key] = total.get(key, 0) + n
