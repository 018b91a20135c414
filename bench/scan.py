"""`make bench-scan`: wall time of the policy scan over all environments, against its target.

Runs `python -m policies.scan` as a fresh process, as `make scan` and CI do, so checkov's
start-up is counted. Exits 1 when the target is missed."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time

TARGET_SECONDS = 15.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scan")
    parser.add_argument("--outdir", default="cdktf.out")
    parser.add_argument("--env", action="extend", nargs="+", default=[])
    args = parser.parse_args(argv)
    envs = ["--env", *args.env] if args.env else []
    with tempfile.TemporaryDirectory() as reports:
        command = [sys.executable, "-m", "policies.scan", "--outdir", args.outdir, "--reports", reports, *envs]
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
    if result.returncode == 2:
        print(result.stdout + result.stderr, file=sys.stderr)
        print("bench-scan: the scan could not run (exit 2)", file=sys.stderr)
        return 2
    verdict = "within" if elapsed <= TARGET_SECONDS else "OVER"
    scanned = ", ".join(args.env) or "all synthesized environments"
    print(
        f"bench-scan: {scanned}: {elapsed:.1f} s wall (scan exit {result.returncode}); "
        f"target <= {TARGET_SECONDS:.0f} s: ratio {elapsed / TARGET_SECONDS:.2f}, {verdict} target"
    )
    return 0 if elapsed <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
