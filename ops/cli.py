"""python -m ops: verify a deployed environment and run day-2 operations.

Exit codes: 0 success; 1 a check or operation failed (named on stderr and in the
summary / JSON); 2 bad input (outputs file, arguments); 3 declined at the prompt;
130 interrupted.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from databricks.sdk import WorkspaceClient
from databricks.sdk.errors import DatabricksError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ops import day2
from ops.checks import NAMES, Context, Options
from ops.errors import describe
from ops.outputs import OutputsError, StackOutputs, default_outputs_path, load_outputs
from ops.pipeline import Verdict, judge, start_update, wait_update
from ops.report import Progress, as_json, results_document, stderr_console, summary_table
from ops.verify import run_checks
from ops.waiting import Deadline, WaitTimeout
from ops.workspace import LOGIN_HINT, AuthRefused, connect

OK, FAILED, BAD_INPUT, DECLINED, INTERRUPTED = 0, 1, 2, 3, 130
# The first check is what the others need; it cannot be skipped.
SKIPPABLE = NAMES[1:]

Connector = Callable[[StackOutputs], WorkspaceClient]
# How long the SDK keeps retrying one request on 429/503 or a connection error. Its own
# default (300 s) makes an unreachable workspace hang for ten minutes before failing.
RETRY_TIMEOUT_SECONDS = 60


def default_connector(outputs: StackOutputs) -> WorkspaceClient:
    return connect(
        outputs.host,
        azure_workspace_resource_id=outputs.workspace_resource_id,
        retry_timeout_seconds=RETRY_TIMEOUT_SECONDS,
    )


# Argument types; argparse names the function in its error: "invalid seconds value: 'x'".
def seconds(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
    return value


def count(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text}")
    return value


def ratio(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--env", required=True, help="environment (stack) name, e.g. dev")
    common.add_argument("--outputs", type=Path, help="stack outputs file (default cdktf.out/outputs-<env>.json)")
    common.add_argument("--json", action="store_true", help="print a JSON document on stdout (for CI)")
    common.add_argument("--debug", action="store_true", help="log the SDK's HTTP round trips to stderr")
    common.add_argument("--poll-interval", type=seconds, default=10.0, help="seconds between status polls")
    common.add_argument(
        "--max-failed-ratio",
        type=ratio,
        default=Options.max_failed_ratio,
        help="largest share of rows one expectation may fail (default %(default)s)",
    )

    parser = argparse.ArgumentParser(prog="python -m ops", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    verify = commands.add_parser("verify", parents=[common], help="prove a deployed environment works end to end")
    verify.add_argument("--skip", action="append", default=[], choices=SKIPPABLE, help="skip a check (repeatable)")
    verify.add_argument("--job-timeout", type=seconds, default=Options.job.timeout_seconds, help="seconds")
    verify.add_argument("--pipeline-timeout", type=seconds, default=Options.pipeline.timeout_seconds, help="seconds")
    verify.add_argument("--sql-timeout", type=seconds, default=Options.statement.timeout_seconds, help="seconds")
    verify.add_argument("--expect-principal", help="user name / application id the caller must be")

    backfill = commands.add_parser("backfill", parents=[common], help="full refresh of the pipeline")
    backfill.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    backfill.add_argument("--wait", action="store_true", help="wait for the update and judge it")
    backfill.add_argument("--timeout", type=seconds, default=Options.pipeline.timeout_seconds, help="seconds")

    commands.add_parser("pause", parents=[common], help="pause the producer job's schedule")
    commands.add_parser("resume", parents=[common], help="resume the producer job's schedule")

    events = commands.add_parser("events", parents=[common], help="show the last N pipeline events")
    events.add_argument("-n", "--limit", type=count, default=20, help="how many events (default %(default)s)")

    commands.add_parser("quality", parents=[common], help="flows and expectation metrics of the last update")

    mask_functions = commands.add_parser(
        "masks", parents=[common], help="create or replace the column-mask functions (make deploy runs it)"
    )
    mask_functions.add_argument("--timeout", type=seconds, default=Options.job.timeout_seconds, help="seconds")
    return parser


def _configure_sdk_logging(debug: bool) -> None:
    # The SDK warns on stderr about things ops reports itself (e.g. a failed host
    # metadata probe); --debug shows everything, including each request and response.
    sdk = logging.getLogger("databricks.sdk")
    sdk.setLevel(logging.DEBUG if debug else logging.ERROR)
    if debug and not sdk.handlers:
        sdk.addHandler(logging.StreamHandler(sys.stderr))


def main(argv: Sequence[str] | None = None, *, connector: Connector = default_connector) -> int:
    args = build_parser().parse_args(argv)
    _configure_sdk_logging(args.debug)
    console = stderr_console()
    try:
        outputs = load_outputs(args.outputs or default_outputs_path(args.env), args.env)
    except OutputsError as err:
        _error(console, str(err))
        return BAD_INPUT
    try:
        if args.command == "verify":
            return _verify(args, outputs, connector, console)
        return _operate(args, outputs, connector, console)
    except KeyboardInterrupt:
        console.print("[yellow]interrupted[/]: a run or update already started keeps running")
        return INTERRUPTED


def _verify(args: argparse.Namespace, outputs: StackOutputs, connector: Connector, console: Console) -> int:
    options = Options(
        job=Deadline(args.job_timeout, args.poll_interval),
        pipeline=Deadline(args.pipeline_timeout, args.poll_interval),
        statement=Deadline(args.sql_timeout, args.poll_interval),
        expect_principal=args.expect_principal,
        max_failed_ratio=args.max_failed_ratio,
    )
    ctx = Context(args.env, outputs, options, Progress(console), connector)
    console.print(f"verify [bold]{args.env}[/] at {outputs.host}")
    results = run_checks(ctx, set(args.skip), console)
    document = results_document(args.env, results)
    if args.json:
        console.print(summary_table(args.env, results))
        print(as_json(document))
    else:
        Console(highlight=False).print(summary_table(args.env, results))
    if document["failed"]:
        console.print(f"[bold red]FAILED:[/] {', '.join(document['failed'])}")
        return FAILED
    console.print(f"[bold green]OK:[/] {args.env} verified")
    return OK


def _operate(args: argparse.Namespace, outputs: StackOutputs, connector: Connector, console: Console) -> int:
    if args.command == "backfill" and not args.yes and not _confirm(console, args.env, outputs.pipeline_id):
        console.print("declined: nothing was started")
        return DECLINED
    try:
        w = connector(outputs)
    except (AuthRefused, ValueError) as err:
        summary, details = describe(err, with_type=False)
        _error(console, f"cannot authenticate to {outputs.host}: {summary}", [*details, LOGIN_HINT])
        return FAILED
    try:
        return _OPERATIONS[args.command](args, outputs, w, console)
    except day2.OperationError as err:
        _error(console, str(err))
    except (DatabricksError, WaitTimeout, TimeoutError) as err:
        _error(console, *describe(err))
    return FAILED


def _error(console: Console, summary: str, details: Sequence[str] = ()) -> None:
    console.print(f"[bold red]error:[/] {escape(summary)}")
    for line in details:
        console.print(f"  {line}", markup=False)


def _confirm(console: Console, env: str, pipeline_id: str) -> bool:
    console.print(
        f"Full refresh of pipeline {pipeline_id} in [bold]{env}[/]: every table is emptied and "
        "rebuilt from the landing files. Continue? \\[y/N] ",
        end="",
    )
    answer = sys.stdin.readline().strip().lower()  # EOF (no terminal, CI) reads as "no"
    return answer in ("y", "yes")


def _backfill(args, outputs: StackOutputs, w: WorkspaceClient, console: Console) -> int:
    update_id = start_update(w, outputs.pipeline_id, full_refresh=True)
    console.print(f"full refresh started: update {update_id} of pipeline {outputs.pipeline_id}")
    if not args.wait:
        _emit(args, {"update_id": update_id, "full_refresh": True})
        return OK
    update = wait_update(
        w, outputs.pipeline_id, update_id, Deadline(args.timeout, args.poll_interval), Progress(console)
    )
    return _show_verdict(args, judge(w, outputs.pipeline_id, update, args.max_failed_ratio), console)


def _pause(args, outputs: StackOutputs, w: WorkspaceClient, console: Console) -> int:
    return _set_paused(args, outputs, w, console, paused=True)


def _resume(args, outputs: StackOutputs, w: WorkspaceClient, console: Console) -> int:
    return _set_paused(args, outputs, w, console, paused=False)


def _set_paused(args, outputs: StackOutputs, w: WorkspaceClient, console: Console, *, paused: bool) -> int:
    message = day2.set_paused(w, outputs.producer_job_id, paused)
    console.print(message, markup=False)
    console.print("[dim]note: the next `make deploy` resets the schedule to what infra declares[/dim]")
    _emit(args, {"job_id": outputs.producer_job_id, "paused": paused, "message": message})
    return OK


def _masks(args, outputs: StackOutputs, w: WorkspaceClient, console: Console) -> int:
    run = day2.create_mask_functions(
        w, outputs.masks_job_id, Deadline(args.timeout, args.poll_interval), Progress(console)
    )
    console.print(f"column-mask functions created: run {run.run_id} of job {outputs.masks_job_id}")
    _emit(args, {"job_id": outputs.masks_job_id, "run_id": run.run_id})
    return OK


def _events(args, outputs: StackOutputs, w: WorkspaceClient, console: Console) -> int:
    rows = day2.recent_events(w, outputs.pipeline_id, args.limit)
    if args.json:
        _emit(args, {"pipeline_id": outputs.pipeline_id, "events": rows})
        return OK
    table = Table(title=f"last {len(rows)} events of pipeline {outputs.pipeline_id}", title_justify="left")
    for column in ("timestamp", "level", "event_type", "flow", "message"):
        table.add_column(column, overflow="fold")
    for row in rows:
        style = {"ERROR": "red", "WARN": "yellow"}.get(row["level"])
        table.add_row(*(escape(row[c]) for c in ("timestamp", "level", "event_type", "flow", "message")), style=style)
    Console(highlight=False).print(table)
    return OK


def _quality(args, outputs: StackOutputs, w: WorkspaceClient, console: Console) -> int:
    return _show_verdict(args, day2.last_update_quality(w, outputs.pipeline_id, args.max_failed_ratio), console)


def _show_verdict(args, verdict: Verdict, console: Console) -> int:
    if args.json:
        _emit(args, {**verdict.as_dict(), "ok": not verdict.problems, "problems": verdict.problems})
    else:
        table = Table(title=escape(verdict.headline), title_justify="left")
        for column in ("dataset", "rule"):
            table.add_column(column)
        for column in ("passed", "failed", "failed %"):
            table.add_column(column, justify="right")
        for m in verdict.summary.rules.values():
            table.add_row(escape(m.dataset), escape(m.rule), f"{m.passed:,}", f"{m.failed:,}", f"{m.failed_ratio:.1%}")
        Console(highlight=False).print(table)
        for flow in verdict.summary.flows.values():
            console.print(
                f"  flow {flow.name}: {flow.status}, {flow.output_rows:,} rows out, {flow.dropped_records:,} dropped",
                markup=False,
            )
    for problem in verdict.problems:
        console.print(f"[bold red]problem:[/] {escape(problem)}")
    return FAILED if verdict.problems else OK


def _emit(args, document: dict) -> None:
    if args.json:
        print(as_json(document))


_OPERATIONS = {
    "backfill": _backfill,
    "pause": _pause,
    "resume": _resume,
    "events": _events,
    "quality": _quality,
    "masks": _masks,
}


if __name__ == "__main__":
    sys.exit(main())
