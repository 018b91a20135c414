"""`python -m infra.terraform`: validate every synthesized environment against the real
provider schemas and apply + destroy it under mocked providers, offline.

Prints one line per environment and one per diagnostic (environment, address, attribute,
message, construct); exits 1 if any environment has an error or a failed test run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from infra.terraform.check import check
from infra.terraform.providers import PLUGIN_DIR_VARIABLE, plugin_dir
from infra.terraform.workdir import TerraformError


def _args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m infra.terraform", description=__doc__.split("\n\n")[0])
    p.add_argument("--outdir", type=Path, default=Path("cdktf.out"), help="synthesized output (default: cdktf.out)")
    p.add_argument("--env", nargs="*", help="environments (default: every stack in the output)")
    p.add_argument("--no-test", action="store_true", help="validate only, skip the mocked apply + destroy")
    p.add_argument("--plan-dir", type=Path, help="write the mocked plan of each environment to DIR/plan-<env>.json")
    p.add_argument("--budget", type=float, help="print the wall time as a ratio of this many seconds (bench)")
    p.add_argument("--jobs", type=int, default=2, help="environments checked in parallel (default: 2)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    stacks = args.outdir / "stacks"
    envs = args.env or sorted(p.name for p in stacks.iterdir() if (p / "cdk.tf.json").exists())
    missing = [e for e in envs if not (stacks / e / "cdk.tf.json").exists()]
    if missing:
        print(f"validate: not synthesized: {', '.join(missing)} (run `make synth`)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    mirror = plugin_dir()
    print(
        f"validate: {', '.join(envs)}; providers from {mirror or 'the registry'}"
        f" (set {PLUGIN_DIR_VARIABLE} to use a mirror)",
        flush=True,
    )
    try:
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            reports = list(pool.map(lambda e: check(stacks / e, mirror, test=not args.no_test), envs))
    except TerraformError as err:
        print(f"validate: {err}", file=sys.stderr)
        return 2
    for report in reports:
        print(report.summary())
        for line in [d.line() for d in report.diagnostics] + report.test_failures:
            print(f"  {line}")
        if args.plan_dir and report.plan:
            args.plan_dir.mkdir(parents=True, exist_ok=True)
            (args.plan_dir / f"plan-{report.env}.json").write_text(json.dumps(report.plan))
    failed = [r.env for r in reports if not r.ok]
    warnings = sum(len(r.warnings) for r in reports)
    print(
        f"validate: {len(reports) - len(failed)}/{len(reports)} environments ok, {warnings} warnings"
        + (f"; failed: {', '.join(failed)}" if failed else "")
    )
    wall = time.perf_counter() - started
    print(
        f"validate: wall {wall:.1f}s"
        + (f" = {wall / args.budget:.2f}x of the {args.budget:.0f}s budget" if args.budget else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
