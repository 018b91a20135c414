"""Start a pipeline update, wait for it, and judge it from the event log."""

from __future__ import annotations

from dataclasses import dataclass

from databricks.sdk import WorkspaceClient
from databricks.sdk.service.pipelines import UpdateInfo, UpdateInfoState

from ops.eventlog import UpdateSummary, metric_lines, summarize, update_events
from ops.report import Progress
from ops.waiting import Deadline, wait_for

TERMINAL = {UpdateInfoState.COMPLETED, UpdateInfoState.FAILED, UpdateInfoState.CANCELED}


def _state(update: UpdateInfo) -> str:
    return update.state.value if update.state else "UNKNOWN"


def start_update(w: WorkspaceClient, pipeline_id: str, *, full_refresh: bool) -> str:
    return w.pipelines.start_update(pipeline_id, full_refresh=full_refresh).update_id


def wait_update(
    w: WorkspaceClient, pipeline_id: str, update_id: str, deadline: Deadline, progress: Progress
) -> UpdateInfo:
    return wait_for(
        f"pipeline update {update_id}",
        lambda: w.pipelines.get_update(pipeline_id, update_id).update,
        _state,
        lambda update: update.state in TERMINAL,
        deadline,
        progress,
    )


def latest_update(w: WorkspaceClient, pipeline_id: str) -> UpdateInfo | None:
    listed = w.pipelines.list_updates(pipeline_id, max_results=1)
    if not listed.updates:
        return None
    return w.pipelines.get_update(pipeline_id, listed.updates[0].update_id).update


@dataclass
class Verdict:
    """An update judged: ``problems`` is empty when it is healthy."""

    update_id: str
    state: str
    summary: UpdateSummary
    problems: list[str]

    @property
    def headline(self) -> str:
        flows = self.summary.flows.values()
        completed = sum(1 for f in flows if f.status == "COMPLETED")
        failed_rows = sum(m.failed for m in self.summary.rules.values())
        return (
            f"update {self.update_id} {self.state}; {completed}/{len(flows)} flows completed; "
            f"{len(self.summary.rules)} rules, {failed_rows} rows failed, "
            f"{self.summary.dropped_records} dropped"
        )

    def details(self) -> list[str]:
        return self.problems + metric_lines(self.summary)

    def as_dict(self) -> dict:
        return {"update_id": self.update_id, "state": self.state, **self.summary.as_dict()}


def judge(w: WorkspaceClient, pipeline_id: str, update: UpdateInfo, max_failed_ratio: float) -> Verdict:
    """Every flow completed, the update completed, no rule failing too many rows."""
    summary = summarize(update_events(w, pipeline_id, update.update_id, update.creation_time))
    state = _state(update)
    problems = []
    if update.state != UpdateInfoState.COMPLETED:
        problems.append(f"update {update.update_id} ended {state}")
        # Errors of a failed flow are reported with the flow, below.
        attributed = {flow.error for flow in summary.flows.values()}
        problems += [f"error: {m}" for m in dict.fromkeys(summary.errors) if m and m not in attributed]
    if not summary.flows:
        problems.append("the event log has no flow_progress events for this update")
    for flow in summary.flows.values():
        if flow.status != "COMPLETED":
            problems.append(f"flow {flow.name}: {flow.status}" + (f" - {flow.error}" if flow.error else ""))
    for metric in summary.rules.values():
        if metric.failed_ratio > max_failed_ratio:
            problems.append(
                f"expectation {metric.rule} on {metric.dataset} failed {metric.failed} of "
                f"{metric.passed + metric.failed} rows ({metric.failed_ratio:.1%} > {max_failed_ratio:.1%})"
            )
    return Verdict(update.update_id, state, summary, problems)
