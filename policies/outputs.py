"""The scan's results for people (terminal) and for CI (SARIF, JUnit XML)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from checkov.common.output.record import Record
from checkov.common.output.report import Report
from checkov.common.output.sarif import Sarif
from rich.console import Console
from rich.table import Table

from policies.runner import StackResult

SARIF_FILE = "policy-scan.sarif"
JUNIT_FILE = "policy-scan.junit.xml"


def remediation(record: Record) -> str:
    """Our policies carry their remediation as guideline; checkov's built-in checks only have
    a guideline URL when downloaded from the platform, so name the keys and the rule instead."""
    if record.guideline:
        return (
            record.guideline if record.guideline.startswith("Remediation:") else f"Remediation: see {record.guideline}"
        )
    keys = ", ".join(record.check_result.get("evaluated_keys") or []) or "the resource"
    return f"Remediation: change {keys} so that: {record.check_name}"


def _location(record: Record) -> str:
    first, last = record.file_line_range
    return f"{record.file_path.lstrip('/')}:{first}-{last}"


def print_failures(console: Console, results: Iterable[StackResult]) -> None:
    for result in results:
        for record in result.report.failed_checks:
            console.print(
                f"[bold red]FAILED[/] [bold]{result.stack.env}[/] {record.check_id} {record.check_name}",
                highlight=False,
            )
            console.print(f"    {record.resource}  ({_location(record)})", highlight=False)
            for detail in record.details:
                console.print(f"    - {detail}", highlight=False, markup=False)
            console.print(f"    {remediation(record)}", highlight=False, markup=False)


def print_summary(console: Console, results: list[StackResult]) -> None:
    table = Table(title="Policy scan (checkov terraform_json + policies/checks)")
    for column in ("environment", "kind", "resources", "passed", "failed", "suppressed"):
        table.add_column(column, justify="left" if column in ("environment", "kind") else "right")
    for result in results:
        summary = result.report.get_summary()
        failed = summary["failed"]
        table.add_row(
            result.stack.env,
            result.stack.kind.value,
            str(len(list(result.stack.all_resources()))),
            str(summary["passed"]),
            f"[red]{failed}[/]" if failed else "0",
            str(summary["skipped"]),
        )
    console.print(table)
    for result in results:
        for unused in result.unused:
            console.print(
                f"[bold red]error[/] {result.stack.env}: suppression {unused.check} on {unused.resource} "
                f"in {unused.source} matched nothing: remove it if the fix is in, or correct "
                "the address if the resource was renamed",
                highlight=False,
            )


def _sarif(results: list[StackResult]) -> dict:
    reports = [result.report for result in results]
    document = Sarif(reports=reports, tool="checkov").json
    records = {r.check_id: r for report in reports for r in (*report.failed_checks, *report.skipped_checks)}
    for run in document["runs"]:
        run["tool"]["driver"]["organization"] = "clickstream platform team"
        for rule in run["tool"]["driver"]["rules"]:
            record = records.get(rule["id"])
            if record is not None:
                rule["help"]["text"] = f"{record.check_name}\n{remediation(record)}"
        for result in run["results"]:
            for suppression in result.get("suppressions", []):
                suppression["kind"] = "external"  # policies/suppressions/<kind>.yaml, not the file
    return document


def _junit(results: list[StackResult]) -> str:
    suites = []
    for result in results:
        suite = result.report.get_test_suite(properties={"env": result.stack.env, "kind": result.stack.kind.value})
        suite.name = f"policy-scan.{result.stack.env}"
        suites.append(suite)
    return Report.get_junit_xml_string(suites)


def write_reports(results: list[StackResult], directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    sarif, junit = directory / SARIF_FILE, directory / JUNIT_FILE
    sarif.write_text(json.dumps(_sarif(results), indent=1), encoding="utf-8")
    junit.write_text(_junit(results), encoding="utf-8")
    return sarif, junit
