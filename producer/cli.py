"""python -m producer --sink local|azure|volume --events N --rate R --seed S ...

Exit codes: 0 written, 1 the run failed (the summary says what was written), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from producer.config import SINKS, AzureSettings, ConfigError, DefectRates, ProducerConfig
from producer.runner import RunFailed, run
from producer.sinks import SinkError
from producer.summary import RunSummary


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 as well; keep one message style
        raise ConfigError(message)


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m producer", description="Generate clickstream events into a landing zone.")
    p.add_argument("--sink", default="local", help=f"one of {', '.join(SINKS)} (default: local)")
    p.add_argument("--events", type=_integer, default=10_000, help="event lines to write (default: 10000)")
    p.add_argument(
        "--rate", type=_rate, default=None, help="events per second; 'max' or 0: as fast as possible (the default)"
    )
    p.add_argument("--seed", type=_integer, default=1, help="same seed and --start give the same events (default: 1)")
    p.add_argument(
        "--start", type=_start, default=None, help="start of the simulated timeline, ISO-8601 UTC (default: now)"
    )
    p.add_argument("--users", type=_integer, default=5_000, help="size of the user population (default: 5000)")
    p.add_argument(
        "--events-per-file",
        type=_integer,
        default=50_000,
        help="largest file, in event lines; files also end at each hour (default: 50000)",
    )
    p.add_argument(
        "--flush-seconds", type=_number, default=30.0, help="paced runs: close a file at least this often (default: 30)"
    )
    p.add_argument(
        "--root", type=Path, default=ProducerConfig.root, help="local sink directory (default: .local/landing)"
    )
    p.add_argument("--volume-path", help="volume sink: /Volumes/<catalog>/<schema>/<volume>[/...]")
    p.add_argument("--account-url", help="azure sink: https://<account>.blob.core.windows.net")
    p.add_argument("--container", default="landing", help="azure sink container (default: landing)")
    p.add_argument("--prefix", default="", help="azure sink: blob name prefix (default: none)")
    p.add_argument("--client-id", help="azure sink: client id of a user-assigned managed identity")
    p.add_argument(
        "--max-retries",
        type=_integer,
        default=AzureSettings.retry_total,
        help=f"azure sink: retries of a failed request (default: {AzureSettings.retry_total})",
    )
    p.add_argument(
        "--defect",
        action="append",
        default=[],
        metavar="KIND=RATE",
        help=f"override a defect rate (0..1); kinds: {', '.join(DefectRates.kinds())}",
    )
    p.add_argument("--no-defects", action="store_true", help="write clean events only")
    p.add_argument("--summary-json", type=Path, help="also write the run summary to this local file")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def config_from_args(args: argparse.Namespace) -> ProducerConfig:
    rates = DefectRates.none().as_dict() if args.no_defects else DefectRates().as_dict()
    for item in args.defect:
        kind, sep, value = item.partition("=")
        if not sep or kind not in rates:
            raise ConfigError(f"--defect: expected KIND=RATE with KIND one of {', '.join(rates)}, got {item!r}")
        try:
            rates[kind] = float(value)
        except ValueError:
            raise ConfigError(f"--defect {kind}: expected a number, got {value!r}") from None
    azure = AzureSettings(
        account_url=args.account_url or "",
        container=args.container,
        prefix=args.prefix,
        client_id=args.client_id,
        retry_total=args.max_retries,
    )
    return ProducerConfig(
        sink=args.sink,
        events=args.events,
        rate=args.rate,
        seed=args.seed,
        start=args.start,
        users=args.users,
        events_per_file=args.events_per_file,
        flush_seconds=args.flush_seconds,
        defects=DefectRates(**rates),
        root=args.root,
        volume_path=args.volume_path,
        azure=azure,
    ).validate()


def main(argv: list[str] | None = None) -> int:
    err = Console(stderr=True)
    out = Console()
    try:
        args = parser().parse_args(argv)
        config = config_from_args(args)
        summary = _run_with_progress(config, quiet=args.quiet or not err.is_terminal, console=err)
    except ConfigError as exc:
        _error(err, f"{exc}\nrun `python -m producer --help` for the options")
        return 2
    except SinkError as exc:
        _error(err, str(exc))
        return 1
    except RunFailed as exc:
        _report(out, exc.summary, args.summary_json)
        _error(err, f"run {exc.summary.status}: {exc}")
        return 1
    _report(out, summary, args.summary_json)
    return 0


def _error(console: Console, message: str) -> None:
    # Text, not markup: messages quote user input and paths such as /Volumes/[...].
    console.print(Text.assemble(("error: ", "bold red"), message), soft_wrap=True)


def _run_with_progress(config: ProducerConfig, *, quiet: bool, console: Console) -> RunSummary:
    columns = (
        TextColumn("[bold]producing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("events"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, disable=quiet, transient=True) as bar:
        task = bar.add_task("events", total=config.events)
        return run(config, progress=lambda done: bar.update(task, completed=done))


def _report(console: Console, summary: RunSummary, json_path: Path | None) -> None:
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_bytes(summary.to_json())
    table = Table(title=f"run {summary.run_id}: {summary.status}", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("sink", f"{summary.sink} {summary.location}")
    for feed, n in summary.lines.items():
        table.add_row(f"lines {feed}", f"{n:,}")
    table.add_row("valid unique events", f"{summary.valid_unique_events:,}")
    for kind, n in sorted(summary.events_by_type.items(), key=lambda kv: -kv[1]):
        table.add_row(f"  type {kind}", f"{n:,}")
    for kind, n in summary.defects.items():
        table.add_row(f"  defect {kind}", f"{n:,}")
    for op, n in sorted(summary.user_changes_by_op.items()):
        table.add_row(f"  user change {op}", f"{n:,}")
    table.add_row("files", f"{len(summary.files):,}")
    table.add_row("bytes", f"{summary.bytes:,}")
    table.add_row("elapsed", f"{summary.elapsed_s:.2f} s")
    table.add_row("events/s", f"{summary.events_per_s:,.0f}")
    if summary.uncommitted:
        table.add_row("not written", f"{summary.uncommitted['lines']:,} lines of {summary.uncommitted['path']}")
    table.add_row("summary", summary.summary_path or "(could not be written to the sink)")
    console.print(table)


# argparse reports these as "argument --<option>: <message>", naming the option.
def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None


def _rate(text: str) -> float | None:
    return None if text.lower() in ("max", "0") else _number(text)


def _start(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected ISO-8601 like 2026-11-26T18:00:00Z, got {text!r}") from None


if __name__ == "__main__":
    sys.exit(main())
