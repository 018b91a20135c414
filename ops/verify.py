"""Run the verification checks in order and collect one result per check."""

from __future__ import annotations

import time

from databricks.sdk.errors import DatabricksError
from rich.console import Console
from rich.markup import escape

from ops.checks import CHECKS, Context
from ops.errors import describe
from ops.report import FAIL, PASS, SKIP, CheckFailed, CheckResult, print_result
from ops.waiting import WaitTimeout

# Errors that mean "this check failed", as opposed to a bug in ops (which propagates).
# TimeoutError: the SDK gave up retrying (503s, connection errors).
CHECK_ERRORS = (DatabricksError, WaitTimeout, TimeoutError)


def run_checks(ctx: Context, skip: set[str], console: Console) -> list[CheckResult]:
    results: list[CheckResult] = []
    for position, check in enumerate(CHECKS, start=1):
        where = f"[{position}/{len(CHECKS)}]"
        if check.name in skip:
            result = CheckResult(check.name, check.title, SKIP, 0.0, "skipped (--skip)")
        elif results and results[0].status == FAIL:
            result = CheckResult(check.name, check.title, SKIP, 0.0, "skipped: the workspace check failed")
        else:
            console.print(f"[bold]…[/bold]    {escape(where)} {check.title}")
            result = _run_one(ctx, check)
        print_result(console, result, where)
        results.append(result)
    return results


def _run_one(ctx: Context, check) -> CheckResult:
    start = time.monotonic()
    try:
        outcome = check.run(ctx)
        status = PASS
    except CheckFailed as failure:
        outcome, status = failure.outcome, FAIL
    except CHECK_ERRORS as err:
        outcome, status = CheckFailed(*describe(err)).outcome, FAIL
    return CheckResult(
        check.name, check.title, status, time.monotonic() - start, outcome.summary, outcome.details, outcome.data
    )
