"""Access in Databricks: Unity Catalog grants and workspace permissions name groups only, analysts
are kept to curated data, ALL_PRIVILEGES is for admins, and permissions equal the access matrix."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from checkov.common.models.enums import CheckCategories

from contract import rbac
from infra.naming import EnvironmentNames
from policies import allowlist
from policies.checkbase import StackCheck, blocks
from synthesized.stack import Stack, parse_reference

GRANTS = ("databricks_grants", "databricks_grant")
GROUP_RESOURCES = {"databricks_group": "display_name", "azuread_group": "display_name"}
ADMIN_ROLE = "platform-admins"
ANALYST_ROLE = "data-analysts"
# Analysts read gold; bronze, silver, a schema we cannot name, and raw files are refused.
CURATED_LAYER = "gold"
# Securables that only hold raw files: the landing external location and its credential.
RAW_SECURABLES = ("external_location", "storage_credential")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)


def grant_entries(resource_type: str, resource: dict[str, Any]) -> Iterator[tuple[Any, list[str]]]:
    """(principal, privileges) pairs of a databricks_grants or a single databricks_grant."""
    entries = blocks(resource.get("grant")) if resource_type == "databricks_grants" else [resource]
    for entry in entries:
        privileges = entry.get("privileges") or []
        yield (
            entry.get("principal"),
            [str(p) for p in privileges] if isinstance(privileges, list) else [str(privileges)],
        )


def group_name(stack: Stack, principal: Any) -> str | None:
    """The literal group display name a principal denotes, if it is one of the stack's groups."""
    found = stack.referenced(principal)
    if found:
        ref, conf = found
        attribute = GROUP_RESOURCES.get(ref.type)
        return stack.literal(conf.get(attribute)) if attribute and ref.attribute == attribute else None
    return principal if _names(stack).is_group(principal) else None


def _names(stack: Stack) -> EnvironmentNames:
    return EnvironmentNames(env=stack.env)


def has_role(stack: Stack, principal: Any, role: str) -> bool:
    return group_name(stack, principal) == _names(stack).group(role)


def _describe(principal: Any) -> str:
    if isinstance(principal, str) and EMAIL.match(principal):
        return f"{principal!r} is an e-mail address (a user)"
    if isinstance(principal, str) and UUID.match(principal):
        return f"{principal!r} is an application id (a service principal)"
    ref = parse_reference(principal)
    if ref:
        return f"{principal!r} references {ref.type}, not a group of this environment"
    return f"{principal!r} is not a group of this environment (clickstream-<env>-<role>)"


class PrincipalsAreGroups(StackCheck):
    id = "CKV_CLK_30"
    name = "Unity Catalog grants name groups of the environment only, never individuals"
    severity_name = "HIGH"
    remediation = (
        "Grant to the environment's group (clickstream-<env>-<role>) and put the user or service "
        "principal in that group; a justified exception goes in policies/allowlist.yaml."
    )
    resources = GRANTS
    category = CheckCategories.IAM

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        allowed = allowlist.load()
        for principal, _ in grant_entries(resource_type, resource):
            if group_name(stack, principal):
                continue
            if isinstance(principal, str) and any(a.allows(principal, stack.env) for a in allowed):
                continue
            yield _describe(principal)


def layer_of(stack: Stack, resource: dict[str, Any]) -> str | None:
    """The medallion layer (schema name) or raw securable a grant is on; None for the catalog."""
    for securable in RAW_SECURABLES:
        if securable in resource:
            return securable.replace("_", " ")
    for securable, schema_attribute, dotted_position in (
        ("schema", "name", 1),
        ("volume", "schema_name", 1),
        ("table", "schema_name", 1),
        ("function", "schema_name", 1),
        ("model", "schema_name", 1),
    ):
        if securable not in resource:
            continue
        value = resource[securable]
        found = stack.referenced(value)
        if found:
            return str(stack.literal(found[1].get(schema_attribute)) or "an unknown schema")
        parts = str(value).split(".")
        return parts[dotted_position] if len(parts) > dotted_position else "an unknown schema"
    return None


