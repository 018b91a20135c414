"""Hand-built Terraform JSON plans, shaped like `terraform show -json` output (format 1.2).

Each builder follows Terraform's documented JSON output format: `resource_changes[]` with
`change.actions`, `before`/`after`, `after_unknown`, `before_sensitive`/`after_sensitive`,
`replace_paths`, `action_reason`; `prior_state` for objects the plan leaves alone; and
`configuration.root_module.resources[].expressions` for references behind unknown values.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SUB = "/subscriptions/00000000-0000-0000-0000-000000000001"
RG = f"{SUB}/resourceGroups/rg-clickstream-dev"
SA_ID = f"{RG}/providers/Microsoft.Storage/storageAccounts/stclickstreamdev"
PRODUCER_PRINCIPAL = "7b1e2f3a-1111-4a4a-9c9c-000000000001"
CONNECTOR_PRINCIPAL = "7b1e2f3a-2222-4a4a-9c9c-000000000002"


def change(
    address: str,
    actions: list[str],
    before: dict | None,
    after: dict | None,
    *,
    after_unknown: dict | None = None,
    replace_paths: list | None = None,
    action_reason: str | None = None,
    before_sensitive: Any = None,
    after_sensitive: Any = None,
) -> dict:
    rtype, name = address.split(".")[-2:]
    rc = {
        "address": address,
        "mode": "managed",
        "type": rtype,
        "name": name,
        "provider_name": f"registry.terraform.io/{'databricks' if rtype.startswith('databricks') else 'hashicorp'}/"
        f"{rtype.split('_')[0]}",
        "change": {
            "actions": actions,
            "before": before,
            "after": after,
            "after_unknown": after_unknown or {},
            "before_sensitive": before_sensitive if before_sensitive is not None else ({} if before else False),
            "after_sensitive": after_sensitive if after_sensitive is not None else ({} if after else False),
        },
    }
    if replace_paths:
        rc["change"]["replace_paths"] = replace_paths
    if action_reason:
        rc["action_reason"] = action_reason
    return rc


def state_resource(address: str, values: dict) -> dict:
    rtype, name = address.split(".")
    return {"address": address, "mode": "managed", "type": rtype, "name": name, "values": values}


def config_resource(address: str, **references: list[str]) -> dict:
    rtype, name = address.split(".")
    return {
        "address": address,
        "mode": "managed",
        "type": rtype,
        "name": name,
        "expressions": {attr: {"references": refs} for attr, refs in references.items()},
    }


def plan(*changes: dict, prior: list[dict] = (), config: list[dict] = ()) -> dict:
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "planned_values": {"root_module": {}},
        "resource_changes": list(changes),
        "prior_state": {"format_version": "1.0", "values": {"root_module": {"resources": list(prior)}}},
        "configuration": {"root_module": {"resources": list(config)}},
        "applyable": True,
        "complete": True,
        "errored": False,
    }


def write(tmp_path: Path, document: dict, name: str = "plan.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return path


# Objects that exist in state, shared by the shapes below.
IDENTITY = state_resource(
    "azurerm_user_assigned_identity.producer",
    {
        "name": "id-clickstream-dev-producer",
        "principal_id": PRODUCER_PRINCIPAL,
        "id": f"{RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-clickstream-dev-producer",
    },
)
STORAGE = {
    "name": "stclickstreamdev",
    "id": SA_ID,
    "is_hns_enabled": True,
    "account_replication_type": "ZRS",
    "location": "westeurope",
    "tags": {"env": "dev", "owner": "platform"},
}
CATALOG = {
    "name": "clickstream_dev",
    "storage_root": "abfss://catalog@stclickstreamdev.dfs.core.windows.net/",
    "force_destroy": True,
    "id": "clickstream_dev",
}
SILVER = {"name": "silver", "catalog_name": "clickstream_dev", "id": "clickstream_dev.silver", "force_destroy": True}


def new_environment() -> dict:
    return plan(
        change(
            "azurerm_resource_group.rg",
            ["create"],
            None,
            {"name": "rg-clickstream-pr-42", "location": "westeurope"},
            after_unknown={"id": True},
        ),
        change(
            "azurerm_storage_account.lake",
            ["create"],
            None,
            {"name": "stclickstreampr42", "is_hns_enabled": True},
            after_unknown={"id": True},
        ),
        change(
            "azurerm_user_assigned_identity.producer",
            ["create"],
            None,
            {"name": "id-clickstream-pr-42-producer"},
            after_unknown={"id": True, "principal_id": True},
        ),
        change(
            "azurerm_role_assignment.producer_landing",
            ["create"],
            None,
            {"role_definition_name": "Storage Blob Data Contributor"},
            after_unknown={"id": True, "principal_id": True, "scope": True},
        ),
        change(
            "databricks_catalog.catalog",
            ["create"],
            None,
            {"name": "clickstream_pr_42", "force_destroy": True},
            after_unknown={"id": True},
        ),
        change(
            "databricks_grants.catalog",
            ["create"],
            None,
            {"grant": [{"principal": "clickstream-pr-42-data-analysts", "privileges": ["USE_CATALOG"]}]},
            after_unknown={"catalog": True, "id": True},
        ),
        config=[
            config_resource(
                "azurerm_role_assignment.producer_landing",
                principal_id=[
                    "azurerm_user_assigned_identity.producer.principal_id",
                    "azurerm_user_assigned_identity.producer",
                ],
                scope=["azurerm_storage_account.lake.id", "azurerm_storage_account.lake"],
            ),
            config_resource(
                "databricks_grants.catalog", catalog=["databricks_catalog.catalog.name", "databricks_catalog.catalog"]
            ),
        ],
    )


def destructive() -> dict:
    return plan(
        change(
            "azurerm_storage_account.lake",
            ["delete", "create"],
            STORAGE,
            dict(STORAGE, is_hns_enabled=False),
            after_unknown={"id": True},
            replace_paths=[["is_hns_enabled"]],
            action_reason="replace_because_cannot_update",
        ),
        change("databricks_schema.silver", ["delete"], SILVER, None, action_reason="delete_because_no_resource_config"),
        change(
            "azurerm_management_lock.storage",
            ["delete"],
            {"name": "lock-storage", "scope": SA_ID, "lock_level": "CanNotDelete"},
            None,
        ),
        prior=[state_resource("databricks_catalog.catalog", CATALOG)],
        config=[
            config_resource(
                "databricks_catalog.catalog",
                storage_root=["azurerm_storage_account.lake.name", "azurerm_storage_account.lake"],
            )
        ],
    )


def rbac_change() -> dict:
    engineers = {"principal": "clickstream-dev-data-engineers", "privileges": ["MODIFY", "SELECT"]}
    analysts = {"principal": "clickstream-dev-data-analysts", "privileges": ["SELECT", "USE_SCHEMA"]}
    assignment = {
        "principal_id": PRODUCER_PRINCIPAL,
        "role_definition_name": "Storage Blob Data Contributor",
        "scope": SA_ID,
    }
    connector = {
        "principal_id": CONNECTOR_PRINCIPAL,
        "role_definition_name": "Storage Blob Data Contributor",
        "scope": SA_ID,
        "name": "ra-connector",
    }
    return plan(
        change(
            "databricks_grants.silver",
            ["update"],
            {"schema": "clickstream_dev.silver", "grant": [engineers]},
            {"schema": "clickstream_dev.silver", "grant": [engineers, analysts]},
        ),
        change("azurerm_role_assignment.producer_landing", ["delete"], assignment, None),
        change(
            "azurerm_role_assignment.connector",
            ["delete", "create"],
            connector,
            dict(connector, name="ra-connector-2"),
            replace_paths=[["name"]],
        ),
        change(
            "databricks_permissions.pipeline",
            ["update"],
            {
                "pipeline_id": "0a1b-pipeline",
                "access_control": [{"group_name": "clickstream-dev-data-analysts", "permission_level": "CAN_VIEW"}],
            },
            {
                "pipeline_id": "0a1b-pipeline",
                "access_control": [{"group_name": "clickstream-dev-data-analysts", "permission_level": "CAN_MANAGE"}],
            },
        ),
        change("databricks_group_member.producer", ["create"], None, {"group_id": "9001", "member_id": "9002"}),
        prior=[
            IDENTITY,
            state_resource("azurerm_storage_account.lake", STORAGE),
            state_resource(
                "azurerm_databricks_access_connector.uc",
                {"name": "ac-clickstream-dev", "identity": [{"principal_id": CONNECTOR_PRINCIPAL}]},
            ),
            state_resource("databricks_pipeline.clickstream", {"id": "0a1b-pipeline", "name": "clickstream-dev"}),
            state_resource("databricks_group.producers", {"id": "9001", "display_name": "clickstream-dev-producers"}),
            state_resource(
                "databricks_service_principal.producer", {"id": "9002", "display_name": "clickstream-dev-producer"}
            ),
        ],
    )
