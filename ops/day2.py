"""Day-2 operations: backfill, pause/resume the producer schedule, events, quality."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from databricks.sdk import WorkspaceClient
from databricks.sdk.service.jobs import JobSettings, PauseStatus, Run, RunResultState

from ops.checks.job import FINISHED, run_state, task_lines
from ops.eventlog import error_text, iter_events
from ops.pipeline import Verdict, judge, latest_update
from ops.report import Progress
from ops.waiting import Deadline, wait_for


class OperationError(RuntimeError):
    """The operation cannot be done as asked; the message says why."""


def set_paused(w: WorkspaceClient, job_id: int, paused: bool) -> str:
    """Pause or resume whatever triggers the job (schedule, trigger or continuous)."""
    settings = w.jobs.get(job_id).settings or JobSettings()
    wanted = PauseStatus.PAUSED if paused else PauseStatus.UNPAUSED
    for field in ("schedule", "trigger", "continuous"):
        current = getattr(settings, field)
        if current is None:
            continue
        if current.pause_status == wanted:
            return f"job {job_id} {field} already {wanted.value}"
        # Only the named top-level field is replaced; the rest of the job stays as is.
        w.jobs.update(job_id, new_settings=JobSettings(**{field: replace(current, pause_status=wanted)}))
        return f"job {job_id} {field} {wanted.value}"
    raise OperationError(f"job {job_id} has no schedule, trigger or continuous setting to pause or resume")


def create_mask_functions(w: WorkspaceClient, job_id: int | None, deadline: Deadline, progress: Progress) -> Run:
    """Run the masks job (CREATE OR REPLACE of every column-mask function) and wait for it:
    the deploy's step before any pipeline update (infra/constructs/masks.py)."""
    if job_id is None:
        raise OperationError("the outputs have no masks_job_id: deploy the stack first (make deploy)")
    run_id = w.jobs.run_now(job_id).response.run_id
    finished = wait_for(
        f"job {job_id} run {run_id}",
        lambda: w.jobs.get_run(run_id),
        run_state,
        lambda r: r.state is not None and r.state.life_cycle_state in FINISHED,
        deadline,
        progress,
    )
    if finished.state.result_state != RunResultState.SUCCESS:
        raise OperationError(
            f"masks job {job_id} run {run_id} ended {run_state(finished)}: " + "; ".join(task_lines(finished))
        )
    return finished


def recent_events(w: WorkspaceClient, pipeline_id: str, limit: int) -> list[dict[str, Any]]:
    """The newest ``limit`` events as flat rows."""
    rows = []
    for event in iter_events(w, pipeline_id, page_size=max(limit, 1)):
        if len(rows) >= limit:
            break
        origin = event.get("origin") or {}
        rows.append(
            {
                "timestamp": event.get("timestamp", ""),
                "level": event.get("level", ""),
                "event_type": event.get("event_type", ""),
                "update_id": origin.get("update_id", ""),
                "flow": origin.get("flow_name") or origin.get("dataset_name") or "",
                "message": error_text(event),
            }
        )
    return rows


def last_update_quality(w: WorkspaceClient, pipeline_id: str, max_failed_ratio: float) -> Verdict:
    update = latest_update(w, pipeline_id)
    if update is None:
        raise OperationError(f"pipeline {pipeline_id} has no update yet")
    return judge(w, pipeline_id, update, max_failed_ratio)