class AnalystsOnCuratedDataOnly(StackCheck):
    id = "CKV_CLK_31"
    name = "Analysts get no privilege on bronze or silver data (nor the raw landing files)"
    severity_name = "HIGH"
    remediation = (
        "Grant clickstream-<env>-data-analysts privileges on the gold schema only (USE_CATALOG on the catalog)."
    )
    resources = GRANTS
    category = CheckCategories.IAM

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        layer = layer_of(stack, resource)
        if layer is None or layer == CURATED_LAYER:  # the catalog itself (USE_CATALOG) or gold
            return
        for principal, privileges in grant_entries(resource_type, resource):
            if has_role(stack, principal, ANALYST_ROLE):
                yield f"{principal!r} granted {', '.join(privileges)} on {layer}"


class AllPrivilegesForAdminsOnly(StackCheck):
    id = "CKV_CLK_32"
    name = "ALL_PRIVILEGES is granted to the platform admin group only"
    severity_name = "CRITICAL"
    remediation = (
        "Grant the specific privileges the role needs; only clickstream-<env>-platform-admins holds ALL_PRIVILEGES."
    )
    resources = GRANTS
    category = CheckCategories.IAM

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        for principal, privileges in grant_entries(resource_type, resource):
            wide = {p.upper().replace(" ", "_") for p in privileges} & {"ALL_PRIVILEGES"}
            if wide and not has_role(stack, principal, ADMIN_ROLE):
                yield f"{principal!r} granted ALL_PRIVILEGES"


def securable_of(stack: Stack, resource: dict[str, Any]) -> rbac.Securable | None:
    """The access-matrix securable a grant is on; None when it cannot be named from the stack."""
    if "catalog" in resource:
        return rbac.THE_CATALOG
    for securable_type in (rbac.SCHEMA, rbac.VOLUME, rbac.EXTERNAL_LOCATION):
        found = stack.referenced(resource.get(securable_type))
        if not found:
            continue
        conf = found[1]
        name = stack.literal(conf.get("name"))
        if securable_type == rbac.VOLUME:
            name = f"{stack.literal(conf.get('schema_name'))}.{name}"
        elif securable_type == rbac.EXTERNAL_LOCATION:  # named clickstream-<env>-<logical key>
            name = _names(stack).external_location_key(str(name))
        return rbac.Securable(securable_type, str(name))
    return None


class GrantsEqualTheMatrix(StackCheck):
    id = "CKV_CLK_35"
    name = "Unity Catalog grants equal the access matrix: no privilege more, none less"
    severity_name = "HIGH"
    remediation = (
        "Grant exactly what contract/rbac.py GRANTS lists for the securable and each group; to change "
        "access, change the matrix (README, stack and `make verify` follow it)."
    )
    resources = GRANTS
    category = CheckCategories.IAM

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        securable = securable_of(stack, resource)
        if securable is None:
            yield "the securable cannot be named from the stack, so it cannot be compared with the matrix"
            return
        held: dict[str, set[str]] = {}
        for principal, privileges in grant_entries(resource_type, resource):
            role = role_of(stack, principal)
            if role:  # individuals and foreign groups are CKV_CLK_30's findings
                held.setdefault(role, set()).update(p.upper().replace(" ", "_") for p in privileges)
        for role in sorted(set(rbac.ROLES) | set(held)):
            wanted, has = rbac.privileges(securable, role), held.get(role, set())
            if has - wanted:
                yield (
                    f"{role} holds {', '.join(sorted(has - wanted))} on {securable.type} {securable.name!r} beyond "
                    "the matrix"
                )
            if wanted - has:
                yield f"{role} lacks {', '.join(sorted(wanted - has))} on {securable.type} {securable.name!r}"


PERMISSIONS = "databricks_permissions"
ASSIGNMENTS = ("databricks_mws_permission_assignment", "databricks_permission_assignment")
# databricks_permissions attribute naming its object -> the object's row in the access matrix.
MATRIX_OBJECTS = {"pipeline_id": "pipeline", "job_id": "producer_job", "sql_endpoint_id": "warehouse"}
INDIVIDUALS = ("user_name", "service_principal_name")


def role_of(stack: Stack, principal: Any) -> str | None:
    """The matrix role (platform-admins, ...) of a group of this environment, else None."""
    group = group_name(stack, principal)
    return _names(stack).role_of_group(group) if group else None


def assigned_group(stack: Stack, resource: dict[str, Any]) -> str | None:
    """The group display name a workspace assignment's principal_id references, if a group."""
    found = stack.referenced(resource.get("principal_id"))
    if not found or found[0].type != "databricks_group" or found[0].attribute != "id":
        return None
    return stack.literal(found[1].get("display_name"))


