"""make bench-producer: producer events/s to the local sink vs a floor measured in the
same run: the same number of pre-built event dicts serialised with orjson (the fastest
JSON library the producer uses) and written to one file.

Both are single-threaded, so events per CPU-second is events/s on one core; it is the
figure the targets are checked on because this machine is shared (wall-clock rates are
printed too). Exit 1 below a target."""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
import time
from pathlib import Path

import orjson

from contract import EVENTS_FEED
from producer import DefectRates, ProducerConfig, generate, run

TARGET_RATIO = 0.5
TARGET_EVENTS_PER_S = 100_000
POOL = 20_000  # distinct pre-built dicts, cycled: the floor's work per event is the same
CHUNK = ProducerConfig.events_per_file


class Timer:
    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def event_dicts(n: int) -> list[dict]:
    """Clean events like the producer's, as dicts (built before timing starts)."""
    config = ProducerConfig(events=n, defects=DefectRates.none())
    return [
        orjson.loads(line)
        for batch in generate(config, config.resolved_start())
        if batch.feed == EVENTS_FEED
        for line in batch.payload.splitlines()
    ]


def floor(pool: list[dict], n: int, target: Path) -> Timer:
    events = list(itertools.islice(itertools.cycle(pool), n))
    dumps = orjson.dumps
    with Timer() as timer, open(target, "wb") as f:
        # Chunks as big as the producer's files: same buffering, bounded memory.
        for i in range(0, n, CHUNK):
            f.write(b"\n".join([dumps(e) for e in events[i : i + CHUNK]]) + b"\n")
        f.flush()
        os.fsync(f.fileno())
    return timer


def producer(n: int, seed: int, root: Path) -> Timer:
    with Timer() as timer:
        run(ProducerConfig(events=n, seed=seed, root=root))
    return timer


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--events", type=int, default=500_000)
    p.add_argument("--rounds", type=int, default=3, help="best of N rounds for both measurements")
    args = p.parse_args(argv)
    n = args.events
    pool = event_dicts(POOL)
    with tempfile.TemporaryDirectory(prefix="bench-producer-") as tmp:
        runs = [producer(n, 1 + r, Path(tmp) / f"run{r}") for r in range(args.rounds)]
        floors = [floor(pool, n, Path(tmp) / "floor.json") for _ in range(args.rounds)]
    best = {
        "producer": (n / min(t.cpu for t in runs), n / min(t.wall for t in runs)),
        "floor": (n / min(t.cpu for t in floors), n / min(t.wall for t in floors)),
    }
    ratio = best["producer"][0] / best["floor"][0]
    ok = ratio >= TARGET_RATIO and best["producer"][0] >= TARGET_EVENTS_PER_S
    print(f"{n:,} events, best of {args.rounds}, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, label in (("producer", "producer (local sink)"), ("floor", "floor (orjson, one file)")):
        cpu, wall = best[name]
        print(f"{label:26} {cpu:>10,.0f} events/s on one core   ({wall:,.0f} events/s wall clock)")
    print(
        f"ratio producer/floor: {ratio:.2f} (target >= {TARGET_RATIO}); producer >= {TARGET_EVENTS_PER_S:,} "
        f"events/s: {'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
