"""The terminal summary says the same as the comment: warnings, access rows, a closing summary."""

from __future__ import annotations

from rich.console import Console

from review.build import build_review
from review.terminal import render_terminal
from tests.review.review_plans import destructive, rbac_change, write


def terminal_text(review) -> str:
    console = Console(record=True, width=200, color_system=None)
    render_terminal(review, console)
    return console.export_text()


def test_destructive_plan_prints_warnings_and_ends_with_a_summary(tmp_path):
    text = terminal_text(build_review(env="dev", plan=write(tmp_path, destructive())))
    assert "Replaces (destroys, then recreates empty) storage account stclickstreamdev" in text
    assert (
        text.rstrip()
        .splitlines()[-1]
        .strip("─ ")
        .startswith("dev: 2 to delete, 1 to replace · 3 warning(s) · 0 access change(s)")
    )


def test_access_changes_are_listed_with_who_gains_and_loses(tmp_path):
    text = terminal_text(build_review(env="dev", plan=write(tmp_path, rbac_change())))
    row = next(line for line in text.splitlines() if "USE_SCHEMA" in line)
    assert "clickstream-dev-data-analysts" in row and "gains" in row and "schema clickstream_dev.silver" in row
