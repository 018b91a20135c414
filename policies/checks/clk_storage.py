"""The storage account holding landing data and the Unity Catalog managed tables."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from checkov.common.models.enums import CheckCategories

from policies.checkbase import StackCheck, expect, first_block
from policies.envconfig import configured
from synthesized.stack import Stack

STORAGE = ("azurerm_storage_account",)


class HierarchicalNamespace(StackCheck):
    id = "CKV_CLK_10"
    name = "Storage accounts have the hierarchical namespace (ADLS Gen2) on"
    severity_name = "HIGH"
    remediation = "Set is_hns_enabled = true (forces a new account): Unity Catalog and abfss:// paths need ADLS Gen2."
    resources = STORAGE

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        return expect(resource, "is_hns_enabled", (True,))


class SharedKeyDisabled(StackCheck):
    id = "CKV_CLK_11"
    name = "Storage accounts refuse shared key (account key and SAS) authorization"
    severity_name = "HIGH"
    remediation = "Set shared_access_key_enabled = false; clients use Entra ID (managed identity, access connector)."
    resources = STORAGE
    category = CheckCategories.IAM

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        return expect(resource, "shared_access_key_enabled", (False,), default=True)


class InfrastructureEncryption(StackCheck):
    id = "CKV_CLK_12"
    name = "Storage accounts encrypt data twice (infrastructure encryption)"
    severity_name = "MEDIUM"
    remediation = "Set infrastructure_encryption_enabled = true (forces a new account)."
    resources = STORAGE
    category = CheckCategories.ENCRYPTION

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        return expect(resource, "infrastructure_encryption_enabled", (True,), default=False)


class MinimumTls(StackCheck):
    id = "CKV_CLK_13"
    name = "Storage accounts accept TLS 1.2 or newer only"
    severity_name = "HIGH"
    remediation = 'Set min_tls_version = "TLS1_2" explicitly.'
    resources = STORAGE
    category = CheckCategories.ENCRYPTION

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        return expect(resource, "min_tls_version", ("TLS1_2", "TLS1_3"))


class NetworkDefaultDeny(StackCheck):
    id = "CKV_CLK_14"
    name = "Storage account firewalls deny by default"
    severity_name = "HIGH"
    remediation = 'Set network_rules { default_action = "Deny" } and allow the Databricks subnets / private endpoints.'
    resources = STORAGE
    category = CheckCategories.NETWORKING

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        if first_block(resource, "network_rules"):
            return expect(resource, "network_rules.default_action", ("Deny",))
        # The rules may live in their own resource pointing at this account.
        for rules in stack.resources("azurerm_storage_account_network_rules").values():
            found = stack.referenced(rules.get("storage_account_id"))
            if found and found[0].address == f"{resource_type}.{name}":
                return expect(rules, "default_action", ("Deny",))
        return ["no network_rules: the account accepts traffic from every network"]


class ConfiguredDurability(StackCheck):
    id = "CKV_CLK_15"
    name = "Storage accounts replicate and keep deleted blobs as the environment's config says"
    severity_name = "HIGH"
    remediation = (
        "Set account_replication_type = storage.replication and blob_properties.delete_retention_policy.days "
        ">= storage.soft_delete_days of the environment (prod: GZRS, 30 days)."
    )
    resources = STORAGE
    category = CheckCategories.BACKUP_AND_RECOVERY

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        storage = configured(stack).storage
        yield from expect(resource, "account_replication_type", (storage.replication,))
        days = first_block(first_block(resource, "blob_properties"), "delete_retention_policy").get("days")
        if not isinstance(days, int) or days < storage.soft_delete_days:
            yield f"blob soft delete keeps {days!r} days; expected >= {storage.soft_delete_days}"


hierarchical_namespace = HierarchicalNamespace()
shared_key_disabled = SharedKeyDisabled()
infrastructure_encryption = InfrastructureEncryption()
minimum_tls = MinimumTls()
network_default_deny = NetworkDefaultDeny()
configured_durability = ConfiguredDurability()
