"""Check 4: a pipeline update completes; every flow completed; expectation metrics."""

from __future__ import annotations

from databricks.sdk.errors import ResourceConflict

from ops.checks.context import Check, Context
from ops.pipeline import judge, start_update, wait_update
from ops.report import CheckFailed, Outcome
from ops.waiting import WaitTimeout


def run(ctx: Context) -> Outcome:
    w, pipeline_id = ctx.w, ctx.outputs.pipeline_id
    try:
        update_id = start_update(w, pipeline_id, full_refresh=False)
    except ResourceConflict as err:
        raise CheckFailed(f"pipeline {pipeline_id} already has an active update: {err}") from None
    try:
        update = wait_update(w, pipeline_id, update_id, ctx.options.pipeline, ctx.progress)
    except WaitTimeout as err:
        raise CheckFailed(f"{err}; the update was left running", data={"update_id": update_id}) from None
    verdict = judge(w, pipeline_id, update, ctx.options.max_failed_ratio)
    if verdict.problems:
        raise CheckFailed(verdict.headline, verdict.details(), verdict.as_dict())
    return Outcome(verdict.headline, verdict.details(), verdict.as_dict())


CHECK = Check("pipeline", "pipeline update completes, event log clean", run)
