"""Read a Terraform JSON plan (`terraform show -json planfile`), format 1.x.

Fields used, from Terraform's documented JSON output format: `format_version`,
`terraform_version`, `resource_changes[]` (`address`, `mode`, `type`, `change.actions`,
`change.before`/`after`/`after_unknown`/`before_sensitive`/`after_sensitive`,
`change.replace_paths`, `action_reason`), `prior_state` and `planned_values` (to name
objects the plan does not change), `configuration` (references behind unknown values).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from review.jsonfile import read_json
from review.model import UNKNOWN, Action, InputError, ResourceChange
from review.refs import Index, resource_address
from review.values import at_path, changed_paths, mark_unknown, mask_sensitive

_ACTIONS = {
    ("create",): Action.CREATE,
    ("update",): Action.UPDATE,
    ("delete", "create"): Action.REPLACE,
    ("create", "delete"): Action.REPLACE,
    ("delete",): Action.DELETE,
    ("forget",): Action.FORGET,
}
_IGNORED_ACTIONS = {("no-op",), ("read",)}
_REASONS = {
    "replace_because_tainted": "tainted",
    "replace_by_request": "replacement requested (-replace)",
    "replace_by_triggers": "replace_triggered_by",
    "delete_because_no_resource_config": "removed from the configuration",
    "delete_because_no_module": "its module was removed",
    "delete_because_count_index": "count reduced",
    "delete_because_each_key": "for_each key removed",
    "delete_because_wrong_repetition": "count/for_each changed",
}


def load_plan(path: Path) -> tuple[list[ResourceChange], Index, str]:
    plan = _read(path)
    expressions = dict(_configured_expressions(plan.get("configuration", {}).get("root_module", {}), ""))
    changes = []
    for position, rc in enumerate(plan["resource_changes"]):
        change = _resource_change(path, position, rc, expressions)
        if change is not None:
            changes.append(change)
    detail = f"terraform plan ({path.name}, Terraform {plan.get('terraform_version', '?')})"
    links = {
        address: {resource_address(ref) for ref in _expression_references(exprs)}
        for address, exprs in expressions.items()
    }
    return changes, Index(_known_resources(plan, changes), links), detail


def _read(path: Path) -> dict[str, Any]:
    plan = read_json(path)
    if not isinstance(plan, dict) or "format_version" not in plan:
        raise InputError(
            f"{path}: not a Terraform JSON plan (no `format_version`); "
            "make one with `terraform show -json <planfile> > plan.json`"
        )
    if not str(plan["format_version"]).startswith("1."):
        raise InputError(f"{path}: plan `format_version` {plan['format_version']} is not supported (1.x is)")
    if not isinstance(plan.get("resource_changes", []), list):
        raise InputError(f"{path}: `resource_changes` must be a list")
    plan.setdefault("resource_changes", [])
    return plan


def _resource_change(path: Path, position: int, rc: Any, expressions: dict) -> ResourceChange | None:
    where = f"{path}: resource_changes[{position}]"
    if not isinstance(rc, dict) or not isinstance(rc.get("change"), dict):
        raise InputError(f"{where}: expected an object with `change`")
    if rc.get("mode", "managed") != "managed":
        return None
    actions = tuple(rc["change"].get("actions") or ())
    if actions in _IGNORED_ACTIONS:
        return None
    if actions not in _ACTIONS:
        raise InputError(f"{where}.change.actions: unknown actions {list(actions)}")
    for field in ("address", "type"):
        if not isinstance(rc.get(field), str):
            raise InputError(f"{where}.{field}: missing")
    change = rc["change"]
    action = _ACTIONS[actions]
    before = change.get("before")
    after = mark_unknown(change.get("after"), change.get("after_unknown"))
    if isinstance(after, dict):
        after = _unknowns_as_references(after, expressions.get(_config_address(rc["address"]), {}))
    # Diffed before masking, so a changed secret shows as changed; a computed attribute turning
    # unknown is a consequence of the change, not what changes.
    changed = (
        [p for p in changed_paths(before, after) if at_path(after, p) is not UNKNOWN]
        if action in (Action.UPDATE, Action.REPLACE)
        else []
    )
    before = mask_sensitive(before, change.get("before_sensitive"))
    after = mask_sensitive(after, change.get("after_sensitive"))
    reasons = [f"`{'.'.join(str(step) for step in p)}` changes" for p in change.get("replace_paths") or []]
    if rc.get("action_reason") in _REASONS:
        reasons.append(_REASONS[rc["action_reason"]])
    return ResourceChange(
        address=rc["address"],
        type=rc["type"],
        action=action,
        before=before,
        after=after if action is not Action.DELETE else None,
        changed=tuple(changed),
        reasons=tuple(reasons),
    )


def _config_address(address: str) -> str:
    """`module.a["x"].azurerm_x.y[0]` -> `module.a.azurerm_x.y`: how `configuration` names it."""
    out, depth = [], 0
    for char in address:
        depth += char == "["
        if depth == 0:
            out.append(char)
        depth -= char == "]"
    return "".join(out)


def _configured_expressions(module: dict, prefix: str) -> Iterator[tuple[str, dict]]:
    for resource in module.get("resources", []):
        yield prefix + resource.get("address", ""), resource.get("expressions", {})
    for name, call in (module.get("module_calls") or {}).items():
        yield from _configured_expressions(call.get("module", {}), f"{prefix}module.{name}.")


def _expression_references(expression: Any) -> Iterator[str]:
    if isinstance(expression, dict):
        yield from expression.get("references") or []
        for key, value in expression.items():
            if key != "references":
                yield from _expression_references(value)
    elif isinstance(expression, list):
        for item in expression:
            yield from _expression_references(item)


def _unknowns_as_references(value: Any, expression: Any) -> Any:
    """An unknown value whose configuration refers to another resource reads as that reference."""
    if value is UNKNOWN and isinstance(expression, dict) and expression.get("references"):
        return "${" + expression["references"][0] + "}"
    if isinstance(value, dict) and isinstance(expression, dict):
        return {k: _unknowns_as_references(v, expression.get(k)) for k, v in value.items()}
    if isinstance(value, list) and isinstance(expression, list) and len(value) == len(expression):
        return [_unknowns_as_references(v, e) for v, e in zip(value, expression, strict=False)]
    return value


def _state_resources(module: dict | None) -> Iterator[dict]:
    if not module:
        return
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from _state_resources(child)


def _known_resources(plan: dict, changes: list[ResourceChange]) -> dict[str, tuple[str, dict]]:
    known: dict[str, tuple[str, dict]] = {}
    prior = (plan.get("prior_state") or {}).get("values", {}).get("root_module")
    planned = (plan.get("planned_values") or {}).get("root_module")
    for resource in list(_state_resources(prior)) + list(_state_resources(planned)):
        if resource.get("mode", "managed") == "managed" and isinstance(resource.get("values"), dict):
            known[resource["address"]] = (resource["type"], resource["values"])
    for change in changes:
        known[change.address] = (change.type, change.values)
    return known
