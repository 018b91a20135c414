"""The policy catalogue (id, name, severity, resources, remediation) from the checks themselves.

`python -m policies.catalogue` prints the Markdown table that policies/README.md embeds;
tests/policies/test_catalogue.py fails when the README is behind the checks."""

from __future__ import annotations

import sys

START, END = "<!-- catalogue:start -->", "<!-- catalogue:end -->"


def markdown() -> str:
    from policies import runner

    runner.quiet_checkov()
    checks = runner.load_policies()
    rows = ["| id | name | severity | resources | remediation |", "|---|---|---|---|---|"]
    for check_id in sorted(checks, key=lambda i: int(i.rsplit("_", 1)[1])):
        check = checks[check_id]
        resources = ", ".join(f"`{r}`" for r in check.resources)
        cells = [check_id, check.name, check.severity_name, resources, check.remediation]
        rows.append("| " + " | ".join(cell.replace("<", "&lt;") for cell in cells) + " |")  # <env> is not HTML
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown())
    sys.exit(0)
