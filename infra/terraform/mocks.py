"""Typed defaults for ``mock_provider`` blocks.

A mocked provider invents random strings for computed attributes, but the providers
validate what flows from one resource into another (a tenant id must be a UUID, a
scope an ARM id, a workspace id a number). These defaults give each such attribute a
value of the shape Azure and Databricks return, so the mocked apply exercises the same
validation a real apply would. One entry per type the stacks use; a type missing here
gets random strings, which is fine unless another resource validates it.
"""

from __future__ import annotations

SUBSCRIPTION = "00000000-0000-4000-8000-000000000001"
TENANT = "00000000-0000-4000-8000-000000000002"
OBJECT = "00000000-0000-4000-8000-000000000003"
CLIENT = "00000000-0000-4000-8000-000000000004"
LOG_WORKSPACE = "00000000-0000-4000-8000-000000000005"
NCC = "00000000-0000-4000-8000-000000000006"
RESOURCE_GROUP = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-mock"
STORAGE = f"{RESOURCE_GROUP}/providers/Microsoft.Storage/storageAccounts/stmock"
VNET = f"{RESOURCE_GROUP}/providers/Microsoft.Network/virtualNetworks/vnet-mock"
SUBNET = f"{VNET}/subnets/snet-mock"
DNS_ZONE = f"{RESOURCE_GROUP}/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net"
ROLE_DEFINITION = f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/{OBJECT}"
VAULT_URI = "https://kv-mock.vault.azure.net/"
WORKSPACE_ID = "1234567890123456"


def _arm(provider_path: str) -> dict:
    return {"id": f"{RESOURCE_GROUP}/providers/{provider_path}"}


IDENTITY = {"tenant_id": TENANT, "object_id": OBJECT, "client_id": CLIENT}

# Providers that run for real in the test: they work offline without credentials, and
# Terraform cannot mock an ephemeral resource (the pseudonymisation key's random_password).
REAL = ("random",)

