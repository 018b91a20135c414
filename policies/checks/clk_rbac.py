"""Azure role assignments: no role that grants access or manages secrets for workloads, only the
least-privilege list (contract/rbac.py), the producer on its landing zone, nothing above the resource group."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from checkov.common.models.enums import CheckCategories

from contract import rbac
from policies.checkbase import StackCheck
from synthesized.stack import Stack, parse_reference

ROLE_ASSIGNMENT = ("azurerm_role_assignment",)
# Built-in role definition ids are the same in every tenant.
# Roles that can grant access (to Azure resources, vault data or ADLS ACLs): as broad as Owner.
ACCESS_ADMIN_ROLES = {
    "Owner": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "Contributor": "b24988ac-6180-42ac-ab88-20f7382dd24c",
    "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    "Role Based Access Control Administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
    "Key Vault Administrator": "00482a5a-887f-4fb3-b363-3b7fe8e74483",
    "Key Vault Data Access Administrator": "8b54135c-b56d-4d72-a534-26097cfdbe86",
    # Can switch the vault back to access policies and grant itself any secret.
    "Key Vault Contributor": "f25e0fa2-a7c8-4377-a976-54943a77a395",
    # Sets POSIX ACLs on the ADLS Gen2 filesystems: grants data access.
    "Storage Blob Data Owner": "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
}
# Roles that write or read every secret, key or certificate (or the storage account keys).
# The deployer may hold them: it writes the generated pseudonymisation key.
SECRET_MANAGER_ROLES = {
    "Key Vault Secrets Officer": "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
    "Key Vault Crypto Officer": "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
    "Key Vault Certificates Officer": "a4417e6f-fecd-4de8-b567-7b0420556985",
    "Storage Account Contributor": "17d1049b-9a84-46fb-8f53-869881c3d3ab",
    "Storage Account Key Operator Service Role": "81a9662b-bebf-436f-a333-f67b29880f12",
}
PRIVILEGED_ROLES = {**ACCESS_ADMIN_ROLES, **SECRET_MANAGER_ROLES}
# `${data.azurerm_client_config.<name>.object_id}`: the identity running Terraform.
DEPLOYER = re.compile(r"^\$\{data\.azurerm_client_config\.[A-Za-z0-9_-]+\.object_id\}$")
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
    name = "Workload identities get no role that grants access or manages secrets"
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
        principal_id = resource.get("principal_id")
        found = stack.referenced(principal_id)
        if found and found[0].type in HUMAN_PRINCIPALS:
            return
        if role in SECRET_MANAGER_ROLES and DEPLOYER.match(str(principal_id)):
            return
        principal = found[0].address if found else repr(principal_id)
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


# Terraform kinds -> the principal and scope kinds of contract/rbac.py AZURE_ROLES.
RESOURCE_PRINCIPALS = {"azurerm_databricks_access_connector": rbac.ACCESS_CONNECTOR}
DATA_PRINCIPALS = {"azuread_service_principal": rbac.DATABRICKS_APP, "azurerm_client_config": rbac.DEPLOYER}
SCOPES = {
    "azurerm_storage_account": rbac.STORAGE_ACCOUNT,
    "azurerm_resource_group": rbac.RESOURCE_GROUP,
    "azurerm_key_vault": rbac.KEY_VAULT,
}


def principal_kind(stack: Stack, principal_id: Any) -> str | None:
    ref = parse_reference(principal_id)
    if ref is None:
        return None
    if ref.type == "data":  # `${data.<type>.<name>.<attr>}`: the data source type is ref.name
        return DATA_PRINCIPALS.get(ref.name)
    return rbac.PRODUCER_IDENTITY if is_producer(stack, principal_id) else RESOURCE_PRINCIPALS.get(ref.type)


def scope_kind(stack: Stack, scope: Any) -> str | None:
    if is_landing_scope(stack, scope):
        return rbac.LANDING_CONTAINER
    found = stack.referenced(scope)
    return SCOPES.get(found[0].type) if found and found[0].attribute == "id" else None


class RolesFromTheLeastPrivilegeList(StackCheck):
    id = "CKV_CLK_43"
    environments_only = True
    name = "Workload identities hold only the roles of the least-privilege list, each at its scope"
    severity_name = "HIGH"
    remediation = (
        "Assign exactly contract/rbac.py AZURE_ROLES (e.g. the producer: Storage Blob Data Contributor on "
        "the landing container); a new need is a reviewed change to that list, not to the stack."
    )
    resources = ROLE_ASSIGNMENT
    category = CheckCategories.IAM

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        principal_id, scope = resource.get("principal_id"), resource.get("scope")
        found = stack.referenced(principal_id)
        if found and found[0].type in HUMAN_PRINCIPALS:
            return
        who, where = principal_kind(stack, principal_id), scope_kind(stack, scope)
        role = resource.get("role_definition_name")
        if rbac.AzureRole(str(who), str(role), str(where)) not in rbac.AZURE_ROLES:
            yield (
                f"{who or repr(principal_id)} holds {role!r} on {where or repr(scope)}: "
                "not in the least-privilege list (contract/rbac.py AZURE_ROLES)"
            )


class RolesWithinTheEnvironment(StackCheck):
    id = "CKV_CLK_42"
    environments_only = True
    name = "Role assignments are scoped to the environment's resource group or a resource in it"
    severity_name = "HIGH"
    remediation = (
        "Scope the assignment to a resource of this stack (scope = its id), at most the environment's "
        "azurerm_resource_group; never a subscription, management group or another environment's resource."
    )
    resources = ROLE_ASSIGNMENT
    category = CheckCategories.IAM

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        scope = str(resource.get("scope") or "")
        base, brace, _ = scope.partition("}")  # a sub-resource path after the reference stays inside it
        found = stack.referenced(base + brace)
        if not found or not found[0].type.startswith("azurerm_") or found[0].attribute != "id":
            yield f"scope {scope!r} is not the id of a resource of this environment's stack"


no_broad_roles_for_workloads = NoBroadRolesForWorkloads()
producer_on_landing_only = ProducerOnLandingOnly()
roles_within_the_environment = RolesWithinTheEnvironment()
roles_from_the_least_privilege_list = RolesFromTheLeastPrivilegeList()
