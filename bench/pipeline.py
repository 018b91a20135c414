"""`make bench-pipeline`: 1M producer events end to end vs a plain Spark floor, then 1% more.

Prints where each update's time goes (phases, each flow's wait and run, CPU use) and three
ratios against the issue's targets (in brackets):
  throughput ratio  = pipeline events/s / floor events/s, both cold    [>= 0.3]
  no-new-file update = seconds of an update that finds nothing new    [<= 5 s]
  incremental ratio = 1% more events / full update, same server       [<= 0.5]
"Cold" includes starting the JVM: the floor is one spark-submit process, the full update
starts the Spark Connect server the later updates reuse (``LocalPipeline.serving``).
Exit code 0 whether or not targets are met: the numbers are the output.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from pipelines.runner import REPO_ROOT, LocalPipeline, RunResult

TARGETS = {"throughput": 0.3, "no_new_file_s": 5.0, "incremental": 0.5}


def produce(landing: Path, events: int, seed: int) -> int:
    from producer.config import ProducerConfig
    from producer.runner import run

    return run(ProducerConfig(events=events, seed=seed, root=landing)).lines["events"]


def time_floor(pipeline: LocalPipeline, landing: Path, out: Path) -> float:
    env = pipeline.env()
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "bench.floor", str(landing), str(out)],
        env=env,
        check=True,
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.monotonic() - started


def timed(label: str, result: RunResult) -> RunResult:
    """Print one update's breakdown under its label."""
    server = f", of which {result.server_start_s:.1f} s starting the server" if result.server_start_s else ""
    print(f"\n{label}: {result.seconds:.1f} s{server}")
    if result.timeline is not None:
        print(result.timeline.report())
    return result


def verdict(value: float, target: float, *, at_most: bool) -> str:
    met = value <= target if at_most else value >= target
    return f"(target {'<=' if at_most else '>='} {target:g}: {'met' if met else 'NOT met'})"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.pipeline", description=__doc__.splitlines()[0])
    p.add_argument("--events", type=int, default=1_000_000)
    p.add_argument("--dir", type=Path, default=REPO_ROOT / ".local" / "bench-pipeline")
    args = p.parse_args(argv)
    shutil.rmtree(args.dir, ignore_errors=True)
    landing = args.dir / "landing"
    pipeline = LocalPipeline(landing=landing, state_dir=args.dir / "state")
    quiet = lambda line: None  # noqa: E731

    print(f"bench: producing {args.events:,} events into {landing}")
    lines = produce(landing, args.events, seed=7)
    print("bench: floor (one Spark process: JSON -> one Delta table)...")
    floor_s = time_floor(pipeline, landing, args.dir / "floor-table")
    with pipeline.serving():
        print("bench: full update (cold: starts the Spark Connect server)...")
        full = timed("full update", pipeline.run(log=quiet))
        extra = max(1, args.events // 100)
        lines_extra = produce(landing, extra, seed=8)
        print(f"bench: incremental update ({extra:,} new events)...")
        incr = timed("incremental update", pipeline.run(log=quiet))
        idle = pipeline.run(log=quiet)
        print("\nbench: an update with no new file, forced through Spark (what SDP itself costs)...")
        forced = timed("forced no-new-file update", pipeline.run(force=True, log=quiet))

    warm_full_s = full.seconds - full.server_start_s
    throughput = (lines / full.seconds) / (lines / floor_s)
    incremental = incr.seconds / warm_full_s
    print(f"\n  floor          {floor_s:8.1f} s  {lines / floor_s:12,.0f} events/s")
    print(f"  full update    {full.seconds:8.1f} s  {lines / full.seconds:12,.0f} events/s  ({lines:,} lines, cold)")
    print(f"  incremental    {incr.seconds:8.1f} s  ({lines_extra:,} new lines)")
    print(f"  no new file    {idle.seconds:8.1f} s  ({'skipped by the runner' if idle.skipped else 'ran'})")
    print(f"  forced idle    {forced.seconds:8.1f} s  (= {forced.seconds / warm_full_s:.2f} of the full update)")
    ratios = (
        ("throughput ratio   pipeline/floor =", throughput, "throughput", False),
        ("no-new-file update seconds       =", idle.seconds, "no_new_file_s", True),
        ("incremental ratio  incr/full      =", incremental, "incremental", True),
    )
    print()
    for label, value, target, at_most in ratios:
        print(f"  {label} {value:.2f}  {verdict(value, TARGETS[target], at_most=at_most)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
