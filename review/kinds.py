"""What each resource type is, for a reader: its group, its noun, what deleting it loses."""

from __future__ import annotations

from synthesized.resource_types import RESOURCE_TYPES, Kind

# Group shown in the changed-resources table, in display order.
KIND_ORDER = tuple(kind.value for kind in Kind)
KIND_OF = {rtype: row.kind.value for rtype, row in RESOURCE_TYPES.items()}

NOUN = {
    "azurerm_resource_group": "resource group",
    "azurerm_storage_account": "storage account",
    "azurerm_storage_container": "container",
    "azurerm_storage_data_lake_gen2_filesystem": "filesystem",
    "azurerm_key_vault": "key vault",
    "azurerm_key_vault_secret": "Key Vault secret",
    "azurerm_user_assigned_identity": "managed identity",
    "azurerm_databricks_access_connector": "access connector",
    "azurerm_databricks_workspace": "workspace",
    "azurerm_log_analytics_workspace": "Log Analytics workspace",
    "azurerm_virtual_network": "virtual network",
    "azurerm_subnet": "subnet",
    "azuread_group": "Entra group",
    "azuread_service_principal": "Entra service principal",
    "databricks_group": "Databricks group",
    "databricks_service_principal": "service principal",
    "databricks_user": "user",
    "databricks_catalog": "catalog",
    "databricks_schema": "schema",
    "databricks_volume": "volume",
    "databricks_external_location": "external location",
    "databricks_storage_credential": "storage credential",
    "databricks_secret_scope": "secret scope",
    "databricks_pipeline": "pipeline",
    "databricks_job": "job",
    "databricks_sql_endpoint": "SQL warehouse",
    "databricks_query": "SQL query",
    "databricks_alert": "SQL alert",
    "databricks_notification_destination": "notification destination",
    "databricks_workspace_file": "workspace file",
    "time_sleep": "wait for role propagation",
    "time_offset": "computed expiry",
}

# Deleting or replacing one of these loses data or key material, not just configuration.
STATEFUL = {
    "azurerm_resource_group": "everything inside the resource group",
    "azurerm_storage_account": "every blob in the account (landing files, the catalog's managed tables)",
    "azurerm_storage_container": "every file in the container",
    "azurerm_storage_data_lake_gen2_filesystem": "every file in the filesystem",
    "azurerm_key_vault": "every secret in the vault (the pseudonymisation key among them)",
    "azurerm_key_vault_secret": "the secret's value: a new HMAC key changes every pseudonym",
    "azurerm_databricks_workspace": "the workspace: notebooks, job runs, workspace files, its managed resource group",
    "azurerm_log_analytics_workspace": "the collected logs and audit history",
    "databricks_catalog": "every schema, table and view in the catalog",
    "databricks_schema": "every table and view in the schema",
    "databricks_volume": "the volume (a managed volume's files with it)",
}

# Resources whose loss a reader relates data to: listed as "used by" under a stateful warning.
DATA_CONSUMERS = frozenset(
    {
        "azurerm_storage_container",
        "azurerm_storage_data_lake_gen2_filesystem",
        "azurerm_key_vault_secret",
        "databricks_catalog",
        "databricks_schema",
        "databricks_volume",
        "databricks_external_location",
        "databricks_secret_scope",
        "databricks_pipeline",
    }
)


def kind_of(rtype: str) -> str:
    return KIND_OF.get(rtype, Kind.OTHER.value)


def noun_of(rtype: str) -> str:
    return NOUN.get(rtype, rtype.split("_", 1)[-1].replace("_", " "))
