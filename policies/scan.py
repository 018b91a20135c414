"""`make scan`: checkov + our policies over every synthesized environment.

    python -m policies.scan [--outdir cdktf.out] [--env dev prod ...] [--reports reports]
                            [--suppressions policies/suppressions]

Exit status: 0 when every check passes or is suppressed with a justification, 1 when a
check fails (each failure names the resource and the remediation) or a suppression matches
nothing, 2 when the input cannot be scanned (missing/empty/malformed stack, unknown
environment, bad suppression).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from rich.console import Console

from synthesized.stack import STACK_FILE, Stack, StackError, read_stack

EXIT_FAILED, EXIT_BAD_INPUT = 1, 2


def discover(outdir: Path, envs: list[str]) -> list[Stack]:
    """The stacks to scan: the named environments, or every synthesized one."""
    stacks_dir = outdir / "stacks"
    if not stacks_dir.is_dir():
        raise StackError(f"{stacks_dir}: no synthesized stacks (run `make synth`)")
    synthesized = sorted(p.name for p in stacks_dir.iterdir() if p.is_dir())
    for env in envs:
        if env not in synthesized:
            raise StackError(
                f"unknown environment {env!r}: {stacks_dir / env / STACK_FILE} does not exist "
                f'(synthesized: {", ".join(synthesized) or "none"}; run `make synth ENVS="... {env}"`)'
            )
    chosen = envs or synthesized
    if not chosen:
        raise StackError(f"{stacks_dir}: no environment directories (run `make synth`)")
    return [read_stack(stacks_dir / env / STACK_FILE) for env in dict.fromkeys(chosen)]


def _bad_input(console: Console, err: Exception) -> int:
    console.print(f"[bold red]error[/]: {err}")
    return EXIT_BAD_INPUT


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m policies.scan", description=__doc__.split("\n\n")[0])
    parser.add_argument("--outdir", type=Path, default=Path("cdktf.out"), help="cdktf output (default cdktf.out)")
    parser.add_argument("--env", action="extend", nargs="+", default=[], help="environments (default: all synthesized)")
    parser.add_argument(
        "--reports", type=Path, default=Path("reports"), help="SARIF and JUnit folder (default reports)"
    )
    parser.add_argument(
        "--suppressions",
        type=Path,
        default=None,
        help="folder of <kind>.yaml suppression files (default policies/suppressions)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None, console: Console | None = None) -> int:
    args = parse_args(argv)
    console = console or Console(highlight=False, soft_wrap=True)
    started = time.perf_counter()
    try:
        stacks = discover(args.outdir, args.env)
    except StackError as err:
        return _bad_input(console, err)
    # Imported only now: checkov takes seconds to import, bad input should not wait for it.
    from policies import allowlist, outputs, runner, suppressions

    try:
        allowlist.load()
        directory = args.suppressions or suppressions.SUPPRESSIONS_DIR
        by_kind = {s.kind: suppressions.load(suppressions.suppressions_file(s.kind, directory)) for s in stacks}
        runner.quiet_checkov()
        policies = runner.load_policies()
        console.print(f"checkov terraform_json + {len(policies)} policies from policies/checks")
        results = []
        for stack in stacks:
            console.print(f"scanning {stack.env} ({stack.kind.value}): {stack.path}")
            results.append(runner.scan_stack(stack, by_kind[stack.kind]))
    except (StackError, suppressions.SuppressionError, allowlist.AllowlistError, runner.PolicyLoadError) as err:
        return _bad_input(console, err)
    outputs.print_failures(console, results)
    outputs.print_summary(console, results)
    sarif, junit = outputs.write_reports(results, args.reports)
    failed = sum(len(r.report.failed_checks) for r in results)
    stale = sum(len(r.unused) for r in results)
    verdict = (
        f"[bold red]{failed} unsuppressed failure(s), {stale} suppression(s) matching nothing[/]"
        if failed or stale
        else "[bold green]all checks pass[/]"
    )
    console.print(
        f"{verdict} in {len(results)} environment(s), {time.perf_counter() - started:.1f} s; reports: {sarif}, {junit}"
    )
    return EXIT_FAILED if failed or stale else 0


if __name__ == "__main__":
    sys.exit(main())
