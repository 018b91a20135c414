"""Check 3: the producer job runs once and succeeds."""

from __future__ import annotations

from databricks.sdk.service.jobs import Run, RunLifeCycleState, RunResultState

from ops.checks.context import Check, Context
from ops.report import CheckFailed, Outcome
from ops.waiting import WaitTimeout, wait_for

FINISHED = {RunLifeCycleState.TERMINATED, RunLifeCycleState.SKIPPED, RunLifeCycleState.INTERNAL_ERROR}


def _name(enum_or_none: object) -> str:
    return getattr(enum_or_none, "value", None) or "UNKNOWN"


def run_state(run: Run) -> str:
    state = run.state
    if state is None:
        return "UNKNOWN"
    text = _name(state.life_cycle_state)
    if state.result_state:
        text += f"/{_name(state.result_state)}"
    tasks = [f"{t.task_key} {_name(t.state.life_cycle_state)}" for t in run.tasks or [] if t.state]
    return f"{text} ({', '.join(tasks)})" if tasks else text


def task_lines(run: Run) -> list[str]:
    lines = []
    for task in run.tasks or []:
        state = task.state
        if state is None:
            continue
        result = _name(state.result_state) if state.result_state else _name(state.life_cycle_state)
        message = f" - {state.state_message}" if state.state_message else ""
        lines.append(f"task {task.task_key}: {result}{message}")
    return lines


def run(ctx: Context) -> Outcome:
    w = ctx.w
    job_id = ctx.outputs.producer_job_id
    run_id = w.jobs.run_now(job_id).response.run_id
    ctx.progress.update(f"job {job_id} run {run_id}", "started", 0)
    try:
        finished = wait_for(
            f"job {job_id} run {run_id}",
            lambda: w.jobs.get_run(run_id),
            run_state,
            lambda r: r.state is not None and r.state.life_cycle_state in FINISHED,
            ctx.options.job,
            ctx.progress,
        )
    except WaitTimeout as err:
        raise CheckFailed(f"{err}; the run was left running", data={"run_id": run_id}) from None
    data = {"job_id": job_id, "run_id": run_id, "state": run_state(finished), "url": finished.run_page_url}
    if finished.state.result_state != RunResultState.SUCCESS:
        message = finished.state.state_message or ""
        details = task_lines(finished) + ([f"run page: {finished.run_page_url}"] if finished.run_page_url else [])
        raise CheckFailed(
            f"run {run_id} ended {run_state(finished)}" + (f": {message}" if message else ""), details, data
        )
    return Outcome(f"run {run_id} of job {job_id} succeeded", task_lines(finished), data)


CHECK = Check("producer-job", "producer job runs once and succeeds", run)
