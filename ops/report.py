"""What the user sees: progress and pass/fail lines on stderr, a summary, JSON for CI.

Human output goes to stderr so that ``--json`` leaves stdout to the JSON document
alone; without ``--json`` the summary table goes to stdout.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

PASS, FAIL, SKIP = "pass", "fail", "skip"
_STYLE = {PASS: "bold green", FAIL: "bold red", SKIP: "yellow"}
# A waiting loop repeats an unchanged state this often, so CI logs show it is alive.
HEARTBEAT_SECONDS = 60.0


@dataclass
class Outcome:
    """What a check found: one summary line, optional detail lines, data for --json."""

    summary: str
    details: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


class CheckFailed(Exception):
    """A check ran and found the environment broken."""

    def __init__(self, summary: str, details: list[str] | None = None, data: dict[str, Any] | None = None):
        super().__init__(summary)
        self.outcome = Outcome(summary, list(details or []), dict(data or {}))


@dataclass
class CheckResult:
    name: str
    title: str
    status: str
    seconds: float
    summary: str
    details: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


class Progress:
    """Reports a long wait: a line when the state changes, and a heartbeat otherwise."""

    def __init__(self, console: Console, heartbeat_seconds: float = HEARTBEAT_SECONDS):
        self._console = console
        self._heartbeat = heartbeat_seconds
        self._last: tuple[str, float] | None = None

    def update(self, what: str, state: str, elapsed: float) -> None:
        now = time.monotonic()
        if self._last and self._last[0] == f"{what} {state}" and now - self._last[1] < self._heartbeat:
            return
        self._last = (f"{what} {state}", now)
        self._console.print(f"  [dim]… {escape(what)}: {escape(state)} after {elapsed:.0f}s[/dim]")


def print_result(console: Console, result: CheckResult, position: str) -> None:
    label = result.status.upper()
    console.print(
        f"[{_STYLE[result.status]}]{label:<4}[/] {escape(position)} {result.title} "
        f"[dim]({result.seconds:.1f}s)[/dim] {escape(result.summary)}"
    )
    for line in result.details:
        console.print(f"       {line}", markup=False)


def summary_table(env: str, results: list[CheckResult]) -> Table:
    table = Table(title=f"verify {env}", title_justify="left")
    table.add_column("check")
    table.add_column("result")
    table.add_column("time", justify="right")
    table.add_column("summary", overflow="fold")
    for result in results:
        table.add_row(
            result.name,
            f"[{_STYLE[result.status]}]{result.status.upper()}[/]",
            f"{result.seconds:.1f}s",
            escape(result.summary),
        )
    return table


def as_json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=False, default=str)


def results_document(env: str, results: list[CheckResult]) -> dict[str, Any]:
    failed = [r.name for r in results if r.status == FAIL]
    return {
        "env": env,
        "ok": not failed,
        "failed": failed,
        "checks": [asdict(r) for r in results],
    }
