"""CLI: python -m pipelines.run [--landing DIR] [--state DIR] [--full-refresh] [--force] [--reset] [--check]

Runs one local update of the clickstream pipeline and prints rows per table and the
data-quality metrics; with --check, only validates the graph (spark-pipelines dry-run) and
prints how long that took. Exit code 0 only if the update (or the check) succeeded.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.runner import DEFAULT_JARS, DEFAULT_LANDING, DEFAULT_STATE, LocalPipeline, PipelineError


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m pipelines.run", description=__doc__.splitlines()[0])
    p.add_argument("--landing", type=Path, default=DEFAULT_LANDING, help="landing root (default: .local/landing)")
    p.add_argument(
        "--state", type=Path, default=DEFAULT_STATE, help="tables, checkpoints and metastore (default: .local/pipeline)"
    )
    p.add_argument("--jars", type=Path, default=DEFAULT_JARS, help="Delta jars directory (default: .local/jars)")
    p.add_argument("--full-refresh", action="store_true", help="rebuild silver and gold from bronze")
    p.add_argument(
        "--force",
        action="store_true",
        help="run the update even when no landing file, checkpoint or code changed since the last one",
    )
    p.add_argument("--reset", action="store_true", help="delete all tables and checkpoints first (re-ingest)")
    p.add_argument(
        "--check",
        action="store_true",
        help="validate the graph without reading or writing data (spark-pipelines dry-run)",
    )
    return p


def print_summary(pipeline: LocalPipeline) -> None:
    print("\nrows per table")
    for table, rows in pipeline.row_counts().items():
        print(f"  {table:36} {rows:>12,}")
    print("\ndata quality (all updates)")
    for (feed, layer, metric, rule), rows in sorted(pipeline.quality_totals().items(), key=str):
        label = f"{feed}/{layer} {metric}" + (f" [{rule}]" if rule else "")
        print(f"  {label:56} {rows:>12,}")


def check(pipeline: LocalPipeline) -> int:
    try:
        result = pipeline.check()
    except PipelineError as err:
        print(f"pipeline check: {err}", file=sys.stderr)
        return 1
    print(f"pipeline check: graph valid in {result.seconds:.1f} s (log: {result.log_path})")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    pipeline = LocalPipeline(landing=args.landing, state_dir=args.state, jars_dir=args.jars)
    if args.check:
        return check(pipeline)
    if args.reset:
        pipeline.reset()
    try:
        result = pipeline.run(full_refresh=args.full_refresh, force=args.force)
    except PipelineError as err:
        print(f"pipeline: {err}", file=sys.stderr)
        return 1
    if not result.skipped:
        print(f"pipeline: update finished in {result.seconds:.1f} s (log: {result.log_path})")
    print_summary(pipeline)
    return 0


if __name__ == "__main__":
    sys.exit(main())
