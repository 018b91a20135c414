"""`python -m review`: review a plan, or the configuration diff of two synthesized outputs.

Exit codes: 0 the review was produced (whatever it found), 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from review.build import build_review
from review.markdown import render_markdown
from review.model import InputError
from review.terminal import render_terminal


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m review",
        description="Review an infrastructure change: counts, changed resources by kind, warnings for destroyed "
        "data, access changes, policy findings. Prints a terminal summary; writes Markdown on request.",
        epilog="examples:\n"
        "  python -m review --plan reports/plan-dev.json --sarif reports/checkov.sarif --markdown review.md\n"
        "  python -m review --before .local/cdktf.out.main --after cdktf.out --env dev",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--plan", type=Path, help="Terraform JSON plan (`terraform show -json planfile`)")
    source.add_argument("--before", type=Path, help="synthesized output before the change (cdktf.out of main)")
    parser.add_argument("--after", type=Path, help="synthesized output after the change (this branch's cdktf.out)")
    parser.add_argument("--env", default="dev", help="environment (stack) to review (default: dev)")
    parser.add_argument(
        "--sarif", type=Path, action="append", default=[], help="policy scan results (SARIF); repeatable"
    )
    parser.add_argument("--markdown", type=Path, help="write the pull-request comment here")
    args = parser.parse_args(argv)
    if args.before is not None and args.after is None:
        parser.error("--before needs --after (the synthesized output to compare with)")
    if args.plan is not None and args.after is not None:
        parser.error("--after goes with --before, not with --plan")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # CI logs are not terminals; rich would wrap them at 80 columns.
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 140)
    try:
        review = build_review(env=args.env, plan=args.plan, before=args.before, after=args.after, sarif=args.sarif)
    except InputError as error:
        print(f"review: error: {error}", file=sys.stderr)
        return 2
    render_terminal(review, console)
    if args.markdown is not None:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(render_markdown(review))
        console.print(f"Markdown written to {args.markdown}")
    return 0
