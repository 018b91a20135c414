"""The Azure Databricks workspace: premium features, private compute, closed front door in prod."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from checkov.common.models.enums import CheckCategories

from policies.checkbase import StackCheck, expect, first_block
from policies.envconfig import configured
from synthesized.stack import EnvKind, Stack

WORKSPACE = ("azurerm_databricks_workspace",)
VNET_INJECTION_PARAMETERS = (
    "virtual_network_id",
    "public_subnet_name",
    "private_subnet_name",
    "public_subnet_network_security_group_association_id",
    "private_subnet_network_security_group_association_id",
)


class PremiumSku(StackCheck):
    id = "CKV_CLK_20"
    name = "Databricks workspaces use the premium SKU"
    severity_name = "HIGH"
    remediation = 'Set sku = "premium": Unity Catalog, table ACLs and private link need it.'
    resources = WORKSPACE

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        return expect(resource, "sku", ("premium",))


class VnetInjection(StackCheck):
    id = "CKV_CLK_21"
    name = "Databricks workspaces run their compute in our virtual network (VNet injection)"
    severity_name = "HIGH"
    remediation = (
        "Set custom_parameters virtual_network_id, public/private_subnet_name and both "
        "*_subnet_network_security_group_association_id (see infra network construct)."
    )
    resources = WORKSPACE
    category = CheckCategories.NETWORKING

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        parameters = first_block(resource, "custom_parameters")
        missing = [key for key in VNET_INJECTION_PARAMETERS if not parameters.get(key)]
        if missing:
            yield f"custom_parameters without {', '.join(missing)}"


class NoPublicIp(StackCheck):
    id = "CKV_CLK_22"
    name = "Databricks cluster nodes get no public IP (secure cluster connectivity)"
    severity_name = "HIGH"
    remediation = "Set custom_parameters { no_public_ip = true }."
    resources = WORKSPACE
    category = CheckCategories.NETWORKING

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        return expect(resource, "custom_parameters.no_public_ip", (True,))


class ProdPublicNetworkAccessOff(StackCheck):
    id = "CKV_CLK_23"
    name = "The prod Databricks workspace is reachable through private endpoints only"
    severity_name = "CRITICAL"
    remediation = (
        "In prod set public_network_access_enabled = false and "
        'network_security_group_rules_required = "NoAzureDatabricksRules", with private endpoints.'
    )
    resources = WORKSPACE
    category = CheckCategories.NETWORKING

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        if stack.kind is not EnvKind.PROD:
            return []
        return expect(resource, "public_network_access_enabled", (False,), default=True)


def private_endpoint_groups(stack: Stack, address: str) -> set[str]:
    """Subresources (dfs, blob, databricks_ui_api, ...) a private endpoint of the stack reaches on `address`."""
    groups: set[str] = set()
    for endpoint in stack.resources("azurerm_private_endpoint").values():
        connection = first_block(endpoint, "private_service_connection")
        found = stack.referenced(connection.get("private_connection_resource_id"))
        if found and found[0].address == address:
            groups.update(connection.get("subresource_names") or [])
    return groups


def serverless_lake_groups(stack: Stack, workspace: str) -> set[str]:
    """Lake subresources serverless compute of the workspace reaches through its bound NCC."""
    bound = set()
    for binding in stack.resources("databricks_mws_ncc_binding").values():
        found = stack.referenced(binding.get("workspace_id"))
        if found and found[0].address == workspace:
            bound.add(str(binding.get("network_connectivity_config_id")))
    groups = set()
    for rule in stack.resources("databricks_mws_ncc_private_endpoint_rule").values():
        target = stack.referenced(rule.get("resource_id"))
        if (
            str(rule.get("network_connectivity_config_id")) in bound
            and target
            and target[0].type == "azurerm_storage_account"
        ):
            groups.add(str(rule.get("group_id")))
    return groups


class PrivateNetworkPaths(StackCheck):
    id = "CKV_CLK_24"
    name = (
        "Without public network access, the workspace has a private endpoint and serverless compute reaches the "
        "lake privately"
    )
    severity_name = "HIGH"
    remediation = (
        "Where network.public_network_access is false, add a databricks_ui_api azurerm_private_endpoint "
        "to the workspace and bind a network connectivity config with dfs and blob private endpoint rules "
        "to the storage account (infra network and serverless_network constructs)."
    )
    resources = WORKSPACE
    category = CheckCategories.NETWORKING

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        if configured(stack).network.public_network_access:
            return
        address = f"{resource_type}.{name}"
        if "databricks_ui_api" not in private_endpoint_groups(stack, address):
            yield "no databricks_ui_api private endpoint to the workspace"
        missing = {"dfs", "blob"} - serverless_lake_groups(stack, address)
        if missing:
            yield f"serverless compute has no private endpoint rule to the lake's {', '.join(sorted(missing))}"


premium_sku = PremiumSku()
vnet_injection = VnetInjection()
no_public_ip = NoPublicIp()
prod_public_network_access_off = ProdPublicNetworkAccessOff()
private_network_paths = PrivateNetworkPaths()
