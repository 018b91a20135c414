"""Azure role assignments: no broad roles for workloads, the producer on its landing zone only."""
from __future__ import annotations

from typing import Any, Iterable

from checkov.common.models.enums import CheckCategories

from policies.checkbase import StackCheck
from policies.stack import Stack

ROLE_ASSIGNMENT = ("azurerm_role_assignment",)
# Built-in role definition ids are the same in every tenant.
PRIVILEGED_ROLES = {
    "Owner": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "Contributor": "b24988ac-6180-42ac-ab88-20f7382dd24c",
    "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    # These can grant access or read/manage every secret, so they are as broad as Owner.
    "Role Based Access Control Administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
    "Key Vault Administrator": "00482a5a-887f-4fb3-b363-3b7fe8e74483",
    "Key Vault Data Access Administrator": "8b54135c-b56d-4d72-a534-26097cfdbe86",
}
HUMAN_PRINCIPALS = ("azuread_group",)
PRODUCER_IDENTITY = ("azurerm_user_assigned_identity", "producer")
LANDING_CONTAINER = "landing"
CONTAINER_TYPES = ("azurerm_storage_container", "azurerm_storage_data_lake_gen2_filesystem")


def privileged_role(resource: dict[str, Any]) -> str | None:
    name = resource.get("role_definition_name")
    if name in PRIVILEGED_ROLES:
        return name
    role_id = str(resource.get("role_definition_id") or "").lower()
    return next((role for role, guid in PRIVILEGED_ROLES.items() if role_id.endswith(guid)), None)


class NoBroadRolesForWorkloads(StackCheck):
    id = "CKV_CLK_40"
    name = "Workload identities get no Owner, Contributor, access-administrator or Key Vault administrator role"
    severity_name = "CRITICAL"
    remediation = (
        "Give the identity a data-plane or narrow role (e.g. Storage Blob Data Contributor) on the "
        "smallest scope; broad roles belong to Entra groups of people, via PIM."
    )
    resources = ROLE_ASSIGNMENT
    category = CheckCategories.IAM

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        role = privileged_role(resource)
        if role is None:
            return
        found = stack.referenced(resource.get("principal_id"))
        if found and found[0].type in HUMAN_PRINCIPALS:
            return
        principal = found[0].address if found else repr(resource.get("principal_id"))
        yield f"role {role!r} given to {principal}, which is not an Entra group"


def is_producer(stack: Stack, principal_id: Any) -> bool:
    found = stack.referenced(principal_id)
    if not found or found[0].type != PRODUCER_IDENTITY[0]:
        return False
    ref, conf = found
    return PRODUCER_IDENTITY[1] in f"{ref.name} {stack.literal(conf.get('name'))}".lower()


def is_landing_scope(stack: Stack, scope: Any) -> bool:
    found = stack.referenced(scope)
    if found:
        ref, conf = found
        return ref.type in CONTAINER_TYPES and stack.literal(conf.get("name")) == LANDING_CONTAINER
    return isinstance(scope, str) and scope.rstrip("/").endswith(f"/containers/{LANDING_CONTAINER}")


class ProducerOnLandingOnly(StackCheck):
    id = "CKV_CLK_41"
    name = "The producer identity holds roles on the landing filesystem only"
    severity_name = "HIGH"
    remediation = (
        'Scope the producer\'s role assignment to the landing container (scope = the "landing" '
        "azurerm_storage_container id), never the account, resource group or subscription."
    )
    resources = ROLE_ASSIGNMENT
    category = CheckCategories.IAM

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        if not is_producer(stack, resource.get("principal_id")):
            return
        scope = resource.get("scope")
        if not is_landing_scope(stack, scope):
            yield f"producer identity has {resource.get('role_definition_name')!r} on {scope!r}"


no_broad_roles_for_workloads = NoBroadRolesForWorkloads()
producer_on_landing_only = ProducerOnLandingOnly()
