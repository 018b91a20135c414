"""What a deploying identity needs, derived from the resource types its stack creates.

One table per kind of caller: ``DEPLOY`` (an identity that applies an environment's
stack), ``PLAN`` (an identity that only plans one: ``-refresh=false``, so only data
sources are read), ``OPERATOR`` (the person who applies the bootstrap stack). Every
resource and data source type of a synthesized stack must be a key of its table:
``needs()`` raises on a type nobody has looked at, so a new construct cannot ship
without its permissions being decided (tests/infra/test_permissions.py). ``DEPLOY``
covers the types of synthesized/resource_types.py: each takes what its plane takes
(``BY_PLANE``) unless ``SPECIFIC`` decides otherwise.

Roles are granted at the identity's scope (its environment's subscription, see
infra/trust.py); ``azure_actions`` are actions no role we grant holds, given through a
custom role defined by the bootstrap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from synthesized import resource_types
from synthesized.resource_types import Plane

if TYPE_CHECKING:
    from cdktf import TerraformStack

CONTRIBUTOR = "Contributor"
READER = "Reader"
RBAC_ADMINISTRATOR = "Role Based Access Control Administrator"
# Databricks account-level objects (groups, workspace assignments, network connectivity
# configs): only an account admin may manage them, and the role is account-wide.
ACCOUNT_ADMIN = "account admin"
# The identity that creates a workspace is its admin (Contributor on it is enough).
WORKSPACE_ADMIN = "workspace admin (as creator of the workspace)"


@dataclass(frozen=True)
class Needs:
    """Permissions, by system. Combine with ``|``."""

    azure_roles: frozenset[str] = field(default_factory=frozenset)
    azure_actions: frozenset[str] = field(default_factory=frozenset)
    graph_app_roles: frozenset[str] = field(default_factory=frozenset)
    databricks: frozenset[str] = field(default_factory=frozenset)

    def __or__(self, other: Needs) -> Needs:
        return Needs(
            self.azure_roles | other.azure_roles,
            self.azure_actions | other.azure_actions,
            self.graph_app_roles | other.graph_app_roles,
            self.databricks | other.databricks,
        )


def _needs(*, roles=(), actions=(), graph=(), databricks=()) -> Needs:
    return Needs(frozenset(roles), frozenset(actions), frozenset(graph), frozenset(databricks))


NOTHING = Needs()
ARM = _needs(roles=[CONTRIBUTOR])
ACCOUNT = _needs(databricks=[ACCOUNT_ADMIN])
WORKSPACE = _needs(databricks=[WORKSPACE_ADMIN])
# Contributor's NotActions include Microsoft.Authorization/*/Write and */Delete, and
# RBAC Administrator holds only roleAssignments/*: locks need their own actions.
LOCK_ACTIONS = (
    "Microsoft.Authorization/locks/read",
    "Microsoft.Authorization/locks/write",
    "Microsoft.Authorization/locks/delete",
)
# Looking up a service principal by client id (the AzureDatabricks app).
READ_APPLICATIONS = _needs(graph=["Application.Read.All"])

# What creating a resource takes, by the API that creates it (synthesized/resource_types.py).
# Microsoft Graph has no default: each Entra type is decided in SPECIFIC.
BY_PLANE = {Plane.AZURE: ARM, Plane.ACCOUNT: ACCOUNT, Plane.WORKSPACE: WORKSPACE, Plane.LOCAL: NOTHING}
# Resource types that take something else than their plane's default.
SPECIFIC: dict[str, Needs] = {
    # Data plane: the stack gives its deployer Key Vault Secrets Officer on the vault
    # itself (an azurerm_role_assignment), so nothing beyond RBAC Administrator.
    "azurerm_key_vault_secret": NOTHING,
    "azurerm_role_assignment": _needs(roles=[RBAC_ADMINISTRATOR]),
    "azurerm_management_lock": _needs(actions=LOCK_ACTIONS),
    # Group.Create lets an app create groups and manage the ones it owns (the stack makes
    # its deployer the owner), not every group of the tenant as Group.ReadWrite.All would:
    # the ephemeral identity cannot change prod's admin group.
    "azuread_group": _needs(graph=["Group.Create"]),
    "databricks_storage_credential": _needs(databricks=["metastore: CREATE_STORAGE_CREDENTIAL"]),
    "databricks_external_location": _needs(databricks=["metastore: CREATE_EXTERNAL_LOCATION"]),
    "databricks_catalog": _needs(databricks=["metastore: CREATE_CATALOG"]),
}
# Not resources: the stack's lookups (data sources) and its ephemeral values.
LOOKUPS: dict[str, Needs] = {
    "data.azuread_service_principal": READ_APPLICATIONS,
    "data.azuread_client_config": NOTHING,
    "data.azurerm_client_config": NOTHING,
    "random_password": NOTHING,  # ephemeral: generated on this machine, never in state
}


def _deploy_needs() -> dict[str, Needs]:
    """Every type the stacks hold: its specific needs, else its plane's (none: left out, so
    ``needs()`` refuses a stack holding it)."""
    out: dict[str, Needs] = {}
    for name, row in resource_types.held().items():
        if name in SPECIFIC:
            out[name] = SPECIFIC[name]
        elif row.plane in BY_PLANE:
            out[name] = BY_PLANE[row.plane]
    return {**out, **LOOKUPS}


DEPLOY: dict[str, Needs] = _deploy_needs()

# A plan without refresh reads state and data sources only; Reader lets the azurerm
# provider check its resource provider registrations.
PLAN_BASE = _needs(roles=[READER])
PLAN: dict[str, Needs] = {t: NOTHING if not t.startswith("data.") else needs for t, needs in DEPLOY.items()}

# The roles the stacks assign (azurerm_role_assignment.role_definition_name), by built-in
# role id. RBAC Administrator is granted with a condition that allows exactly these, so a
# deploying identity cannot make itself or anyone Owner (tests/infra/test_permissions.py
# fails when a stack assigns a role missing here).
ASSIGNABLE_ROLES = {
    "EventGrid EventSubscription Contributor": "428e0ff0-5e57-4d9c-a221-2c70d0e0a443",
    "Key Vault Secrets Officer": "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
    "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
    "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    "Storage Queue Data Contributor": "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
}


def assignment_condition(roles: dict[str, str] = ASSIGNABLE_ROLES) -> str:
    """ABAC condition (version 2.0) on RBAC Administrator: create and delete assignments of
    ``roles`` only (Azure's documented delegation pattern)."""
    ids = ", ".join(sorted(roles.values()))
    return (
        "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR "
        f"(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {{{ids}}}))"
        " AND "
        "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR "
        f"(@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {{{ids}}}))"
    )


# The bootstrap is applied once by a person; these are Entra and Azure roles of people.
OWNER = _needs(roles=["Owner"])
APPLICATION_ADMIN = _needs(graph=["Cloud Application Administrator (Entra role)"])
OPERATOR: dict[str, Needs] = {
    "azurerm_resource_group": OWNER,
    "azurerm_storage_account": OWNER,
    "azurerm_storage_container": OWNER,
    "azurerm_management_lock": OWNER,
    "azurerm_role_assignment": OWNER,
    "azurerm_role_definition": OWNER,
    "azuread_application": APPLICATION_ADMIN,
    "azuread_service_principal": APPLICATION_ADMIN,
    "azuread_application_federated_identity_credential": APPLICATION_ADMIN,
    # Granting Graph application permissions is admin consent.
    "azuread_app_role_assignment": _needs(graph=["Privileged Role Administrator (Entra role)"]),
    "data.azuread_service_principal": NOTHING,
    # Making the deploying identities account admins takes an account admin.
    "databricks_service_principal": ACCOUNT,
    "databricks_service_principal_role": ACCOUNT,
}


class UncoveredTypes(KeyError):
    """A stack holds a type its permission table does not list."""


def needs(types: Iterable[str], table: dict[str, Needs], base: Needs = NOTHING) -> Needs:
    """Everything the caller of ``table`` needs for a stack holding ``types``."""
    types = set(types)
    missing = sorted(types - set(table))
    if missing:
        raise UncoveredTypes(f"infra/permissions.py lists no permissions for {', '.join(missing)}")
    result = base
    for kind in sorted(types):
        result = result | table[kind]
    return result


def stack_types(stack: TerraformStack) -> set[str]:
    """Resource types (and ``data.``-prefixed data source types) a constructed stack holds."""
    from cdktf import TerraformDataSource, TerraformResource  # loads jsii: only where stacks exist

    found = set()
    for node in stack.node.find_all():
        if isinstance(node, TerraformDataSource):
            found.add(f"data.{node.terraform_resource_type}")
        elif isinstance(node, TerraformResource):
            found.add(node.terraform_resource_type)
    return found


def synthesized_types(doc: dict) -> set[str]:
    """The same set from a synthesized cdk.tf.json document."""
    return set(doc.get("resource", {})) | {f"data.{kind}" for kind in doc.get("data", {})}