def _workload_owner(stack: Stack, entry: dict[str, Any]) -> bool:
    """IS_OWNER held by a service principal this stack creates (a pipeline owns itself through
    its run_as identity; otherwise the provider makes the deployer the owner)."""
    found = stack.referenced(entry.get("service_principal_name"))
    return (
        entry.get("permission_level") == "IS_OWNER"
        and found is not None
        and found[0].type == "databricks_service_principal"
        and found[0].attribute == "application_id"
    )


class WorkspaceAccessCheck(StackCheck):
    """A rule on workspace access, with one part for workspace assignments and one for
    workspace object permissions (``databricks_permissions``)."""

    resources = (PERMISSIONS, *ASSIGNMENTS)
    category = CheckCategories.IAM

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        if resource_type in ASSIGNMENTS:
            return self.assignment_problems(stack, resource)
        return self.permission_problems(stack, resource)

    def assignment_problems(self, stack: Stack, resource: dict[str, Any]) -> Iterable[str]:
        raise NotImplementedError

    def permission_problems(self, stack: Stack, resource: dict[str, Any]) -> Iterable[str]:
        raise NotImplementedError


class PermissionsNameGroups(WorkspaceAccessCheck):
    id = "CKV_CLK_33"
    name = "Workspace object permissions and workspace assignments name groups of the environment, never individuals"
    severity_name = "HIGH"
    remediation = (
        "Give access_control { group_name = clickstream-<env>-<role> } (no user_name or "
        "service_principal_name) and assign databricks_group ids to the workspace; put people in the group."
    )

    def assignment_problems(self, stack: Stack, resource: dict[str, Any]) -> Iterable[str]:
        if not assigned_group(stack, resource):
            yield f"workspace assigned to {resource.get('principal_id')!r}, not a databricks_group"

    def permission_problems(self, stack: Stack, resource: dict[str, Any]) -> Iterable[str]:
        for entry in blocks(resource.get("access_control")):
            individual = next((key for key in INDIVIDUALS if entry.get(key)), None)
            if individual and _workload_owner(stack, entry):
                continue
            if individual:
                yield f"{entry.get('permission_level')} given to {individual} {entry[individual]!r}"
            elif not group_name(stack, entry.get("group_name")):
                yield _describe(entry.get("group_name"))


class PermissionsEqualTheMatrix(WorkspaceAccessCheck):
    id = "CKV_CLK_34"
    name = "Pipeline, job and warehouse permissions and workspace access equal the access matrix"
    severity_name = "HIGH"
    remediation = (
        "Grant exactly contract/rbac.py WORKSPACE_PERMISSIONS (pipeline, producer job, warehouse) and "
        "WORKSPACE_ACCESS (workspace assignments): no more, no less; change the matrix, not the stack."
    )

    def assignment_problems(self, stack: Stack, resource: dict[str, Any]) -> Iterable[str]:
        group = assigned_group(stack, resource) or ""
        role = _names(stack).role_of_group(group) or group
        wanted = rbac.WORKSPACE_ACCESS.get(role)
        if resource.get("permissions") != ([wanted] if wanted else None):
            yield f"workspace access {resource.get('permissions')!r} for {role or 'a non-group'}; expected {wanted!r}"

    def permission_problems(self, stack: Stack, resource: dict[str, Any]) -> Iterable[str]:
        row = next((rbac.WORKSPACE_PERMISSIONS[key] for attr, key in MATRIX_OBJECTS.items() if attr in resource), None)
        if row is None:
            return
        held = {
            role_of(stack, e.get("group_name")): e.get("permission_level")
            for e in blocks(resource.get("access_control"))
        }
        for role in sorted(set(row) | {r for r in held if r}, key=str):
            if held.get(role) != row.get(role):
                yield f"{role} holds {held.get(role)!r}; the matrix says {row.get(role)!r}"


principals_are_groups = PrincipalsAreGroups()
analysts_on_curated_data_only = AnalystsOnCuratedDataOnly()
all_privileges_for_admins_only = AllPrivilegesForAdminsOnly()
permissions_name_groups = PermissionsNameGroups()
permissions_equal_the_matrix = PermissionsEqualTheMatrix()
grants_equal_the_matrix = GrantsEqualTheMatrix()
