"""Which attribute changes force Terraform to replace a resource (configuration diff only).

A real plan says this itself (`replace_paths`). Without state we can only know it from the
providers' schemas, so the table lists only attributes we are sure of (ForceNew in the pinned
azurerm 4.x / databricks 1.x / time 0.13 providers). Anything else is shown as an update:
when the table is silent the real plan may still say replace, and `make diff` tells.

`*` means the resource has no update at all: any change replaces it.
"""

from __future__ import annotations

# Every azurerm resource here recreates on a new name, resource group or location.
_AZURERM_IDENTITY = ("name", "resource_group_name", "location")

FORCE_NEW: dict[str, tuple[str, ...]] = {
    "azurerm_resource_group": ("name", "location"),
    "azurerm_storage_account": _AZURERM_IDENTITY
    + (
        "account_tier",
        "is_hns_enabled",
        "infrastructure_encryption_enabled",
        "nfsv3_enabled",
        "queue_encryption_key_type",
        "table_encryption_key_type",
        "edge_zone",
    ),
    "azurerm_storage_container": ("name", "storage_account_name", "storage_account_id"),
    "azurerm_storage_data_lake_gen2_filesystem": ("name", "storage_account_id"),
    "azurerm_key_vault": _AZURERM_IDENTITY,
    "azurerm_key_vault_secret": ("name", "key_vault_id"),
    "azurerm_user_assigned_identity": _AZURERM_IDENTITY,
    "azurerm_databricks_access_connector": _AZURERM_IDENTITY,
    "azurerm_databricks_workspace": _AZURERM_IDENTITY
    + (
        "managed_resource_group_name",
        "custom_parameters.virtual_network_id",
        "custom_parameters.public_subnet_name",
        "custom_parameters.private_subnet_name",
        "custom_parameters.storage_account_name",
    ),
    "azurerm_log_analytics_workspace": _AZURERM_IDENTITY,
    "azurerm_monitor_diagnostic_setting": ("name", "target_resource_id"),
    "azurerm_virtual_network": _AZURERM_IDENTITY,
    "azurerm_subnet": ("name", "resource_group_name", "virtual_network_name"),
    "azurerm_network_security_group": _AZURERM_IDENTITY,
    "azurerm_subnet_network_security_group_association": ("subnet_id", "network_security_group_id"),
    "azurerm_private_endpoint": _AZURERM_IDENTITY + ("subnet_id", "private_service_connection"),
    # No update operation: Azure role assignments and locks are immutable.
    "azurerm_role_assignment": ("*",),
    "azurerm_management_lock": ("*",),
    # A new key version (triggers) computes a new expiry; every argument is ForceNew.
    "time_offset": ("*",),
    "databricks_catalog": ("name", "storage_root", "provider_name", "share_name", "connection_name"),
    "databricks_schema": ("name", "catalog_name", "storage_root"),
    "databricks_volume": ("catalog_name", "schema_name", "volume_type", "storage_location"),
    "databricks_secret_scope": ("*",),
    "databricks_workspace_file": ("path",),
    "databricks_directory": ("path",),
    # scope, principal and permission are all ForceNew: an ACL change is a re-grant.
    "databricks_secret_acl": ("*",),
}

# Attributes that are Terraform meta-arguments, not resource settings.
META_ARGUMENTS = frozenset(
    {
        "//",
        "depends_on",
        "lifecycle",
        "provider",
        "count",
        "for_each",
        "provisioner",
        "connection",
        "timeouts",
    }
)


def forcing(rtype: str, changed: tuple[str, ...] | list[str]) -> list[str]:
    """The changed attribute paths that force replacement of a resource of type `rtype`."""
    rules = FORCE_NEW.get(rtype, ())
    if "*" in rules:
        return list(changed)
    return [path for path in changed if any(path == rule or path.startswith(rule + ".") for rule in rules)]
