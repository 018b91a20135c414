"""A Terraform JSON plan rebuilt from a mocked ``terraform test -json -verbose`` run.

There is no ``terraform plan -out`` with mocked providers, but the test framework prints
each plan run's ``resource_changes`` (a ``test_plan`` message). That is the part of
``terraform show -json`` the review reads; checkov's plan scan reads ``planned_values``,
rebuilt here from each change's ``after``.
"""

from __future__ import annotations

import json
from typing import Any

from synthesized.refs import references, resource_address

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


def _references(value: Any) -> list[str]:
    """Terraform's ``references`` of an expression: each ``type.name.attr`` and its ``type.name``."""
    return list(dict.fromkeys(r for ref in references(value) for r in (ref, resource_address(ref))))


def _expression(value: Any) -> Any:
    """A cdk.tf.json value as ``configuration`` expressions: blocks nest, leaves are
    ``references`` when they interpolate a resource and ``constant_value`` otherwise."""
    if isinstance(value, dict):
        return [{k: _expression(v) for k, v in value.items() if k != "//"}]
    found = _references(value)
    return {"references": found} if found else {"constant_value": value}


def configuration(doc: dict) -> dict:
    """The ``configuration`` section of a plan, rebuilt from the synthesized stack."""
    resources = []
    for section, mode, prefix in (("resource", "managed", ""), ("data", "data", "data.")):
        for type_, instances in doc.get(section, {}).items():
            for name, body in instances.items():
                expressions = {
                    k: _expression(v) for k, v in body.items() if k not in ("//", "depends_on", "lifecycle", "provider")
                }
                resources.append(
                    {
                        "address": f"{prefix}{type_}.{name}",
                        "mode": mode,
                        "type": type_,
                        "name": name,
                        "expressions": expressions,
                    }
                )
    return {"root_module": {"resources": resources}}


def plan_document(test_json: str, doc: dict | None = None, run: str = "plan") -> dict:
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
        **({"configuration": configuration(doc)} if doc else {}),
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
