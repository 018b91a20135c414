"""What the README's environment table promises, as ``assert`` blocks of the mocked apply.

The expected values come from the environment's typed config, the addresses from the
synthesized stack, and Terraform evaluates the conditions on the applied (mocked) state:
so a construct that drops or rewrites a promised setting fails ``terraform test`` with the
promise's name, whatever the configuration's JSON looks like.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from infra.config import Environment
from infra.naming import Names
from pipelines.clickstream import alerts

# Resources whose single instance the promises are about.
STORAGE = "azurerm_storage_account"
VAULT = "azurerm_key_vault"
WORKSPACE = "azurerm_databricks_workspace"
SECRET = "azurerm_key_vault_secret"
PROTECTED = (STORAGE, VAULT, WORKSPACE)
# What protection.prevent_destroy keeps through any destroy (README: environment table).
STATEFUL = (*PROTECTED, "databricks_catalog")


@dataclass(frozen=True)
class Invariant:
    promise: str
    condition: str  # an HCL expression, without the ${ }

    def assert_block(self) -> dict:
        return {"condition": "${" + self.condition + "}", "error_message": f"promise broken: {self.promise}"}


def _hcl(value) -> str:
    return json.dumps(value)  # JSON literals (strings, numbers, booleans) are HCL literals


def only(doc: dict, type_: str) -> str:
    """The address of the stack's one resource of ``type_``."""
    names = list(doc.get("resource", {}).get(type_, {}))
    if len(names) != 1:
        raise ValueError(f"expected one {type_} in the stack, found {len(names)}")
    return f"{type_}.{names[0]}"


def named(doc: dict, type_: str, attribute: str, value: str) -> str:
    """The address of the one resource of ``type_`` whose ``attribute`` is ``value``."""
    names = [n for n, body in doc.get("resource", {}).get(type_, {}).items() if body.get(attribute) == value]
    if len(names) != 1:
        raise ValueError(f"expected one {type_} with {attribute} {value!r} in the stack, found {len(names)}")
    return f"{type_}.{names[0]}"


def _equal(promise: str, doc: dict, type_: str, attribute: str, expected, address: str | None = None) -> Invariant:
    return Invariant(promise, f"{address or only(doc, type_)}.{attribute} == {_hcl(expected)}")


def _alerts(env: Environment, doc: dict, names: Names) -> list[Invariant]:
    job = named(doc, "databricks_job", "name", names.alerts_job)
    return [
        _equal(
            "alerts schedule paused",
            doc,
            "databricks_job",
            "schedule[0].pause_status",
            "PAUSED" if env.alerts.schedule_paused else "UNPAUSED",
            job,
        ),
        *(
            _equal(
                f"alert threshold {alert.key}",
                doc,
                "databricks_alert",
                "condition[0].threshold[0].value[0].double_value",
                float(getattr(env.alerts, alert.key)),
                named(doc, "databricks_alert", "display_name", names.alert(alert.key)),
            )
            for alert in alerts.ALERTS
        ),
    ]


def _locks(doc: dict, wanted: bool) -> list[Invariant]:
    locks = [f"azurerm_management_lock.{name}" for name in doc.get("resource", {}).get("azurerm_management_lock", {})]
    if not wanted:
        return [] if not locks else [Invariant("no deletion locks (the environment destroys completely)", "false")]
    scopes = "[" + ", ".join(f"{lock}.scope" for lock in locks) + "]"
    levels = "[" + ", ".join(f"{lock}.lock_level" for lock in locks) + "]"
    return [
        Invariant(
            f"deletion lock on the {type_.removeprefix('azurerm_')}", f"contains({scopes}, {only(doc, type_)}.id)"
        )
        for type_ in PROTECTED
    ] + [Invariant("every deletion lock is CanNotDelete", f'alltrue([for l in {levels} : l == "CanNotDelete"])')]


def must_survive_destroy(env: Environment, doc: dict) -> set[str]:
    """The addresses a destroy of this environment must refuse to delete."""
    return {only(doc, type_) for type_ in STATEFUL} if env.protection.prevent_destroy else set()


def invariants(env: Environment, doc: dict) -> list[Invariant]:
    public = env.network.public_network_access
    lifecycle = env.storage.lifecycle
    policy = only(doc, "azurerm_storage_management_policy")
    cool = f"{policy}.rule[0].actions[0].base_blob[0].tier_to_cool_after_days_since_modification_greater_than"
    names = Names(env=env.name, location=env.location)
    return [
        *(
            _equal(
                f"public network access {'on' if public else 'off'} ({t})",
                doc,
                t,
                "public_network_access_enabled",
                public,
            )
            for t in PROTECTED
        ),
        _equal("storage replication", doc, STORAGE, "account_replication_type", env.storage.replication),
        _equal(
            "blob soft delete days",
            doc,
            STORAGE,
            "blob_properties[0].delete_retention_policy[0].days",
            env.storage.soft_delete_days,
        ),
        _equal(
            "log retention days",
            doc,
            "azurerm_log_analytics_workspace",
            "retention_in_days",
            env.observability.log_retention_days,
        ),
        _equal(
            "Key Vault purge protection",
            doc,
            VAULT,
            "purge_protection_enabled",
            env.protection.key_vault_purge_protection,
        ),
        *_locks(doc, env.protection.deletion_locks),
        _equal("catalog force-destroy", doc, "databricks_catalog", "force_destroy", env.protection.force_destroy_data),
        _equal("pipeline development mode", doc, "databricks_pipeline", "development", env.pipeline.development),
        _equal(
            "producer schedule paused",
            doc,
            "databricks_job",
            "schedule[0].pause_status",
            "PAUSED" if env.producer.schedule_paused else "UNPAUSED",
            named(doc, "databricks_job", "name", names.producer_job),
        ),
        *_alerts(env, doc, names),
        _equal("SQL warehouse size", doc, "databricks_sql_endpoint", "cluster_size", env.warehouse.cluster_size),
        _equal(
            "SQL warehouse auto stop", doc, "databricks_sql_endpoint", "auto_stop_mins", env.warehouse.auto_stop_minutes
        ),
        _equal(
            "landing files deleted after",
            doc,
            "azurerm_storage_management_policy",
            "rule[0].actions[0].base_blob[0].delete_after_days_since_modification_greater_than",
            lifecycle.delete_after_days,
        ),
        Invariant(
            "landing files tier to cool",
            f"{cool} == {_hcl(lifecycle.cool_after_days)}"
            if lifecycle.cool_after_days
            else f"{cool} == null || {cool} == -1",
        ),
        Invariant(
            "no pseudonymisation key in state (write-only)",
            f"{only(doc, SECRET)}.value == null && {only(doc, SECRET)}.value_wo == null",
        ),
        _equal("pseudonymisation key version", doc, SECRET, "value_wo_version", env.secret.key_version),
        _equal("monthly budget", doc, "azurerm_consumption_budget_resource_group", "amount", env.budget.amount),
    ]
