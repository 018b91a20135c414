"""`make bench-pipeline`: 1M producer events end to end vs a plain Spark floor, then 1% more.

Prints two ratios (targets in brackets):
  throughput ratio  = pipeline events/s / floor events/s            [>= 0.5]
  incremental ratio = incremental update time / full update time     [<= 0.2]
and the fixed cost of an update that finds no new file, the floor under any incremental
update (open-source SDP commits metadata to every table and recomputes every
materialized view on each update).
Both sides are timed as whole processes (JVM start-up included) on the same machine in
the same run. Exit code 0 whether or not targets are met: the numbers are the output.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from pipelines.runner import REPO_ROOT, LocalPipeline


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
    print("bench: floor (Spark JSON -> one Delta table)...")
    floor_s = time_floor(pipeline, landing, args.dir / "floor-table")
    print("bench: full pipeline update...")
    full_s = pipeline.run(log=quiet).seconds
    extra = max(1, args.events // 100)
    lines_extra = produce(landing, extra, seed=8)
    print(f"bench: incremental update ({extra:,} new events)...")
    incr_s = pipeline.run(log=quiet).seconds
    print("bench: update with no new files (fixed cost)...")
    idle = pipeline.run(log=quiet)
    idle_s = idle.seconds
    print("bench: update with no new files, forced through Spark (what SDP itself costs)...")
    forced_s = pipeline.run(force=True, log=quiet).seconds

    floor_rate, full_rate = lines / floor_s, lines / full_s
    print(f"\n  floor        {floor_s:8.1f} s  {floor_rate:12,.0f} events/s")
    print(f"  pipeline     {full_s:8.1f} s  {full_rate:12,.0f} events/s  ({lines:,} lines)")
    print(f"  incremental  {incr_s:8.1f} s  ({lines_extra:,} new lines)")
    print(f"  no new files {idle_s:8.1f} s  ({'skipped by the runner' if idle.skipped else 'ran'}; target <= 5 s)")
    print(f"  forced idle  {forced_s:8.1f} s  (= {forced_s / full_s:.2f} of the full update)")
    print(f"\n  throughput ratio  pipeline/floor = {full_rate / floor_rate:.2f}  (target >= 0.5)")
    print(f"  incremental ratio incr/full      = {incr_s / full_s:.2f}  (target <= 0.2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
