"""python -m demo [--events N] [--env dev] [--clean]: the whole platform on this machine.

Exit codes: 0 the demo ran end to end and wrote its report; 1 a step failed (the message
names the step and says why); 2 bad arguments.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from rich.console import Console
from rich.text import Text

from contract.environments import check_name
from demo import infra_steps, infra_view, inventory, lake_view, lineage, report, resource_graph
from demo.lake import BatchRun, Lake
from demo.steps import StepFailed, Steps
from demo.tables import to_rich
from infra.config import load_environment
from pipelines.runner import DEFAULT_JARS, DEFAULT_STATE, TRANSFORMATIONS
from producer.config import DEFAULT_LOCAL_ROOT
from synthesized.stack import STACK_FILE, read_stack

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVENTS = 200_000
DEFAULT_ENVS = ("dev", "prod", "pr-42")
# The second, incremental batch is this share of the first.
INCREMENT = 0.1
STEPS = 9


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m demo", description=__doc__.splitlines()[0])
    p.add_argument(
        "--events",
        type=_positive,
        default=DEFAULT_EVENTS,
        help=f"event lines in the first batch (default {DEFAULT_EVENTS:,}); the second is 10%% of it",
    )
    p.add_argument(
        "--env", type=_env, default="dev", help="environment whose inventory and graph to show (default dev)"
    )
    p.add_argument(
        "--envs",
        type=_env,
        nargs="+",
        default=list(DEFAULT_ENVS),
        help="environments to synthesize and scan (default: dev prod pr-42; --env is added)",
    )
    p.add_argument(
        "--expires-on",
        type=_date,
        default=date.today() + timedelta(days=7),
        help="expiry tag of ephemeral environments, YYYY-MM-DD (default: in 7 days)",
    )
    p.add_argument("--clean", action="store_true", help="start from an empty local lake (default: incremental)")
    p.add_argument("--seed", type=_positive, default=1, help="producer seed (default 1)")
    p.add_argument("--outdir", type=Path, default=REPO_ROOT / "cdktf.out", help="synth output (default cdktf.out)")
    p.add_argument(
        "--reports",
        type=Path,
        default=REPO_ROOT / "reports",
        help="reports folder; the demo writes <reports>/demo/ (default reports)",
    )
    p.add_argument("--landing", type=Path, default=DEFAULT_LOCAL_ROOT, help="landing zone (default .local/landing)")
    p.add_argument(
        "--state", type=Path, default=DEFAULT_STATE, help="pipeline tables and checkpoints (default .local/pipeline)"
    )
    p.add_argument("--jars", type=Path, default=DEFAULT_JARS, help="Delta jars (default .local/jars)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.envs = list(dict.fromkeys([*args.envs, args.env]))
    # Logs (CI, `make demo > log`) get room for the tables; a terminal keeps its own width.
    console = Console(highlight=False, width=None if sys.stdout.isatty() or "COLUMNS" in os.environ else 120)
    started = time.monotonic()
    try:
        with Steps(console, STEPS) as steps:
            html_path, md_path = run(args, console, steps)
    except StepFailed as err:
        console.print(
            Text.assemble(
                ("demo: step ", "bold red"), (f"'{err.step}'", "bold red"), (" failed\n", "bold red"), err.message
            )
        )
        console.print(f"demo: stopped after {time.monotonic() - started:.0f} s")
        return 1
    console.print(Text.assemble(("\nreport: ", "bold"), str(html_path), " (self-contained), ", str(md_path)))
    console.print(Text(f"demo: done in {time.monotonic() - started:.0f} s", style="bold green"))
    return 0


def run(args: argparse.Namespace, console: Console, steps: Steps) -> tuple[Path, Path]:
    out = console.print
    with steps.step(f"Synthesize {', '.join(args.envs)}") as step:
        step.detail("python -m infra.app (imports the provider bindings: ~30 s)")
        infra_steps.synthesize(args.outdir, args.envs, args.expires_on.isoformat())
        inventories = [inventory.load(args.outdir, env) for env in args.envs]
    shown = next(inv for inv in inventories if inv.env == args.env)
    for table in (
        infra_view.categories_table(inventories, with_types=False),
        infra_view.access_matrix(shown),
        infra_view.azure_roles_table(shown),
    ):
        out(to_rich(table))

    with steps.step("Policy scan (checkov + policies/)") as step:
        step.detail(f"python -m policies.scan --env {' '.join(args.envs)}")
        scan = infra_steps.scan(args.outdir, args.envs, args.reports, console.width)
    out(Text(scan.verdict, style="green"))

    lake = Lake.at(args.landing, args.state, args.jars)
    with lake.pipeline.serving():  # both updates share one Spark Connect server
        runs = [_batch(lake, steps, "first batch", args.events, args.seed, out, clean=args.clean)]
        runs.append(
            _batch(
                lake,
                steps,
                "incremental batch",
                max(1, int(args.events * INCREMENT)),
                args.seed,
                out,
                before=runs[0].rows_after,
            )
        )

    with steps.step("Read the lake") as step:
        step.detail("row counts, quality metrics, gold KPIs (from the Delta logs, no Spark)")
        snapshot = lake.snapshot(rows=runs[-1].rows_after)
    with steps.step("Evaluate the data-quality alerts") as step:
        step.detail(f"the deployed alert SQL on local Spark over gold.dq_metrics, {args.env}'s thresholds")
        thresholds = load_environment(args.env, {"CLICKSTREAM_EXPIRES_ON": args.expires_on.isoformat()}).alerts
        snapshot = dataclasses.replace(snapshot, alerts=lake.evaluate_alerts(thresholds.model_dump()))
    for table in (
        lake_view.runs_table(runs),
        lake_view.rows_table(snapshot),
        lake_view.quality_table(snapshot),
        lake_view.alerts_table(snapshot, args.env),
        lake_view.rules_table(snapshot),
        lake_view.dau_table(snapshot),
        lake_view.funnel_table(snapshot),
        lake_view.top_pages_table(snapshot),
        lake_view.user_history_table(lake_view.sample_user(snapshot)),
    ):
        out(to_rich(table))

    with steps.step("Write the report") as step:
        step.detail("graphs and charts (matplotlib), HTML + Markdown")
        stack = read_stack(args.outdir / "stacks" / args.env / STACK_FILE)
        demo_run = report.DemoRun(
            env=args.env,
            inventories=inventories,
            resource_graph=resource_graph.resource_graph(stack, shown),
            scan_verdict=scan.verdict,
            scan_reports=_scan_reports(args.reports),
            runs=runs,
            snapshot=snapshot,
            lineage=lineage.lineage_graph(lineage.dataflow(TRANSFORMATIONS), snapshot.rows),
            steps=list(steps.timings),
        )
        outdir = args.reports / "demo"
        paths = report.write(report.build(demo_run), outdir)
        (outdir / "summary.json").write_text(json.dumps(snapshot.to_json(), indent=1, default=str) + "\n")
    return paths


def _batch(
    lake: Lake,
    steps: Steps,
    label: str,
    events: int,
    seed: int,
    out,
    *,
    clean: bool = False,
    before: dict[str, int] | None = None,
) -> BatchRun:
    """Produce a batch, then one pipeline update over it (two steps); ``clean`` empties the lake first.
    ``before``: the row counts as the previous update left them (read from the lake if None)."""
    with steps.step(f"Produce the {label}: {events:,} events") as step:
        if clean:
            step.detail(f"emptying {lake.landing} and {lake.pipeline.state_dir}")
            lake.clean()
        if before is None:
            before = lake.row_counts()
        lines, produce_s = lake.produce(events, seed, lambda done: step.detail(f"{done:,} / {events:,} events"))
    out(
        f"{label}: {'emptied the lake, then ' if clean else ''}{lines.get('events', 0):,} event lines and "
        f"{lines.get('user_changes', 0):,} user changes "
        f"into {lake.landing}"
    )
    kind = "full: everything landed so far" if not before else "incremental: only the new files"
    with steps.step(f"Pipeline update ({kind})") as step:
        pipeline_s = lake.run_pipeline(step.detail)
    batch = BatchRun(label, lines, produce_s, pipeline_s, before, lake.row_counts())
    out(f"pipeline: {batch.added('bronze.events_raw'):,} new bronze rows in {pipeline_s:.0f} s")
    return batch


def _scan_reports(reports: Path) -> tuple[str, ...]:
    return tuple(str(p) for p in sorted(reports.glob("policy-scan.*")))


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _env(text: str) -> str:
    try:
        return check_name(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from None


if __name__ == "__main__":
    sys.exit(main())
