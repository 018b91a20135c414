"""A Terraform JSON plan rebuilt from a mocked ``terraform test -json -verbose`` run.

There is no ``terraform plan -out`` with mocked providers, but the test framework prints
each plan run's ``resource_changes`` (a ``test_plan`` message). That is the part of
``terraform show -json`` the review reads; checkov's plan scan reads ``planned_values``,
rebuilt here from each change's ``after``.
"""

from __future__ import annotations

import json

PLAN_FORMAT = "1.2"


def messages(test_json: str):
    for line in test_json.splitlines():
        if line.startswith("{"):
            yield json.loads(line)


def _planned_resource(change: dict) -> dict:
    return {
        key: change[key] for key in ("address", "mode", "type", "name", "index", "provider_name") if key in change
    } | {
        "schema_version": 0,
        "values": change["change"].get("after") or {},
        "sensitive_values": change["change"].get("after_sensitive") or {},
    }


def plan_document(test_json: str, run: str = "plan") -> dict:
    """The plan of run ``run``, shaped like ``terraform show -json`` (format 1.2)."""
    version, plan = "", None
    for message in messages(test_json):
        if message.get("type") == "version":
            version = message.get("terraform", "")
        elif message.get("type") == "test_plan" and message.get("@testrun") == run:
            plan = message["test_plan"]
    if plan is None:
        raise ValueError(f"no test_plan message for run {run!r}: was `terraform test` run with -json -verbose?")
    changes = plan.get("resource_changes", [])
    return {
        "format_version": PLAN_FORMAT,
        "terraform_version": version,
        "resource_changes": changes,
        "output_changes": plan.get("output_changes", {}),
        "planned_values": {
            "root_module": {
                "resources": [_planned_resource(c) for c in changes if "delete" not in c["change"]["actions"]]
            }
        },
    }
