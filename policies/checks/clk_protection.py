"""Deletion protection: what an environment's config protects cannot be destroyed by a plan."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from checkov.common.models.enums import CheckCategories

from policies.checkbase import StackCheck, expect, first_block
from policies.envconfig import configured
from synthesized.stack import Stack

CATALOG = "databricks_catalog"
# The stateful resources whose loss loses data or secrets.
PROTECTED = ("azurerm_storage_account", "azurerm_key_vault", "azurerm_databricks_workspace", CATALOG)
LOCK_LEVELS = ("CanNotDelete", "ReadOnly")


def prevents_destroy(resource: dict[str, Any]) -> bool:
    return first_block(resource, "lifecycle").get("prevent_destroy") is True


def locked(stack: Stack, address: str) -> bool:
    """A management lock of this stack scoped to the resource (Azure refuses the delete)."""
    for lock in stack.resources("azurerm_management_lock").values():
        found = stack.referenced(lock.get("scope"))
        if found and found[0].address == address and lock.get("lock_level") in LOCK_LEVELS:
            return True
    return False


class DeletionProtection(StackCheck):
    id = "CKV_CLK_80"
    name = "Environments configured for deletion protection cannot destroy storage, Key Vault, workspace or catalog"
    severity_name = "HIGH"
    remediation = (
        "Where protection.deletion_locks is true, give the resource lifecycle { prevent_destroy = true } "
        "(or, for an Azure resource, a CanNotDelete azurerm_management_lock); a catalog is also safe "
        "with force_destroy off, as Unity Catalog refuses to drop a non-empty one."
    )
    resources = PROTECTED

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        if not configured(stack).protection.deletion_locks or prevents_destroy(resource):
            return
        if resource_type == CATALOG:
            if resource.get("force_destroy") is True:
                yield "catalog with force_destroy = true and no lifecycle.prevent_destroy"
        elif not locked(stack, f"{resource_type}.{name}"):
            yield "neither lifecycle.prevent_destroy = true nor a CanNotDelete lock on it"


class DataKeptOnDestroy(StackCheck):
    id = "CKV_CLK_81"
    name = "Catalogs and schemas keep their tables on destroy unless the environment is configured to drop them"
    severity_name = "HIGH"
    remediation = (
        "Leave force_destroy unset or false; only environments with protection.force_destroy_data "
        "(ephemeral ones) may drop their tables with the catalog."
    )
    resources = (CATALOG, "databricks_schema")
    category = CheckCategories.BACKUP_AND_RECOVERY

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        if configured(stack).protection.force_destroy_data:
            return []
        return expect(resource, "force_destroy", (False,), default=False)


deletion_protection = DeletionProtection()
data_kept_on_destroy = DataKeptOnDestroy()
