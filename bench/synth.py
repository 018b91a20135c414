"""`make bench-synth`: synthesizing every environment vs. only importing the providers.

Both are measured as fresh processes, best of N runs each: the synth of dev, prod and an
ephemeral environment in one process, and the floor, a process importing the three
provider packages (azurerm, azuread, databricks) and nothing else. Target ratio <= 1.15.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
TARGET = 1.15
FLOOR = "import cdktf_cdktf_provider_azurerm, cdktf_cdktf_provider_azuread, cdktf_cdktf_provider_databricks"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(args: list[str], env: dict[str, str], cpu: list[float]) -> float:
    """Wall time of a fresh process; its CPU time (incl. the jsii node child) goes to ``cpu``."""
    started, cpu_before = time.perf_counter(), _children_cpu()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cpu.append(_children_cpu() - cpu_before)
    return time.perf_counter() - started


def main() -> int:
    env = dict(os.environ, CHECKPOINT_DISABLE="1", JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="20")
    env.setdefault("CLICKSTREAM_ENVS", "pr-42")
    env.setdefault("CLICKSTREAM_EXPIRES_ON", "2026-12-31")
    synth_times, floor_times, synth_cpu, floor_cpu = [], [], [], []
    with tempfile.TemporaryDirectory() as outdir:
        env["CDKTF_OUTDIR"] = outdir
        for run in range(1, RUNS + 1):
            floor_times.append(_timed([sys.executable, "-c", FLOOR], env, floor_cpu))
            synth_times.append(_timed([sys.executable, "-m", "infra.app"], env, synth_cpu))
            print(f"run {run}/{RUNS}: synth {synth_times[-1]:.1f}s, floor {floor_times[-1]:.1f}s", file=sys.stderr)
    synth, floor = min(synth_times), min(floor_times)
    ratio = synth / floor
    print(f"synth all environments: {synth:.2f}s (best of {RUNS})")
    print(f"floor (import azurerm, azuread, databricks): {floor:.2f}s (best of {RUNS})")
    print(f"cpu time: synth {min(synth_cpu):.2f}s, floor {min(floor_cpu):.2f}s (less sensitive to a busy machine)")
    print(f"ratio: {ratio:.2f} (target <= {TARGET}) -> {'ok' if ratio <= TARGET else 'ABOVE TARGET'}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
