"""Reading flow outcomes and expectation metrics out of pipeline events."""

from __future__ import annotations

import json

from ops.eventlog import summarize


def event(flow, status, *, level="INFO", details=None, error=None, **quality):
    progress = {"status": status, "metrics": {"num_output_rows": quality.pop("rows", 0)}}
    if quality:
        progress["data_quality"] = quality
    out = {
        "event_type": "flow_progress",
        "level": level,
        "origin": {"flow_name": flow},
        "details": details if details is not None else {"flow_progress": progress},
        "message": f"{flow} {status}",
    }
    if error:
        out["error"] = {"exceptions": [{"message": error}]}
    return out


def test_the_newest_status_wins_and_counts_add_up_over_micro_batches():
    def rule(passed, failed):
        return [{"name": "valid_ts", "dataset": "silver.events", "passed_records": passed, "failed_records": failed}]  # noqa: E731

    events = [  # newest first, as the API returns them
        event("silver.events", "COMPLETED"),
        event("silver.events", "RUNNING", rows=40, dropped_records=2, expectations=rule(40, 2)),
        event("silver.events", "RUNNING", rows=60, dropped_records=3, expectations=rule(60, 3)),
        event("silver.events", "STARTING"),
    ]

    summary = summarize(events)

    assert summary.flows["silver.events"].status == "COMPLETED"
    assert summary.flows["silver.events"].output_rows == 100
    assert summary.dropped_records == 5
    metric = summary.rules[("silver.events", "valid_ts")]
    assert (metric.passed, metric.failed) == (100, 5)
    assert round(metric.failed_ratio, 4) == 0.0476


def test_details_as_a_json_string_are_read_too():
    progress = {"flow_progress": {"status": "FAILED"}}
    summary = summarize(
        [event("gold.kpi", "FAILED", level="ERROR", details=json.dumps(progress), error="division by zero")]
    )

    assert summary.flows["gold.kpi"].status == "FAILED"
    assert summary.flows["gold.kpi"].error == "gold.kpi FAILED: division by zero"
    assert summary.errors == ["gold.kpi FAILED: division by zero"]


def test_events_that_are_not_flow_progress_are_not_flows():
    summary = summarize(
        [{"event_type": "update_progress", "level": "INFO", "details": {"update_progress": {"state": "COMPLETED"}}}]
    )

    assert summary.flows == {} and summary.rules == {}