# provider -> {"resource"|"data": {type: defaults}}
DEFAULTS: dict[str, dict[str, dict[str, dict]]] = {
    "azurerm": {
        "data": {"azurerm_client_config": {**IDENTITY, "subscription_id": SUBSCRIPTION}},
        "resource": {
            "azurerm_resource_group": {"id": RESOURCE_GROUP},
            "azurerm_key_vault": {**_arm("Microsoft.KeyVault/vaults/kv-mock"), "vault_uri": VAULT_URI},
            "azurerm_key_vault_secret": {
                "id": f"{VAULT_URI}secrets/mock/0123456789abcdef0123456789abcdef",
                "versionless_id": f"{VAULT_URI}secrets/mock",
                "resource_id": f"{RESOURCE_GROUP}/providers/Microsoft.KeyVault/vaults/kv-mock/secrets/mock",
                "resource_versionless_id": f"{RESOURCE_GROUP}/providers/Microsoft.KeyVault/vaults/kv-mock/secrets/mock",
            },
            "azurerm_log_analytics_workspace": {
                **_arm("Microsoft.OperationalInsights/workspaces/log-mock"),
                "workspace_id": LOG_WORKSPACE,
            },
            "azurerm_network_security_group": _arm("Microsoft.Network/networkSecurityGroups/nsg-mock"),
            "azurerm_virtual_network": {"id": VNET},
            "azurerm_subnet": {"id": SUBNET},
            # The association's id is the subnet's id.
            "azurerm_subnet_network_security_group_association": {"id": SUBNET},
            "azurerm_storage_account": {
                "id": STORAGE,
                "primary_dfs_host": "stmock.dfs.core.windows.net",
                "primary_dfs_endpoint": "https://stmock.dfs.core.windows.net/",
                "primary_blob_endpoint": "https://stmock.blob.core.windows.net/",
            },
            "azurerm_storage_container": {"id": f"{STORAGE}/blobServices/default/containers/mock"},
            "azurerm_storage_management_policy": {"id": f"{STORAGE}/managementPolicies/default"},
            "azurerm_databricks_access_connector": {
                **_arm("Microsoft.Databricks/accessConnectors/ac-mock"),
                "identity": {"type": "SystemAssigned", "principal_id": OBJECT, "tenant_id": TENANT},
            },
            "azurerm_databricks_workspace": {
                **_arm("Microsoft.Databricks/workspaces/dbw-mock"),
                "workspace_id": WORKSPACE_ID,
                "workspace_url": f"adb-{WORKSPACE_ID}.7.azuredatabricks.net",
                "managed_resource_group_id": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-mock-managed",
            },
            "azurerm_user_assigned_identity": {
                **_arm("Microsoft.ManagedIdentity/userAssignedIdentities/id-mock"),
                "principal_id": OBJECT,
                "client_id": CLIENT,
                "tenant_id": TENANT,
            },
            "azurerm_role_definition": {
                "id": ROLE_DEFINITION,
                "role_definition_id": OBJECT,
                "role_definition_resource_id": ROLE_DEFINITION,
            },
            "azurerm_role_assignment": _arm(f"Microsoft.Authorization/roleAssignments/{OBJECT}"),
            "azurerm_monitor_diagnostic_setting": {"id": f"{STORAGE}|diagnostics"},
            "azurerm_consumption_budget_resource_group": _arm("Microsoft.Consumption/budgets/budget-mock"),
            "azurerm_private_dns_zone": {"id": DNS_ZONE},
            "azurerm_private_dns_zone_virtual_network_link": {"id": f"{DNS_ZONE}/virtualNetworkLinks/link-mock"},
            "azurerm_private_endpoint": _arm("Microsoft.Network/privateEndpoints/pe-mock"),
            "azurerm_management_lock": {"id": f"{STORAGE}/providers/Microsoft.Authorization/locks/lock-mock"},
        },
    },
    "azuread": {
        "data": {
            "azuread_client_config": IDENTITY,
            "azuread_service_principal": {
                "id": f"/servicePrincipals/{OBJECT}",
                "object_id": OBJECT,
                "client_id": CLIENT,
                # Microsoft Graph's app roles the bootstrap grants (their public ids).
                "app_role_ids": {
                    "Application.Read.All": "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30",
                    "Group.Create": "bf7b1a76-6e77-406b-b258-bf5c7720e98f",
                },
            },
        },
        "resource": {
            "azuread_group": {"id": f"/groups/{OBJECT}", "object_id": OBJECT},
            "azuread_application": {"id": f"/applications/{OBJECT}", "object_id": OBJECT, "client_id": CLIENT},
            "azuread_service_principal": {
                "id": f"/servicePrincipals/{OBJECT}",
                "object_id": OBJECT,
                "client_id": CLIENT,
            },
        },
    },
    # time_sleep would really wait (180 s per role wait): mocked, with a date where one is read.
    "time": {"data": {}, "resource": {"time_offset": {"rfc3339": "2027-12-03T00:00:00Z"}}},
    "databricks": {
        "data": {},
        "resource": {
            "databricks_group": {"id": "1000000000000001"},
            "databricks_service_principal": {"id": "1000000000000002", "application_id": CLIENT},
            "databricks_mws_network_connectivity_config": {
                "network_connectivity_config_id": NCC,
                "id": f"{OBJECT}/{NCC}",
            },
        },
    },
}


def mock_provider(provider: str, alias: str | None = None) -> dict:
    """One ``mock_provider`` block body (JSON test syntax) for ``provider``."""
    block: dict = {"alias": alias} if alias else {}
    for kind in ("resource", "data"):
        typed = DEFAULTS.get(provider, {}).get(kind, {})
        if typed:
            block[f"mock_{kind}"] = {type_: {"defaults": values} for type_, values in typed.items()}
    return block
