"""Loud warnings: data that a plan destroys, and protections that it removes."""

from __future__ import annotations

from contract import masks
from review.kinds import DATA_CONSUMERS, STATEFUL, noun_of
from review.model import Action, Alert, ResourceChange
from review.refs import Index
from review.values import at_path

_VERB = {Action.DELETE: "Destroys", Action.REPLACE: "Replaces (destroys, then recreates empty)"}


def warnings_for(changes: list[ResourceChange], index: Index) -> list[Alert]:
    found = [w for change in changes for w in _data_loss(change, index)]
    found += [w for change in changes for w in _protection_removed(change, index)]
    found += [w for change in changes for w in _write_only_rewritten(change, index)]
    found += [w for change in changes for w in _mask_changed(change, index)]
    return found


def _write_only_rewritten(change: ResourceChange, index: Index) -> list[Alert]:
    """A write-only secret (value_wo) gets a new value only when its version changes: an
    update in the plan, whose new value the plan cannot show."""
    if change.action is not Action.UPDATE or "value_wo_version" not in change.changed:
        return []
    old, new = (at_path(values or {}, "value_wo_version") for values in (change.before, change.after))
    detail = f"value_wo_version {old} → {new}: the apply writes a new value."
    if change.type in STATEFUL:
        detail += f" Loses {STATEFUL[change.type]}."
    return [Alert("danger", f"Rewrites {index.describe(change.address)}", detail, change.address)]


def _masked_columns(query_text: object) -> list[str]:
    """The sensitive columns whose mask function a query's SQL creates (contract/masks.py)."""
    if not isinstance(query_text, str) or "CREATE OR REPLACE FUNCTION" not in query_text:
        return []
    return [
        column
        for column, mask in masks.SENSITIVE_COLUMNS.items()
        if f".{masks.FUNCTION_SCHEMA}.{mask.function}(" in query_text
    ]


def _mask_changed(change: ResourceChange, index: Index) -> list[Alert]:
    """A column-mask function's statement changes or goes: what analysts see changes with it."""
    before, after = (change.before or {}).get("query_text"), (change.after or {}).get("query_text")
    columns = _masked_columns(before) or _masked_columns(after)
    if change.type != "databricks_query" or not columns or change.action is Action.CREATE or before == after:
        return []
    what = "is removed: the deploy no longer (re)creates it" if change.action is Action.DELETE else "changes"
    return [
        Alert(
            "caution",
            f"Column mask {index.display_name(change.address)} {what}",
            f"What analysts see of {', '.join(f'`{c}`' for c in columns)} in gold changes once `make deploy` "
            "runs the masks job. Check the access matrix (contract/masks.py).",
            change.address,
        )
    ]


def _data_loss(change: ResourceChange, index: Index) -> list[Alert]:
    if change.action not in _VERB or change.type not in STATEFUL:
        return []
    subject = index.describe(change.address)
    parts = [f"Loses {STATEFUL[change.type]}."]
    users = sorted(index.describe(a) for a in index.dependents(change.address) if index.type_of(a) in DATA_CONSUMERS)
    if users:
        parts.append("Used by: " + ", ".join(users) + ".")
    if change.reasons:
        parts.append("Why: " + "; ".join(change.reasons) + ".")
    return [Alert("danger", f"{_VERB[change.action]} {subject}", " ".join(parts), change.address)]


def _protection_removed(change: ResourceChange, index: Index) -> list[Alert]:
    before, after = change.before or {}, change.after or {}
    if change.type == "azurerm_management_lock" and change.action is Action.DELETE:
        return [
            Alert(
                "caution",
                f"Removes deletion lock {before.get('name', change.address)}",
                f"{index.subject(before.get('scope'))} can be deleted once this applies.",
                change.address,
            )
        ]
    flips = {
        "purge_protection_enabled": (True, False, "purge protection is switched off"),
        "force_destroy": (False, True, "force_destroy is switched on: a destroy drops everything inside"),
    }
    found = []
    for attribute, (old, new, what) in flips.items():
        if (
            change.action is Action.UPDATE
            and bool(at_path(before, attribute)) is old
            and at_path(after, attribute) is new
        ):
            found.append(
                Alert(
                    "caution",
                    f"{noun_of(change.type).capitalize()} {index.display_name(change.address)}: {what}",
                    "",
                    change.address,
                )
            )
    return found
