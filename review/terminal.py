"""The terminal summary (rich): what a reviewer reads in a CI log or after `make review`."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from review.kinds import KIND_ORDER, kind_of
from review.model import ACTION_ORDER, Action, Review
from review.wording import (
    CONFIG_DIFF_NOTE,
    COUNTED,
    change_detail,
    headline,
    summary_line,
)

_STYLE = {
    Action.CREATE: "green",
    Action.UPDATE: "yellow",
    Action.REPLACE: "bold magenta",
    Action.DELETE: "bold red",
    Action.FORGET: "dim",
}
# Rows of findings printed; the rest are counted (the SARIF and the Security tab have them all).
_FINDING_ROWS = 25


def render_terminal(review: Review, console: Console) -> None:
    console.rule(f"[bold]Plan review: {review.env}[/] · {review.source_detail}")
    if review.is_config_diff:
        console.print(f"[dim]{CONFIG_DIFF_NOTE.format(env=review.env)}[/]")
    for note in review.notes:
        console.print(f"[dim]{note}[/]")
    console.print("  ".join(f"[{_STYLE[a]}]{review.count(a)} {a.value}[/]" for a in COUNTED))
    for warning in review.warnings:
        style = "red" if warning.severity == "danger" else "yellow"
        console.print(
            Panel(
                f"{warning.detail}\n[dim]{warning.address}[/]" if warning.detail else f"[dim]{warning.address}[/]",
                title=f"[bold]{warning.title}[/]",
                border_style=style,
                title_align="left",
            )
        )
    _access(review, console)
    _resources(review, console)
    _findings(review, console)
    console.rule(summary_line(review), style="bold red" if review.warnings else "bold green")


def _access(review: Review, console: Console) -> None:
    if not review.access:
        console.print("No access changes.")
        return
    table = Table(title="Access changes", title_justify="left", show_lines=False)
    for column in ("Who", "", "What", "On", "Through"):
        table.add_column(column)
    for a in review.access:
        style = {"gains": "green", "loses": "red", "re-granted": "dim"}[a.verb]
        table.add_row(a.principal, f"[{style}]{a.verb}[/]", ", ".join(a.privileges), a.target, a.mechanism)
    console.print(table)


def _resources(review: Review, console: Console) -> None:
    if not review.changes:
        console.print("No resource changes.")
        return
    table = Table(title=f"Changed resources ({headline(review)})", title_justify="left")
    table.add_column("Action", no_wrap=True)
    table.add_column("Resource", overflow="fold", ratio=2)
    table.add_column("Change", overflow="fold", ratio=3)
    for kind in KIND_ORDER:
        changes = sorted(
            (c for c in review.changes if kind_of(c.type) == kind),
            key=lambda c: (ACTION_ORDER.index(c.action), c.address),
        )
        if changes:
            table.add_row("", f"[bold]{kind}[/]", "")
        for position, change in enumerate(changes):
            name = review.name_of(change)
            table.add_row(
                f"[{_STYLE[change.action]}]{change.action.value}[/]",
                f"{name}\n[dim]{change.address}[/]" if name else change.address,
                change_detail(change),
                end_section=position == len(changes) - 1,
            )
    console.print(table)


def _findings(review: Review, console: Console) -> None:
    if not review.sarif_files:
        console.print("[dim]No policy scan given (--sarif).[/]")
        return
    failed = [f for f in review.findings if not f.suppressed]
    console.print(
        f"Policy findings: {len(failed)} open, {len(review.findings) - len(failed)} suppressed "
        f"({', '.join(review.sarif_files)})"
    )
    if not failed:
        return
    table = Table(show_header=True)
    for column in ("Level", "Rule", "Resource", "Finding"):
        table.add_column(column, overflow="fold")
    for f in failed[:_FINDING_ROWS]:
        table.add_row(f.level, f.rule_id, f.resource or f.location, f.message)
    console.print(table)
    if len(failed) > _FINDING_ROWS:
        console.print(f"… and {len(failed) - _FINDING_ROWS} more")
