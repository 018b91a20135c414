"""Check 5: every gold table has rows, counted through the SQL warehouse.

The table list is the pipeline's own (``pipelines/clickstream/names.py``), so a table
added or renamed there is checked here without a second list to keep in step.
"""

from __future__ import annotations

from databricks.sdk import WorkspaceClient
from databricks.sdk.service.sql import ExecuteStatementRequestOnWaitTimeout, StatementResponse, StatementState

from ops.checks.context import Check, Context
from ops.report import CheckFailed, Outcome, Progress
from ops.waiting import Deadline, WaitTimeout, wait_for
from pipelines.clickstream.names import GOLD_TABLES

RUNNING = {StatementState.PENDING, StatementState.RUNNING}
# The longest the API holds a request open (5-50 s); longer statements are polled.
INLINE_WAIT = "30s"


def _state(response: StatementResponse) -> str:
    return response.status.state.value if response.status and response.status.state else "UNKNOWN"


def count_rows(
    w: WorkspaceClient, warehouse_id: str, table: str, deadline: Deadline, progress: Progress
) -> StatementResponse:
    response = w.statement_execution.execute_statement(
        statement=f"SELECT COUNT(*) AS row_count FROM {table}",
        warehouse_id=warehouse_id,
        wait_timeout=INLINE_WAIT,
        on_wait_timeout=ExecuteStatementRequestOnWaitTimeout.CONTINUE,
    )
    if response.status and response.status.state in RUNNING:
        response = wait_for(
            f"count of {table}",
            lambda: w.statement_execution.get_statement(response.statement_id),
            _state,
            lambda r: r.status is not None and r.status.state not in RUNNING,
            deadline,
            progress,
        )
    return response


def run(ctx: Context) -> Outcome:
    w, out = ctx.w, ctx.outputs
    counts: dict[str, int] = {}
    problems: list[str] = []
    for name in GOLD_TABLES:  # schema-qualified: gold.fact_events
        schema, _, short = name.partition(".")
        table = f"`{out.catalog}`.`{schema}`.`{short}`"
        try:
            response = count_rows(w, out.warehouse_id, table, ctx.options.statement, ctx.progress)
        except WaitTimeout as err:
            problems.append(str(err))
            continue
        if response.status is None or response.status.state != StatementState.SUCCEEDED:
            error = response.status.error.message if response.status and response.status.error else ""
            problems.append(f"{name}: {_state(response)} {error}".rstrip())
            continue
        if not (response.result and response.result.data_array):
            problems.append(f"{name}: the count returned no result")
            continue
        rows = int(response.result.data_array[0][0])
        counts[name] = rows
        if rows == 0:
            problems.append(f"{name}: no rows")
    details = [f"{name}: {rows:,} rows" for name, rows in counts.items()]
    data = {"row_counts": counts, "warehouse_id": out.warehouse_id}
    if problems:
        raise CheckFailed(
            f"{len(problems)} of {len(GOLD_TABLES)} gold tables empty or unreadable", problems + details, data
        )
    return Outcome(f"{len(GOLD_TABLES)} gold tables have rows ({sum(counts.values()):,} in total)", details, data)


CHECK = Check("gold", "gold tables have rows (SQL warehouse)", run)
