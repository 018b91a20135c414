"""The Azure Databricks workspace: premium features, private compute, closed front door in prod."""
from __future__ import annotations

from typing import Any, Iterable

from checkov.common.models.enums import CheckCategories

from policies.checkbase import StackCheck, expect, first_block
from policies.stack import EnvKind, Stack

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


premium_sku = PremiumSku()
vnet_injection = VnetInjection()
no_public_ip = NoPublicIp()
prod_public_network_access_off = ProdPublicNetworkAccessOff()
