"""The pipeline event log: flow outcomes and expectation metrics of one update.

Read through ``GET /api/2.0/pipelines/{id}/events`` with the SDK's API client rather
than ``pipelines.list_pipeline_events``: the SDK's ``PipelineEvent`` drops the
``details`` object, which is where ``flow_progress`` carries the flow status, the
row metrics and ``data_quality`` (expectations with passed/failed records,
``dropped_records``). Events come newest first.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from databricks.sdk import WorkspaceClient

PAGE_SIZE = 250
# An update's events cannot be older than the update; allow for clock skew.
SKEW_MS = 60_000
# Bounds a scan through a busy log (100 pages = 25,000 events).
MAX_PAGES = 100


def iter_events(w: WorkspaceClient, pipeline_id: str, *, page_size: int = PAGE_SIZE) -> Iterator[dict[str, Any]]:
    """Raw events, newest first, following ``next_page_token``."""
    path = f"/api/2.0/pipelines/{pipeline_id}/events"
    # The API takes only max_results next to page_token on later pages.
    query: dict[str, Any] = {"max_results": page_size}
    for _ in range(MAX_PAGES):
        page = w.api_client.do("GET", path, query=query, headers={"Accept": "application/json"})
        yield from page.get("events", [])
        token = page.get("next_page_token")
        if not token:
            return
        query = {"max_results": page_size, "page_token": token}


def timestamp_ms(event: dict[str, Any]) -> int | None:
    raw = event.get("timestamp")
    if not raw:
        return None
    try:
        return int(datetime.fromisoformat(raw.replace("Z", "+00:00")).timestamp() * 1000)
    except ValueError:
        return None


def update_events(w: WorkspaceClient, pipeline_id: str, update_id: str, created_ms: int | None) -> list[dict[str, Any]]:
    """The events of one update, newest first; stops once past the update's start."""
    found = []
    for event in iter_events(w, pipeline_id):
        if (event.get("origin") or {}).get("update_id") == update_id:
            found.append(event)
        when = timestamp_ms(event)
        if created_ms is not None and when is not None and when < created_ms - SKEW_MS:
            break
    return found


def details_of(event: dict[str, Any]) -> dict[str, Any]:
    details = event.get("details") or {}
    if isinstance(details, str):  # the event log table stores it as a JSON string
        try:
            details = json.loads(details)
        except json.JSONDecodeError:
            return {}
    return details if isinstance(details, dict) else {}


def error_text(event: dict[str, Any]) -> str:
    """The event's message, with the first exception's message when there is one."""
    message = event.get("message") or ""
    exceptions = (event.get("error") or {}).get("exceptions") or []
    first = next((e.get("message") for e in exceptions if e.get("message")), None)
    if first and first not in message:
        message = f"{message.rstrip('.')}: {first}" if message else first
    return message.splitlines()[0] if message else ""


@dataclass
class FlowOutcome:
    name: str
    status: str
    output_rows: int = 0
    dropped_records: int = 0
    error: str = ""


@dataclass
class RuleMetric:
    dataset: str
    rule: str
    passed: int = 0
    failed: int = 0

    @property
    def failed_ratio(self) -> float:
        total = self.passed + self.failed
        return self.failed / total if total else 0.0


@dataclass
class UpdateSummary:
    flows: dict[str, FlowOutcome] = field(default_factory=dict)
    rules: dict[tuple[str, str], RuleMetric] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def dropped_records(self) -> int:
        return sum(flow.dropped_records for flow in self.flows.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "flows": {name: vars(flow) for name, flow in self.flows.items()},
            "expectations": [
                {**vars(metric), "failed_ratio": round(metric.failed_ratio, 6)} for metric in self.rules.values()
            ],
            "dropped_records": self.dropped_records,
            "errors": self.errors,
        }


def summarize(events: list[dict[str, Any]]) -> UpdateSummary:
    """Flow outcomes and per-rule metrics from an update's events (newest first).

    A flow's status is its newest one; row and expectation counts add up over the
    flow's progress events (a streaming flow reports each micro-batch).
    """
    summary = UpdateSummary()
    for event in events:
        if event.get("level") == "ERROR":
            summary.errors.append(error_text(event))
        progress = details_of(event).get("flow_progress")
        if event.get("event_type") != "flow_progress" or not isinstance(progress, dict):
            continue
        origin = event.get("origin") or {}
        name = origin.get("flow_name") or origin.get("dataset_name") or "<unnamed flow>"
        flow = summary.flows.setdefault(name, FlowOutcome(name, progress.get("status") or "UNKNOWN"))
        if flow.status == "FAILED" and not flow.error and event.get("level") == "ERROR":
            flow.error = error_text(event)
        flow.output_rows += int((progress.get("metrics") or {}).get("num_output_rows") or 0)
        quality = progress.get("data_quality") or {}
        flow.dropped_records += int(quality.get("dropped_records") or 0)
        for expectation in quality.get("expectations") or []:
            dataset = expectation.get("dataset") or origin.get("dataset_name") or name
            key = (dataset, expectation.get("name") or "<unnamed rule>")
            metric = summary.rules.setdefault(key, RuleMetric(*key))
            metric.passed += int(expectation.get("passed_records") or 0)
            metric.failed += int(expectation.get("failed_records") or 0)
    return summary


def metric_lines(summary: UpdateSummary) -> list[str]:
    lines = [
        f"{m.dataset} · {m.rule}: {m.passed} passed, {m.failed} failed ({m.failed_ratio:.1%})"
        for m in summary.rules.values()
    ]
    lines += [f"{f.name}: {f.dropped_records} rows dropped" for f in summary.flows.values() if f.dropped_records]
    return lines
